import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import ErrorView from '@/components/ErrorView'
import MemberAvatar from '@/components/MemberAvatar'
import type { RfmLayer } from '@cloud/domain/rfm'
import { RFM_LAYERS, stageText } from '@/utils/crm'
import { shanghaiDay, yuan } from '@/utils/format'
import { toast } from '@/utils/ui'
import { fetchCustomers, GUIDE, type CustomerRow } from '../../services/guide'
import '../../components/guide.scss'
import './index.scss'

// 我的顾客：本门店顾客列表，按 RFM 分层筛选、只看我的，下拉刷新、触底加载更多
export default function GuideCustomersPage() {
  const [layer, setLayer] = useState<RfmLayer | null>(null)
  const [mine, setMine] = useState(false)
  const [rows, setRows] = useState<CustomerRow[] | null>(null)
  const [total, setTotal] = useState(0)
  const [nextSkip, setNextSkip] = useState<number | null>(null)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const loadingRef = useRef(false)
  const seqRef = useRef(0)

  const load = useCallback(async (f: { layer: RfmLayer | null; mine: boolean }, skip = 0) => {
    if (skip > 0 && loadingRef.current) return
    loadingRef.current = true
    const seq = ++seqRef.current
    const res = await fetchCustomers({
      ...(f.layer ? { layer: f.layer } : {}),
      ...(f.mine ? { mine: true } : {}),
      ...(skip ? { skip } : {}),
    })
    loadingRef.current = false
    if (seq !== seqRef.current) return // 筛选已变化，丢弃旧结果
    if (!res.ok) {
      if (skip === 0) setError(res.error)
      toast(res.error.message)
      return
    }
    setError(null)
    setTotal(res.data.total)
    setNextSkip(res.data.nextSkip)
    setRows((cur) => (skip > 0 && cur ? [...cur, ...res.data.customers] : res.data.customers))
  }, [])

  useDidShow(() => {
    void load({ layer, mine })
  })

  usePullDownRefresh(() => {
    void load({ layer, mine }).finally(() => Taro.stopPullDownRefresh())
  })

  useReachBottom(() => {
    if (nextSkip !== null) void load({ layer, mine }, nextSkip)
  })

  const pickLayer = (l: RfmLayer | null) => {
    setLayer(l)
    setRows(null)
    void load({ layer: l, mine })
  }

  const toggleMine = () => {
    setMine(!mine)
    setRows(null)
    void load({ layer, mine: !mine })
  }

  return (
    <View className="page gc-page">
      <View className="gc-filters">
        <View className="gc-filters__scroll">
          <View
            className={`gd-chip${layer === null ? ' gd-chip--on' : ''}`}
            id="layer-all"
            onClick={() => pickLayer(null)}
          >
            全部
          </View>
          {RFM_LAYERS.map((l) => (
            <View
              key={l}
              className={`gd-chip layer-chip${layer === l ? ' gd-chip--on' : ''}`}
              data-layer={l}
              onClick={() => pickLayer(l)}
            >
              {l}
            </View>
          ))}
        </View>
        <View className="gc-filters__bar">
          <Text className="gd-muted" id="customers-total">
            共 {total} 位顾客
          </Text>
          <View className={`gd-chip gc-mine${mine ? ' gd-chip--on' : ''}`} id="filter-mine" onClick={toggleMine}>
            只看我的
          </View>
        </View>
      </View>

      {error && !rows ? (
        <ErrorView
          idPrefix="customers"
          code={error.code}
          message={error.message}
          onRetry={() => void load({ layer, mine })}
        />
      ) : rows === null ? (
        <Text className="gd-empty">加载中…</Text>
      ) : rows.length === 0 ? (
        <Text className="gd-empty">暂无符合条件的顾客</Text>
      ) : (
        <View className="gc-list">
          {rows.map((c) => (
            <View
              key={c._id}
              className="customer-row"
              data-id={c._id}
              onClick={() => void Taro.navigateTo({ url: `${GUIDE}/customer/index?id=${c._id}` })}
            >
              <MemberAvatar src={c.avatar} nickname={c.nickname} size={88} />
              <View className="customer-row__main">
                <View className="customer-row__top">
                  <Text className="customer-row__name">{c.nickname}</Text>
                  {c.phoneTail && <Text className="gd-muted">尾号{c.phoneTail}</Text>}
                  {c.mine && <Text className="customer-row__mine">我的</Text>}
                </View>
                <Text className="customer-row__meta">
                  {c.tierName} · {stageText(c.stage)} · {c.orderCount} 单 · {yuan(c.paidTotal)}
                </Text>
                <Text className="customer-row__meta">最近下单 {c.lastOrderAt ? shanghaiDay(c.lastOrderAt) : '--'}</Text>
                <View className="gd-tags">
                  {c.rfmLayer && <Text className="gd-tag gd-tag--layer">{c.rfmLayer}</Text>}
                  {c.tags.slice(0, 4).map((t) => (
                    <Text key={t.tag} className="gd-tag">
                      {t.label}
                    </Text>
                  ))}
                </View>
              </View>
            </View>
          ))}
          <Text className="gd-empty">{nextSkip !== null ? '上拉加载更多' : '没有更多了'}</Text>
        </View>
      )}
    </View>
  )
}

import { useCallback, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { Button, Tag } from '@/components/nut'
import { ERROR_TEXT } from '@cloud/domain/error-codes'
import { LoadError } from '@/utils/cloudData'
import {
  fetchMallItems,
  fetchMe,
  fetchMyRedemptions,
  isRemoteImage,
  redeem,
  type MallItem,
  type Redemption,
} from '@/services/member'
import { shanghaiDateTime } from '@/utils/format'
import { alertModal, confirm, go, newRequestId, toast } from '@/utils/ui'
import './index.scss'

// 兑换按钮的状态文案
function buttonState(item: MallItem, points: number | null, redeemed: number): { text: string; disabled: boolean } {
  if (item.stock <= 0) return { text: '已兑完', disabled: true }
  if (item.perMemberLimit > 0 && redeemed >= item.perMemberLimit) return { text: '已达上限', disabled: true }
  if (points !== null && points < item.pointsPrice) return { text: ERROR_TEXT.INSUFFICIENT_POINTS, disabled: true }
  return { text: '兑换', disabled: points === null }
}

// 积分商城：商品宫格（积分价、库存、限兑）、兑换确认、结果与兑换记录
export default function MallPage() {
  const [items, setItems] = useState<MallItem[] | null>(null)
  const [points, setPoints] = useState<number | null>(null)
  const [records, setRecords] = useState<Redemption[]>([])
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const [result, setResult] = useState('')
  const [busyId, setBusyId] = useState<string | null>(null)
  const busyRef = useRef(false)

  const load = useCallback(async () => {
    const [list, me, mine] = await Promise.all([fetchMallItems(), fetchMe(), fetchMyRedemptions()])
    if (!list.ok) {
      setError(list.error)
      return
    }
    setError(null)
    setItems(list.data.items)
    if (me.ok) setPoints(me.data.member.points)
    if (mine.ok) setRecords(mine.data.items)
  }, [])

  useDidShow(() => {
    void load()
  })

  const doRedeem = async (item: MallItem) => {
    if (busyRef.current) return
    const ok = await confirm(
      '确认兑换',
      `使用 ${item.pointsPrice} 积分兑换「${item.name}」？${item.type === 'goods' ? '兑换后请到店出示会员码领取。' : ''}`,
      '确认兑换',
    )
    if (!ok) return
    busyRef.current = true
    setBusyId(item._id)
    // 每次点击一个请求号：网络重试或连点不会重复扣积分
    const res = await redeem(item._id, newRequestId())
    busyRef.current = false
    setBusyId(null)
    if (!res.ok) {
      toast(res.error.message)
      if (
        res.error.code === 'SOLD_OUT' ||
        res.error.code === 'ITEM_OFF_SHELF' ||
        res.error.code === 'INSUFFICIENT_POINTS'
      )
        void load()
      return
    }
    const r = res.data
    setResult(`兑换成功：${r.name}，消耗 ${r.points} 积分`)
    if (typeof r.balance === 'number') setPoints(r.balance)
    void load()
    await alertModal(
      '兑换成功',
      item.type === 'coupon' ? `「${r.name}」已发放到您的账户，下单时可直接使用` : `「${r.name}」请到店出示会员码领取`,
    )
  }

  if (error && !items) return <LoadError idPrefix="mall" error={error} onRetry={load} />

  // 已兑换件数（用于限兑提示；以服务端校验为准）
  const redeemedCount = new Map<string, number>()
  for (const r of records) if (r.itemId) redeemedCount.set(r.itemId, (redeemedCount.get(r.itemId) ?? 0) + 1)

  return (
    <View className="page mall-page">
      <View className="ml-head">
        <View className="ml-head__main">
          <Text className="ml-head__label">我的积分</Text>
          <Text className="ml-head__value" id="mall-points">
            {points ?? '--'}
          </Text>
        </View>
        <Text className="ml-head__link" onClick={() => go('/package-member/pages/checkin/index')}>
          签到赚积分 ›
        </Text>
      </View>

      {result !== '' && (
        <Text className="ml-result" id="redeem-result">
          {result}
        </Text>
      )}

      <View className="ml-grid">
        {(items ?? []).map((it) => {
          const st = buttonState(it, points, redeemedCount.get(it._id) ?? 0)
          return (
            <View key={it._id} className="ml-item" data-item-id={it._id}>
              <View className="ml-item__pic">
                {isRemoteImage(it.image) ? (
                  <Image className="ml-item__img" src={it.image} mode="aspectFill" lazyLoad />
                ) : (
                  <View className={`ml-item__ph ml-item__ph--${it.type}`}>{it.type === 'coupon' ? '券' : '礼'}</View>
                )}
                {it.type === 'coupon' && (
                  <Tag className="ml-item__tag" type="danger">
                    优惠券
                  </Tag>
                )}
              </View>
              <View className="ml-item__body">
                <Text className="ml-item__name">{it.name}</Text>
                {it.desc !== '' && <Text className="ml-item__desc">{it.desc}</Text>}
                <Text className="ml-item__meta">
                  {it.stock > 0 ? `库存 ${it.stock}` : '已兑完'}
                  {it.perMemberLimit > 0 ? ` · 每人限兑 ${it.perMemberLimit}` : ''}
                </Text>
                <View className="ml-item__foot">
                  <Text className="ml-item__price">
                    {it.pointsPrice}
                    <Text className="ml-item__unit"> 积分</Text>
                  </Text>
                  <Button
                    className="redeem-btn"
                    data-item-id={it._id}
                    type="primary"
                    size="small"
                    shape="round"
                    disabled={st.disabled}
                    loading={busyId === it._id}
                    onClick={() => void doRedeem(it)}
                  >
                    {st.text}
                  </Button>
                </View>
              </View>
            </View>
          )
        })}
      </View>
      {items && items.length === 0 && <Text className="ml-empty">商品正在上架中，敬请期待</Text>}

      <Text className="ml-section">兑换记录</Text>
      <View className="ml-records" id="redeem-records">
        {records.length === 0 ? (
          <Text className="ml-empty">暂无兑换记录</Text>
        ) : (
          records.map((r) => (
            <View key={r._id} className="ml-record">
              <View className="ml-record__main">
                <Text className="ml-record__name">{r.name}</Text>
                <Text className="ml-record__time">{shanghaiDateTime(r.createdAt)}</Text>
              </View>
              <View className="ml-record__side">
                <Text className="ml-record__points">-{r.points} 积分</Text>
                <Text className={`ml-record__status ml-record__status--${r.status}`}>
                  {r.status === 'to_pickup' ? '待到店领取' : '已发放'}
                </Text>
              </View>
            </View>
          ))
        )}
      </View>
    </View>
  )
}

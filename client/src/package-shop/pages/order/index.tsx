import { useCallback, useRef, useState } from 'react'
import { useDidShow, useReachBottom, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { canTransition, ORDER_TABS } from '@cloud/domain/orders'
import ErrorView from '@/components/ErrorView'
import { countdownText, fetchMyOrders, fetchServerTime, SHOP, type Order, type OrderStatus } from '@/services/shop'
import { useServerClock } from '@/utils/clock'
import { shanghaiDateTime, yuan } from '@/utils/format'
import { go } from '@/utils/ui'
import '../../components/shop.scss'
import './index.scss'

// 状态页签：一个页签可对应多个订单状态，由领域状态表给出（待收货 = 已发货 + 待自提，退款 = 退款中 + 已退款）
const TABS = ORDER_TABS

type Page = { orders: Order[]; nextBefore: number | null }

// 多状态页签：各状态分别按 before 翻页后合并；只保留各列表都已覆盖到的时间段，下一页从该处接着取
async function fetchTab(statuses: readonly OrderStatus[], before?: number) {
  if (statuses.length <= 1)
    return fetchMyOrders({ ...(statuses[0] ? { status: statuses[0] } : {}), ...(before ? { before } : {}) })
  const all = await Promise.all(statuses.map((status) => fetchMyOrders({ status, ...(before ? { before } : {}) })))
  const failed = all.find((r) => !r.ok)
  if (failed && !failed.ok) return failed
  const pages = all.map((r) => (r.ok ? r.data : { orders: [], nextBefore: null }))
  const cutoffs = pages.map((p) => p.nextBefore).filter((x): x is number => x !== null)
  const cutoff = cutoffs.length ? Math.max(...cutoffs) : null
  const orders = pages
    .flatMap((p) => p.orders)
    .filter((o) => cutoff === null || o.createdAt >= cutoff)
    .sort((a, b) => b.createdAt - a.createdAt)
  return { ok: true as const, data: { orders, nextBefore: cutoff } }
}

// 我的订单：状态页签、订单卡片（待付款显示关单倒计时）、触底加载更多
export default function OrderListPage() {
  const { params } = useRouter()
  const [tab, setTab] = useState(() => (TABS.some((t) => t.key === params.tab) ? (params.tab as string) : 'all'))
  const [page, setPage] = useState<Page | null>(null)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const clock = useServerClock()
  const { sync } = clock
  const seq = useRef(0)

  const load = useCallback(
    async (key: string) => {
      const my = ++seq.current
      const statuses = TABS.find((t) => t.key === key)?.statuses ?? []
      const [res, time] = await Promise.all([fetchTab(statuses), fetchServerTime()])
      if (my !== seq.current) return
      if (time.ok) sync(time.data.serverTime)
      if (!res.ok) {
        setError(res.error)
        return
      }
      setError(null)
      setPage(res.data)
    },
    [sync],
  )

  useDidShow(() => {
    void load(tab)
  })

  useReachBottom(() => {
    if (!page || page.nextBefore === null || loadingMore) return
    const my = seq.current
    setLoadingMore(true)
    const statuses = TABS.find((t) => t.key === tab)?.statuses ?? []
    void fetchTab(statuses, page.nextBefore).then((res) => {
      setLoadingMore(false)
      if (my !== seq.current || !res.ok) return
      setPage((cur) => ({ orders: [...(cur?.orders ?? []), ...res.data.orders], nextBefore: res.data.nextBefore }))
    })
  })

  const switchTab = (key: string) => {
    if (key === tab) return
    setTab(key)
    setPage(null)
    void load(key)
  }

  return (
    <View className="page ol-page">
      <View className="sp-tabs" id="order-tabs">
        {TABS.map((t) => (
          <View
            key={t.key}
            className={`sp-tab${t.key === tab ? ' sp-tab--on' : ''}`}
            data-key={t.key}
            onClick={() => switchTab(t.key)}
          >
            {t.title}
          </View>
        ))}
      </View>

      {error && !page ? (
        <ErrorView idPrefix="orders" code={error.code} message={error.message} onRetry={() => void load(tab)} />
      ) : (
        <View className="ol-list" id="order-list">
          {(page?.orders ?? []).map((o) => {
            const unpaid = canTransition(o.status, 'pay') && o.expiresAt > clock.now
            const count = o.lines.reduce((s, l) => s + l.qty, 0)
            return (
              <View
                key={o._id}
                className="ol-card"
                data-id={o._id}
                onClick={() => go(`${SHOP}/order-detail/index?id=${o._id}`)}
              >
                <View className="ol-card__head">
                  <Text className="ol-card__time">{shanghaiDateTime(o.createdAt)}</Text>
                  {o.type !== 'normal' && <Text className="ol-card__type">{o.type === 'flash' ? '秒杀' : '拼团'}</Text>}
                  <Text className={`ol-card__status ol-card__status--${o.status}`}>{o.statusText}</Text>
                </View>
                {o.lines.map((l, i) => (
                  <View key={i} className="ol-line">
                    <Text className="ol-line__name">
                      {l.name}
                      {l.spec ? ` · ${l.spec}` : ''}
                    </Text>
                    <Text className="ol-line__qty">
                      {yuan(l.unitPrice)} x{l.qty}
                    </Text>
                  </View>
                ))}
                <View className="ol-card__foot">
                  {unpaid && (
                    <Text className="ol-card__countdown sp-countdown">
                      剩余 {countdownText(o.expiresAt - clock.now)} 自动关闭
                    </Text>
                  )}
                  <Text className="ol-card__sum">
                    共 {count} 件 实付 <Text className="ol-card__amount">{yuan(o.payAmount)}</Text>
                  </Text>
                </View>
                <View className="ol-card__actions">
                  <Text className={`ol-card__btn${unpaid ? ' ol-card__btn--primary' : ''}`}>
                    {unpaid ? '去支付' : '查看详情'}
                  </Text>
                </View>
              </View>
            )
          })}
          {page && page.orders.length === 0 && <Text className="sp-empty">暂无相关订单</Text>}
          {!page && <Text className="sp-empty">加载中…</Text>}
          {page && page.nextBefore !== null && (
            <Text className="sp-empty">{loadingMore ? '加载中…' : '上拉加载更多'}</Text>
          )}
        </View>
      )}
    </View>
  )
}

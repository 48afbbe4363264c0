import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import { ProductPic } from '@/components/ProductCard'
import { countdownText, fetchFlashSales, flashBuy, storeName, type FlashSale } from '@/services/shop'
import { useServerClock } from '@/utils/clock'
import { yuan } from '@/utils/format'
import { newRequestId, toast } from '@/utils/ui'
import '../../components/shop.scss'
import { useBusyLock, useMemberStore } from '../../utils/hooks'
import { openOrderDetail, payOrder, pickStore } from '../../utils/trade'
import './index.scss'

// 按服务端时间判断的按钮状态：未到点禁用，到点后无需刷新即可点击
function buyState(s: FlashSale, now: number): { text: string; enabled: boolean } {
  if (s.phase === 'stopped') return { text: '已结束', enabled: false }
  if (s.phase === 'sold_out' || s.stock <= 0) return { text: '已抢光', enabled: false }
  if (now >= s.endAt) return { text: '已结束', enabled: false }
  if (now < s.startAt) return { text: '即将开抢', enabled: false }
  return { text: '马上抢', enabled: true }
}

// 限时秒杀：活动列表（服务端时间倒计时、进度）、马上抢 → 下单 → 支付 → 订单详情
export default function FlashSalePage() {
  const [storeId, setStoreId, stores] = useMemberStore()
  const { busy: busyId, run } = useBusyLock()
  const clock = useServerClock()
  const { data, error, load } = useCloudData(fetchFlashSales, (d) => clock.sync(d.serverTime))
  const sales = data?.sales ?? null

  const buy = (s: FlashSale) =>
    run(s._id, async () => {
      const res = await flashBuy({ saleId: s._id, qty: 1, requestId: newRequestId(), fulfilment: 'pickup', storeId })
      if (!res.ok) {
        toast(res.error.message)
        if (res.error.code === 'SOLD_OUT' || res.error.code === 'FLASH_ENDED' || res.error.code === 'FLASH_NOT_STARTED')
          void load()
        return
      }
      const paid = await payOrder(res.data.order, res.data.payment)
      if (!paid.paid) toast(paid.cancelled ? '已取消支付，请在 15 分钟内完成支付' : paid.message)
      openOrderDetail(res.data.order._id, false)
    })

  if (error && !sales) return <LoadError idPrefix="flash" error={error} onRetry={load} />

  const now = clock.now
  return (
    <View className="page fs-page">
      <View className="fs-head">
        <Text className="fs-head__title">限时秒杀</Text>
        <Text className="fs-head__sub">每人限购，先到先得，以服务器时间为准</Text>
      </View>
      <View className="sp-card fs-store" onClick={() => void pickStore().then((id) => id && setStoreId(id))}>
        <Text className="fs-store__label">到店自提</Text>
        <Text className="fs-store__name">{storeName(stores, storeId)}</Text>
        <Text className="fs-store__link">切换 ›</Text>
      </View>

      {(sales ?? []).map((s) => {
        const st = buyState(s, now)
        const sold = Math.max(0, s.total - s.stock)
        const pct = s.total > 0 ? Math.round((sold / s.total) * 100) : 0
        return (
          <View key={s._id} className="fs-card" data-id={s._id}>
            <ProductPic className="fs-card__pic" src={s.image} name={s.name ?? s.title} />
            <View className="fs-card__body">
              <Text className="fs-card__title">{s.title}</Text>
              <Text className="fs-card__name">{s.name}</Text>
              <Text className="fs-card__time sp-countdown" data-id={s._id}>
                {now < s.startAt
                  ? `距开抢 ${countdownText(s.startAt - now)}`
                  : now < s.endAt
                    ? `距结束 ${countdownText(s.endAt - now)}`
                    : '活动已结束'}
              </Text>
              <View className="fs-card__bar">
                <View className="fs-card__bar-fill" style={{ width: `${pct}%` }} />
              </View>
              <Text className="fs-card__meta">
                已抢 {pct}% · 每人限购 {s.perMemberLimit} 件
              </Text>
              <View className="fs-card__foot">
                <View className="fs-card__prices">
                  <Text className="fs-card__price">{yuan(s.price)}</Text>
                  {s.listPrice !== undefined && <Text className="fs-card__list">{yuan(s.listPrice)}</Text>}
                </View>
                <View className="flash-buy" data-id={s._id} data-enabled={st.enabled ? '1' : '0'}>
                  <Button
                    type="primary"
                    shape="round"
                    size="small"
                    disabled={!st.enabled || (busyId !== null && busyId !== s._id)}
                    loading={busyId === s._id}
                    onClick={() => void buy(s)}
                  >
                    {st.text}
                  </Button>
                </View>
              </View>
            </View>
          </View>
        )
      })}
      {sales && sales.length === 0 && <Text className="sp-empty">暂无秒杀活动，敬请期待</Text>}
      {!sales && <Text className="sp-empty">加载中…</Text>}
    </View>
  )
}

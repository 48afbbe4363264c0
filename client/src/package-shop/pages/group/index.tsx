import { Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import { ProductPic } from '@/components/ProductCard'
import { countdownText, fetchGroupBuys, openGroup, SHOP, type GroupBuy } from '@/services/shop'
import { useServerClock } from '@/utils/clock'
import { yuan } from '@/utils/format'
import { go, toast } from '@/utils/ui'
import '../../components/shop.scss'
import { useBusyLock, useMemberStore } from '../../utils/hooks'
import { payOrder } from '../../utils/trade'
import './index.scss'

// 拼团：活动列表（开团）+ 每个活动下正在拼的团（还差 N 人、倒计时、去参团）
export default function GroupBuyPage() {
  const [storeId] = useMemberStore()
  const { busy: busyId, run } = useBusyLock()
  const clock = useServerClock()
  const { data, error, load } = useCloudData(fetchGroupBuys, (d) => clock.sync(d.serverTime))
  const activities = data?.activities ?? null
  const groups = data?.openGroups ?? []

  const open = (a: GroupBuy) =>
    run(a._id, async () => {
      const res = await openGroup(a._id, { fulfilment: 'pickup', storeId })
      if (!res.ok) {
        toast(res.error.message)
        return
      }
      const paid = await payOrder(res.data.order, res.data.payment)
      if (!paid.paid) toast(paid.cancelled ? '已取消支付，支付后才会开团' : paid.message)
      go(`${SHOP}/group-detail/index?groupId=${res.data.groupId}`)
    })

  if (error && !activities) return <LoadError idPrefix="group" error={error} onRetry={load} />

  const now = clock.now
  return (
    <View className="page gb-page">
      <View className="gb-head">
        <Text className="gb-head__title">拼团</Text>
        <Text className="gb-head__sub">邀好友一起拼，成团享低价；未成团自动退款</Text>
      </View>

      {(activities ?? []).map((a) => {
        const forming = groups.filter((g) => g.activityId === a._id && g.expiresAt > now && g.seats < g.size)
        return (
          <View key={a._id} className="gb-card" data-id={a._id}>
            <View className="gb-card__main">
              <ProductPic className="gb-card__pic" src={a.image} name={a.name ?? a.title} />
              <View className="gb-card__body">
                <Text className="gb-card__title">{a.title}</Text>
                <Text className="gb-card__name">{a.name}</Text>
                <Text className="gb-card__size">
                  {a.groupSize} 人团 · {a.validHours} 小时内成团
                </Text>
                <View className="gb-card__foot">
                  <View className="gb-card__prices">
                    <Text className="gb-card__price">{yuan(a.price)}</Text>
                    {a.listPrice !== undefined && <Text className="gb-card__list">{yuan(a.listPrice)}</Text>}
                  </View>
                  <View className="group-open" data-id={a._id}>
                    <Button
                      type="primary"
                      shape="round"
                      size="small"
                      loading={busyId === a._id}
                      onClick={() => void open(a)}
                    >
                      开团
                    </Button>
                  </View>
                </View>
              </View>
            </View>
            {forming.length > 0 && (
              <View className="gb-forming">
                <Text className="gb-forming__title">正在拼团，可直接参与</Text>
                {forming.slice(0, 3).map((g) => (
                  <View
                    key={g._id}
                    className="gb-forming__item group-join"
                    data-id={g._id}
                    onClick={() => go(`${SHOP}/group-detail/index?groupId=${g._id}`)}
                  >
                    <Text className="gb-forming__left">还差 {g.size - g.seats} 人成团</Text>
                    <Text className="gb-forming__time sp-countdown">剩余 {countdownText(g.expiresAt - now)}</Text>
                    <Text className="gb-forming__go">去参团</Text>
                  </View>
                ))}
              </View>
            )}
          </View>
        )
      })}
      {activities && activities.length === 0 && <Text className="sp-empty">暂无拼团活动，敬请期待</Text>}
      {!activities && <Text className="sp-empty">加载中…</Text>}
    </View>
  )
}

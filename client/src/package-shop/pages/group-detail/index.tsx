import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { Button } from '@/components/nut'
import { LoadError, useCloudData } from '@/utils/cloudData'
import { ProductPic } from '@/components/ProductCard'
import { isRemoteImage } from '@/services/member'
import { countdownText, fetchGroupDetail, joinGroup, openGroup, SHOP } from '@/services/shop'
import { track } from '@/services/tracker'
import { useServerClock } from '@/utils/clock'
import { yuan } from '@/utils/format'
import { toast } from '@/utils/ui'
import '../../components/shop.scss'
import { useBusyLock } from '../../utils/hooks'
import { GROUP_STATUS_TEXT } from '@cloud/domain/activities'
import { payOrder } from '../../utils/trade'
import './index.scss'

// 拼团详情：进度（人数、头像、倒计时）、参团 / 开团、邀请好友（weapp 转发；h5 显示分享路径）
export default function GroupDetailPage() {
  const { params } = useRouter()
  const groupId = params.groupId ?? ''
  const { busy, run } = useBusyLock()
  const clock = useServerClock()
  const {
    data: detail,
    error,
    load,
  } = useCloudData(
    () => fetchGroupDetail(groupId),
    (d) => clock.sync(d.serverTime),
  )
  const sharePath = `${SHOP}/group-detail/index?groupId=${groupId}`

  useShareAppMessage(() => {
    const a = detail?.activity
    track('share', {
      page: 'package-shop/pages/group-detail/index',
      ...(a?.productId ? { productId: a.productId } : {}),
    })
    const left = detail ? detail.group.size - detail.group.seats : 0
    return {
      title: a ? `还差 ${left} 人！${yuan(a.price)} 拼「${a.name ?? a.title}」` : '快来和我一起拼团',
      path: sharePath,
    }
  })

  const act = async (kind: 'join' | 'open') => {
    if (!detail) return
    await run(kind, async () => {
      const res =
        kind === 'join'
          ? await joinGroup(groupId, { fulfilment: 'pickup' })
          : detail.activity
            ? await openGroup(detail.activity._id, { fulfilment: 'pickup' })
            : null
      if (!res) return
      if (!res.ok) {
        toast(res.error.message)
        void load()
        return
      }
      const paid = await payOrder(res.data.order, res.data.payment)
      if (!paid.paid) toast(paid.cancelled ? '已取消支付，支付后才算参团成功' : paid.message)
      else toast(kind === 'join' ? '参团成功' : '开团成功', 'success')
      if (res.data.groupId !== groupId)
        void Taro.redirectTo({ url: `${SHOP}/group-detail/index?groupId=${res.data.groupId}` })
      else void load()
    })
  }

  if (error && !detail) return <LoadError idPrefix="group" error={error} onRetry={load} />
  if (!detail)
    return (
      <View className="page">
        <Text className="sp-empty">加载中…</Text>
      </View>
    )

  const { group, activity, members } = detail
  const now = clock.now
  const left = Math.max(0, group.size - group.seats)
  const open = (group.status === 'forming' || group.status === 'pending') && group.expiresAt > now
  const canJoin = !detail.joined && group.status === 'forming' && left > 0 && group.expiresAt > now
  const slots = Array.from({ length: group.size }, (_, i) => members[i] ?? null)

  return (
    <View className="page gd-page">
      {activity && (
        <View className="sp-card gd-product">
          <ProductPic className="gd-product__pic" src={activity.image} name={activity.name ?? activity.title} />
          <View className="gd-product__body">
            <Text className="gd-product__title">{activity.title}</Text>
            <Text className="gd-product__name">{activity.name}</Text>
            <View className="gd-product__prices">
              <Text className="gd-product__price">{yuan(activity.price)}</Text>
              {activity.listPrice !== undefined && <Text className="gd-product__list">{yuan(activity.listPrice)}</Text>}
            </View>
          </View>
        </View>
      )}

      <View className="sp-card gd-progress">
        <Text className="gd-progress__status" id="group-status">
          {open && group.status === 'forming'
            ? left > 0
              ? `还差 ${left} 人成团`
              : '已满员，等待支付'
            : GROUP_STATUS_TEXT[group.status]}
        </Text>
        <Text className="gd-progress__seats" id="group-seats">
          {group.seats}/{group.size} 人已参团
        </Text>
        <View className="gd-avatars">
          {slots.map((m, i) => (
            <View key={i} className={`gd-avatar${m ? '' : ' gd-avatar--empty'}`}>
              {m && isRemoteImage(m.avatar) ? (
                <Image className="gd-avatar__img" src={m.avatar} mode="aspectFill" />
              ) : (
                <Text className="gd-avatar__char">{m ? (m.nickname || '友').slice(0, 1) : '?'}</Text>
              )}
              {m?.isLeader && <Text className="gd-avatar__leader">团长</Text>}
            </View>
          ))}
        </View>
        {open && (
          <Text className="gd-progress__time sp-countdown" id="group-countdown">
            剩余 {countdownText(group.expiresAt - now)} 结束
          </Text>
        )}
      </View>

      <View className="gd-actions">
        {canJoin && (
          <View id="group-join-btn">
            <Button type="primary" shape="round" block loading={busy !== null} onClick={() => void act('join')}>
              {activity ? `${yuan(activity.price)} 立即参团` : '立即参团'}
            </Button>
          </View>
        )}
        {detail.joined &&
          open &&
          left > 0 &&
          (process.env.TARO_ENV === 'weapp' ? (
            <View id="group-share-btn">
              <Button type="primary" shape="round" block openType="share">
                邀请好友参团
              </Button>
            </View>
          ) : (
            <View className="gd-share" id="group-share">
              <Text className="gd-share__label">复制链接发给好友：</Text>
              <Text className="gd-share__path" id="group-share-path" userSelect>
                {sharePath}
              </Text>
            </View>
          ))}
        {!canJoin && !(detail.joined && open) && activity && (
          <View id="group-open-btn">
            <Button type="primary" shape="round" block loading={busy !== null} onClick={() => void act('open')}>
              我也开一个团
            </Button>
          </View>
        )}
      </View>

      <View className="sp-card gd-rules">
        <Text className="sp-card__title">拼团规则</Text>
        <Text className="gd-rules__text">
          1. 开团或参团需先支付；{'\n'}2. 有效期内凑满 {group.size} 人即拼团成功；{'\n'}3. 超时未成团，款项将原路退回。
        </Text>
      </View>
    </View>
  )
}

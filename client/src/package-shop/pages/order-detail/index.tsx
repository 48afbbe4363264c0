import { useCallback, useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button, Cell, CellGroup } from '@/components/nut'
import { canTransition, isCompleted, ORDER_STATUS_DESC, refundableBy } from '@cloud/domain/orders'
import { LoadError } from '@/utils/cloudData'
import {
  cancelOrder,
  confirmReceipt,
  countdownText,
  fetchOrder,
  fetchServerTime,
  refundOrder,
  repayOrder,
  SHOP,
  storeName,
  useStores,
  type Order,
} from '@/services/shop'
import { useServerClock } from '@/utils/clock'
import { shanghaiDateTime, yuan } from '@/utils/format'
import { confirm, go, toast } from '@/utils/ui'
import '../../components/shop.scss'
import { useBusyLock } from '../../utils/hooks'
import PriceBreakdown from '../../components/PriceBreakdown'
import { payOrder } from '../../utils/trade'
import './index.scss'

type Busy = null | 'pay' | 'cancel' | 'refund' | 'receive'

// 订单详情：状态（待付款倒计时）、按状态的操作（去支付/取消订单/申请退款/确认收货）、商品与价格明细
export default function OrderDetailPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const [order, setOrder] = useState<Order | null>(null)
  const stores = useStores()
  const [error, setError] = useState<{ code: string; message: string } | null>(null)
  const { busy, run } = useBusyLock<Exclude<Busy, null>>()
  const clock = useServerClock()
  const { sync } = clock

  const load = useCallback(async () => {
    const [res, time] = await Promise.all([fetchOrder(id), fetchServerTime()])
    if (time.ok) sync(time.data.serverTime)
    if (!res.ok) {
      setError(res.error)
      return
    }
    setError(null)
    setOrder(res.data.order)
  }, [id, sync])

  useDidShow(() => {
    void load()
  })

  const pay = () =>
    run('pay', async () => {
      const res = await repayOrder(id)
      if (!res.ok) {
        toast(res.error.message)
        void load()
        return
      }
      const r = await payOrder(res.data.order, res.data.payment)
      if (!r.paid) toast(r.message)
      else toast('支付成功', 'success')
      if (r.paid && r.order) setOrder(r.order)
      else void load()
    })

  const doCancel = () =>
    run('cancel', async () => {
      if (!(await confirm('取消订单', '确定取消该订单吗？已使用的优惠券与积分将退回。', '取消订单'))) return
      const res = await cancelOrder(id)
      if (!res.ok) toast(res.error.message)
      else {
        toast('订单已取消')
        setOrder(res.data.order)
      }
    })

  const doRefund = () =>
    run('refund', async () => {
      if (!(await confirm('申请退款', '确定申请退款吗？款项将原路退回。', '申请退款'))) return
      const res = await refundOrder(id, '买家申请退款')
      if (!res.ok) toast(res.error.message)
      else {
        toast('已提交退款申请')
        setOrder(res.data.order)
      }
    })

  const doReceive = () =>
    run('receive', async () => {
      const pickup = order?.fulfilment === 'pickup'
      if (!(await confirm(pickup ? '确认取货' : '确认收货', pickup ? '确认已在门店取到商品？' : '确认已收到商品？')))
        return
      const res = await confirmReceipt(id)
      if (!res.ok) toast(res.error.message)
      else toast('已确认', 'success')
      void load()
    })

  if (error && !order) return <LoadError idPrefix="order" error={error} onRetry={load} />
  if (!order)
    return (
      <View className="page">
        <Text className="sp-empty">加载中…</Text>
      </View>
    )

  const left = order.expiresAt - clock.now
  const unpaid = canTransition(order.status, 'pay')
  const payable = unpaid && left > 0
  const expired = unpaid && left <= 0
  const actions: { key: Exclude<Busy, null>; id: string; text: string; primary?: boolean; onClick: () => void }[] = []
  if (payable) {
    actions.push({ key: 'cancel', id: 'order-cancel', text: '取消订单', onClick: () => void doCancel() })
    actions.push({ key: 'pay', id: 'order-pay', text: '去支付', primary: true, onClick: () => void pay() })
  }
  const completed = isCompleted(order.status)
  const afterSales = completed && order.refundUntil != null && clock.now < order.refundUntil
  if (refundableBy(order, 'buyer') && (!completed || afterSales))
    actions.push({
      key: 'refund',
      id: 'order-refund',
      text: afterSales ? '申请售后退款' : '申请退款',
      onClick: () => void doRefund(),
    })
  if (canTransition(order.status, 'complete'))
    actions.push({
      key: 'receive',
      id: 'order-receive',
      text: order.fulfilment === 'pickup' ? '确认取货' : '确认收货',
      primary: true,
      onClick: () => void doReceive(),
    })

  return (
    <View className="page od-page">
      <View className={`od-head od-head--${order.status}`}>
        <Text className="od-head__status" id="order-status">
          {expired ? '已关闭' : order.statusText}
        </Text>
        <Text className="od-head__desc" id="order-status-desc">
          {payable ? (
            <Text className="sp-countdown" id="order-countdown">
              请在 {countdownText(left)} 内完成支付，超时订单将自动关闭
            </Text>
          ) : expired ? (
            '订单已超时关闭'
          ) : (
            (ORDER_STATUS_DESC[order.status] ?? '')
          )}
        </Text>
      </View>

      {order.groupId && (
        <View className="sp-card od-group" onClick={() => go(`${SHOP}/group-detail/index?groupId=${order.groupId}`)}>
          <Text>拼团进度</Text>
          <Text className="od-link">查看 ›</Text>
        </View>
      )}

      <View className="sp-card">
        {order.fulfilment === 'delivery' && order.address ? (
          <View className="od-address">
            <Text className="od-address__label">快递配送</Text>
            <Text className="od-address__name">
              {order.address.name} {order.address.phone}
            </Text>
            <Text className="od-address__detail">{order.address.detail}</Text>
          </View>
        ) : (
          <View className="od-address">
            <Text className="od-address__label">到店自提</Text>
            <Text className="od-address__name">{storeName(stores, order.storeId)}</Text>
          </View>
        )}
      </View>

      <View className="sp-card" id="order-lines">
        {order.lines.map((l, i) => (
          <View key={i} className="od-line">
            <View className="od-line__main">
              <Text className="od-line__name">{l.name}</Text>
              {l.spec ? <Text className="od-line__spec">{l.spec}</Text> : null}
            </View>
            <View className="od-line__side">
              <Text className="od-line__price">{yuan(l.unitPrice)}</Text>
              <Text className="od-line__qty">x{l.qty}</Text>
            </View>
          </View>
        ))}
      </View>

      <PriceBreakdown price={order.price} payAmountId="order-pay-amount" />

      <CellGroup>
        <Cell title="订单编号" extra={<Text id="order-id">{order._id}</Text>} />
        <Cell title="下单时间" extra={shanghaiDateTime(order.createdAt)} />
        {order.paidAt ? <Cell title="支付时间" extra={shanghaiDateTime(order.paidAt)} /> : null}
        <Cell title="订单类型" extra={order.type === 'flash' ? '秒杀' : order.type === 'group' ? '拼团' : '普通订单'} />
      </CellGroup>

      {actions.length > 0 && (
        <>
          <View className="sp-bar-space" />
          <View className="sp-bar od-bar">
            <View className="sp-bar__main">
              <Text>实付</Text>
              <Text className="sp-bar__amount">{yuan(order.payAmount)}</Text>
            </View>
            {actions.map((a) => (
              <View key={a.key} id={a.id} className="od-bar__btn">
                <Button
                  type={a.primary ? 'primary' : 'default'}
                  shape="round"
                  size="small"
                  loading={busy === a.key}
                  disabled={busy !== null && busy !== a.key}
                  onClick={a.onClick}
                >
                  {a.text}
                </Button>
              </View>
            ))}
          </View>
        </>
      )}
    </View>
  )
}

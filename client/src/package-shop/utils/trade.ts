import Taro from '@tarojs/taro'
import { payFor, pollUntil } from '@/services/pay'
import { askSubscribe } from '@/services/subscribe'
import { fetchOrder, loadStores, SHOP, type Order, type Payment } from '@/services/shop'
import { COUPON_USE_TEXT } from '@cloud/domain/coupon-rules'
import { canTransition } from '@cloud/domain/orders'

export type PayResult = { paid: true; order: Order | null } | { paid: false; cancelled: boolean; message: string }

// 拉起支付并等回调入账：payment 为 null 表示积分/储值已全额抵扣（服务端已置为已支付）；
// 付款成功后轮询订单约 3 秒，直到不再是“待付款”
export async function payOrder(order: Order, payment: Payment | null): Promise<PayResult> {
  if (payment) {
    const r = await payFor(payment, order._id)
    if (!r.ok) return { paid: false, cancelled: r.cancelled, message: r.message }
    // 支付回调链路里请求订单通知订阅（不等待：不耽误跳转订单详情）
    void askSubscribe(['orderPaid'])
  }
  const settled = await pollUntil(async () => {
    const res = await fetchOrder(order._id)
    return res.ok && !canTransition(res.data.order.status, 'pay') ? res.data.order : null
  })
  return { paid: true, order: settled }
}

// 下单后去订单详情（替换当前页，返回时不回到结算/抢购页）
export function openOrderDetail(orderId: string, redirect = true): void {
  const url = `${SHOP}/order-detail/index?id=${orderId}`
  void (redirect ? Taro.redirectTo({ url }) : Taro.navigateTo({ url }))
}

// 选择自提门店（底部动作面板）；取消返回 null
export async function pickStore(): Promise<string | null> {
  try {
    // 微信的动作面板最多 6 项
    const stores = (await loadStores()).slice(0, 6)
    if (stores.length === 0) return null
    const res = await Taro.showActionSheet({ itemList: stores.map((s) => s.name), itemColor: '#1a1a1a' })
    return stores[res.tapIndex]?._id ?? null
  } catch {
    return null
  }
}

// 优惠券不可用原因（与下单时服务端的报错同一份文案）
export function couponReason(code: string | undefined): string {
  return (code && (COUPON_USE_TEXT as Record<string, string>)[code]) || '当前订单不可用'
}

import Taro from '@tarojs/taro'
import { ERROR_TEXT } from '@cloud/domain/error-codes'
import { CLOUD_BASE } from './cloud'
import type { Payment } from './shop'

// 支付结果：cancelled = 用户主动取消（不必报错）
export type PayOutcome = { ok: true } | { ok: false; cancelled: boolean; message: string }

// 拉起支付（各交易页共用）：weapp 调 Taro.requestPayment；h5 没有微信支付，
// 向本地云沙箱确认支付（POST /__sandbox/pay/confirm），由它回调 pay 云函数入账。
// 支付成功只代表用户付了款；到账以支付回调为准，调用方随后轮询余额/订单状态。
export async function payFor(payment: Payment, outTradeNo: string): Promise<PayOutcome> {
  if (process.env.TARO_ENV === 'weapp') {
    try {
      await Taro.requestPayment({ ...payment, signType: payment.signType as Taro.requestPayment.Option['signType'] })
      return { ok: true }
    } catch (e) {
      const msg = String((e as { errMsg?: unknown } | null)?.errMsg ?? '')
      if (/cancel/i.test(msg)) return { ok: false, cancelled: true, message: '已取消支付' }
      return { ok: false, cancelled: false, message: '支付失败，请稍后重试' }
    }
  }
  try {
    const res = await Taro.request<{ ok?: boolean; error?: { message?: string } }>({
      url: `${CLOUD_BASE}/__sandbox/pay/confirm`,
      method: 'POST',
      data: { outTradeNo },
      header: { 'Content-Type': 'application/json' },
      dataType: 'json',
    })
    if (res.statusCode === 200 && res.data?.ok) return { ok: true }
    return { ok: false, cancelled: false, message: res.data?.error?.message ?? '支付失败，请稍后重试' }
  } catch {
    return { ok: false, cancelled: false, message: ERROR_TEXT.NETWORK_ERROR }
  }
}

// 轮询直到 check 返回非 null，或超时（默认约 3 秒）；超时返回 null
export async function pollUntil<T>(
  check: () => Promise<T | null>,
  timeoutMs = 3000,
  intervalMs = 500,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== null) return value
    if (Date.now() + intervalMs > deadline) return null
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

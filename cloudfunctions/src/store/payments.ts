// WeChat Pay (cloud.cloudPay) in one place: every call names the same callback function, environment and
// sub-merchant, and every answer is checked for returnCode and resultCode here.
// wx-server-sdk (index.js, cloudpay `callCloudPayAPI`) converts our camelCase fields to WeChat's snake_case,
// sends them as JSON and converts the answer back to camelCase (then sets errCode 0 / errMsg ':ok' itself).
// JSON drops Symbol values, so cloud.DYNAMIC_CURRENT_ENV (a Symbol) can never be the env id: a request
// carrying it has no env_id at all. The env id is the running function's own, from getWXContext().ENV.
import * as cloud from 'wx-server-sdk';
import type { CloudPayResult, WxPayment } from 'wx-server-sdk';
import { formatShanghai } from '../domain/time';
import { AppError } from '../lib/errors';

/** The function WeChat delivers payment and refund results to. */
export const PAY_CALLBACK_FUNCTION = 'pay';

const nonce = () => Math.random().toString(36).slice(2, 18).padEnd(16, '0');

// The fields every cloudPay call carries.
function merchant(): { functionName: string; envId: string; subMchId: string; nonceStr: string } {
  const envId = cloud.getWXContext().ENV;
  if (!envId) {
    console.error('[payments] no ENV in getWXContext(): cannot name the environment for WeChat Pay');
    throw new AppError('PAY_FAILED', '支付服务暂不可用，请稍后重试');
  }
  // The local cloud's sandbox needs no real sub-merchant; production sets SUB_MCH_ID in the console.
  const subMchId = process.env.SUB_MCH_ID ?? 'local_sub_mch';
  return { functionName: PAY_CALLBACK_FUNCTION, envId, subMchId, nonceStr: nonce() };
}

// WeChat Pay's time format (yyyyMMddHHmmss, Beijing time).
const payTime = (ms: number) => formatShanghai(ms, 'YYYYMMDDHHmmss');

const failure = (r: CloudPayResult) => String(r.errCodeDes ?? r.returnMsg ?? r.resultCode ?? r.returnCode ?? 'unknown');

/** A JSAPI payment to start on the client (wx.requestPayment), or PAY_FAILED with `failMessage`. */
export async function unifiedOrder(o: {
  outTradeNo: string;
  totalFee: number;
  body: string;
  openid: string;
  expiresAt?: number;
  failMessage?: string;
}): Promise<WxPayment> {
  const failMessage = o.failMessage ?? '发起支付失败，请稍后重试';
  let res: CloudPayResult;
  try {
    res = await cloud.cloudPay.unifiedOrder({
      ...merchant(),
      body: o.body.slice(0, 60),
      outTradeNo: o.outTradeNo,
      totalFee: o.totalFee,
      spbillCreateIp: cloud.getWXContext().CLIENTIP || '127.0.0.1',
      tradeType: 'JSAPI',
      openid: o.openid,
      ...(o.expiresAt !== undefined ? { timeExpire: payTime(o.expiresAt) } : {}),
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    console.error('[payments] unifiedOrder failed', o.outTradeNo, e);
    throw new AppError('PAY_FAILED', failMessage);
  }
  if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS' || !res.payment) {
    console.error('[payments] unifiedOrder refused', o.outTradeNo, failure(res));
    throw new AppError('PAY_FAILED', failMessage);
  }
  return res.payment;
}

/** The outcome of one refund request: done, or a reason to try again later. */
export type RefundOutcome = { ok: true; refundId: string | null } | { ok: false; error: string };

/**
 * Asks WeChat to refund `refundFee` of a payment. The same `outRefundNo` never refunds twice, so a retry is
 * safe. Never throws: a failed call is an outcome the caller retries.
 */
export async function refund(o: {
  outTradeNo: string;
  outRefundNo: string;
  totalFee: number;
  refundFee: number;
}): Promise<RefundOutcome> {
  try {
    const res = await cloud.cloudPay.refund({
      ...merchant(),
      outTradeNo: o.outTradeNo,
      outRefundNo: o.outRefundNo,
      totalFee: o.totalFee,
      refundFee: o.refundFee,
    });
    const done = res.returnCode === 'SUCCESS' && res.resultCode === 'SUCCESS';
    if (done) return { ok: true, refundId: res.refundId ?? null };
    return { ok: false, error: failure(res) };
  } catch (e) {
    return { ok: false, error: String((e as { errMsg?: string })?.errMsg ?? (e as Error)?.message ?? e) };
  }
}

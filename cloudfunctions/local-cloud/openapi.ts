// The openapi sandbox: subscribe messages with per-user quota, mini-program codes as real QR PNGs,
// and cloud pay (unified order, refund) that calls back the named function like WeChat Pay does.
import { randomBytes } from 'crypto';
import * as QRCode from 'qrcode';
import { Engine } from './db/engine';

/** Sandbox collections, prefixed so they never clash with the product's. */
export const SANDBOX = { quota: '__sandbox_subscribe_quota', outbox: '__sandbox_outbox', pay: '__sandbox_pay', refunds: '__sandbox_refunds' } as const;

const SCENE_RE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

/** An openapi failure shaped like the SDK's (errCode + errMsg). */
function apiError(errCode: number, errMsg: string): Error {
  return Object.assign(new Error(errMsg), { errCode, errMsg });
}

const nonce = () => randomBytes(8).toString('hex');
const timeEnd = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace(/[-T:]/g, '').slice(0, 14);

/** Invokes a function as a platform callback (SOURCE wx_paycallback). */
export type CallbackInvoker = (name: string, event: Record<string, unknown>) => Promise<unknown>;

/** Builds `cloud.openapi` and `cloud.cloudPay` over the engine. */
export function createSandbox(engine: Engine, invokeCallback: CallbackInvoker) {
  const get = (c: string, id: string) => engine.peek(c, id);
  const put = (c: string, doc: { _id: string } & Record<string, unknown>) => engine.commit([[c, doc._id, doc]]);

  /** Grants `count` one-time sends of a template to a user (what an `accept` in requestSubscribeMessage does). */
  function grantSubscription(openid: string, templateId: string, count = 1): number {
    const id = `${openid}:${templateId}`;
    const left = Number(get(SANDBOX.quota, id)?.left ?? 0) + count;
    put(SANDBOX.quota, { _id: id, openid, templateId, left });
    return left;
  }

  const subscribeMessage = {
    async send(args: Record<string, unknown>) {
      const { touser, templateId, data } = args as { touser?: string; templateId?: string; data?: unknown };
      if (!touser) throw apiError(40003, 'invalid openid');
      if (!templateId) throw apiError(40037, 'invalid template id');
      if (!data || typeof data !== 'object') throw apiError(47003, 'argument invalid! data is empty');
      const id = `${touser}:${templateId}`;
      const left = Number(get(SANDBOX.quota, id)?.left ?? 0);
      if (left < 1) throw apiError(43101, 'user refuse to accept the msg');
      const msgId = nonce();
      engine.commit([
        [SANDBOX.quota, id, { _id: id, openid: touser, templateId, left: left - 1 }],
        [SANDBOX.outbox, msgId, { ...args, _id: msgId, sentAt: Date.now() }],
      ]);
      return { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' };
    },
  };

  const wxacode = {
    async getUnlimited(args: Record<string, unknown>) {
      const scene = String(args.scene ?? '');
      const page = String(args.page ?? 'pages/index/index');
      if (!SCENE_RE.test(scene)) throw apiError(40169, 'invalid length for scene, or the data is not json string');
      if (page.startsWith('/')) throw apiError(41030, 'invalid page rule');
      const width = Math.min(1280, Math.max(280, Number(args.width ?? 430)));
      const buffer = await QRCode.toBuffer(`https://local.wxacode/${page}?scene=${encodeURIComponent(scene)}`, { type: 'png', width, margin: 2 });
      return { errCode: 0, errMsg: 'openapi.wxacode.getUnlimited:ok', contentType: 'image/png', buffer };
    },
  };

  // Sandbox phone codes look like `sandbox:13800138000` (what getPhoneNumber's code stands for).
  const phonenumber = {
    async getPhoneNumber(args: Record<string, unknown>) {
      const m = /^sandbox:(1\d{10})$/.exec(String(args.code ?? ''));
      if (!m) throw apiError(40029, 'invalid code');
      return { errCode: 0, errMsg: 'openapi.phonenumber.getPhoneNumber:ok', phoneInfo: { phoneNumber: m[1], purePhoneNumber: m[1], countryCode: '86' } };
    },
  };

  const cloudPay = {
    async unifiedOrder(args: Record<string, unknown>) {
      const outTradeNo = String(args.outTradeNo ?? '');
      const totalFee = args.totalFee;
      if (!/^[0-9A-Za-z_-]{1,32}$/.test(outTradeNo)) throw apiError(-1, 'cloudPay.unifiedOrder:fail invalid outTradeNo');
      if (!Number.isInteger(totalFee) || (totalFee as number) <= 0) throw apiError(-1, 'cloudPay.unifiedOrder:fail invalid totalFee');
      if (!args.functionName) throw apiError(-1, 'cloudPay.unifiedOrder:fail functionName required');
      const existing = get(SANDBOX.pay, outTradeNo);
      if (existing && existing.status === 'paid') return { returnCode: 'SUCCESS', resultCode: 'FAIL', errCodeDes: '该订单已支付', errCode: 'ORDERPAID' };
      const prepayId = `wx${nonce()}`;
      put(SANDBOX.pay, { _id: outTradeNo, ...args, prepayId, status: 'created', createdAt: Date.now() });
      const n = nonce();
      return {
        returnCode: 'SUCCESS', resultCode: 'SUCCESS', errCode: 0, errMsg: 'cloudPay.unifiedOrder:ok', nonceStr: n, prepayId,
        payment: { appId: 'wx_local_appid', timeStamp: String(Math.floor(Date.now() / 1000)), nonceStr: n, package: `prepay_id=${prepayId}`, signType: 'MD5', paySign: nonce() },
      };
    },

    async refund(args: Record<string, unknown>) {
      const outTradeNo = String(args.out_trade_no ?? args.outTradeNo ?? '');
      const outRefundNo = String(args.out_refund_no ?? args.outRefundNo ?? '');
      const refundFee = Number(args.refund_fee ?? args.refundFee);
      const pay = get(SANDBOX.pay, outTradeNo);
      if (!pay || pay.status !== 'paid') return { returnCode: 'SUCCESS', resultCode: 'FAIL', errCode: 'ORDERNOTEXIST', errCodeDes: '订单不存在或未支付' };
      if (!outRefundNo) throw apiError(-1, 'cloudPay.refund:fail out_refund_no required');
      const prior = get(SANDBOX.refunds, outRefundNo);
      // Same out_refund_no again: WeChat answers with the same refund, never a second one.
      if (prior) return { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outRefundNo, refundId: prior.refundId, refundFee: prior.refundFee };
      const control = get(SANDBOX.pay, '__control');
      if (control && Number(control.failRefunds) > 0) {
        put(SANDBOX.pay, { ...control, failRefunds: Number(control.failRefunds) - 1 });
        return { returnCode: 'SUCCESS', resultCode: 'FAIL', errCode: 'SYSTEMERROR', errCodeDes: '系统超时' };
      }
      const refunded = Number(pay.refunded ?? 0);
      if (!Number.isInteger(refundFee) || refundFee <= 0 || refunded + refundFee > Number(pay.totalFee)) {
        return { returnCode: 'SUCCESS', resultCode: 'FAIL', errCode: 'INVALID_REQUEST', errCodeDes: '退款金额无效' };
      }
      const refundId = `50${nonce()}`;
      engine.commit([
        [SANDBOX.refunds, outRefundNo, { _id: outRefundNo, outTradeNo, refundId, refundFee, createdAt: Date.now() }],
        [SANDBOX.pay, outTradeNo, { ...pay, refunded: refunded + refundFee }],
      ]);
      const fn = String(args.functionName ?? pay.functionName ?? '');
      if (fn) {
        const event = {
          returnCode: 'SUCCESS', appid: 'wx_local_appid', mchId: 'local_mch', subMchId: pay.subMchId, nonceStr: nonce(),
          reqInfo: {
            transactionId: pay.transactionId, outTradeNo, refundId, outRefundNo, totalFee: pay.totalFee, refundFee,
            settlementRefundFee: refundFee, refundStatus: 'SUCCESS', successTime: timeEnd(Date.now()), refundRecvAccout: '支付用户零钱', refundRequestSource: 'API',
          },
        };
        setImmediate(() => { invokeCallback(fn, event).catch(() => undefined); });
      }
      return { returnCode: 'SUCCESS', resultCode: 'SUCCESS', errCode: 0, errMsg: 'cloudPay.refund:ok', outRefundNo, refundId, refundFee };
    },
  };

  /** The user pays: marks the sandbox order paid and delivers the result to its callback `times` times. */
  async function confirmPayment(outTradeNo: string, opts: { times?: number; openid?: string } = {}) {
    const pay = get(SANDBOX.pay, outTradeNo);
    if (!pay) throw apiError(404, `no sandbox payment ${outTradeNo}`);
    const transactionId = String(pay.transactionId ?? `42${nonce()}`);
    const paidAt = Number(pay.paidAt ?? Date.now());
    put(SANDBOX.pay, { ...pay, status: 'paid', transactionId, paidAt });
    const event = {
      returnCode: 'SUCCESS', resultCode: 'SUCCESS', appid: 'wx_local_appid', mchId: 'local_mch', subAppid: 'wx_local_appid',
      subMchId: pay.subMchId, nonceStr: nonce(), openid: opts.openid ?? pay.openid ?? '', subOpenid: opts.openid ?? pay.openid ?? '',
      isSubscribe: 'N', subIsSubscribe: 'N', tradeType: 'JSAPI', bankType: 'OTHERS', feeType: 'CNY', totalFee: pay.totalFee, cashFee: pay.totalFee,
      transactionId, outTradeNo, timeEnd: timeEnd(paidAt), attach: pay.attach,
    };
    const results: unknown[] = [];
    for (let i = 0; i < (opts.times ?? 1); i++) results.push(await invokeCallback(String(pay.functionName), event));
    return { transactionId, results };
  }

  /** Makes the next `n` refunds fail with SYSTEMERROR (to test retries). */
  function failNextRefunds(n: number) {
    put(SANDBOX.pay, { _id: '__control', failRefunds: n });
  }

  return { openapi: { subscribeMessage, wxacode, phonenumber }, cloudPay, grantSubscription, confirmPayment, failNextRefunds };
}

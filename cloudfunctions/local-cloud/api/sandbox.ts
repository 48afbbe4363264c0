// The WeChat sandbox behind `wx.openApi` / `wx.wxPayApi`, working on what arrives over the wire: the
// SDK has already converted the caller's camelCase arguments to snake_case (wx-server-sdk index.js,
// "./src/api/openapi/namespace/generic.ts" and "./src/api/cloudpay/namespace/generic.ts", both
// `convertCase(options.data, { from: 'camelcase', to: 'snakecase', recursive: true })`), and it converts
// our snake_case answers back to camelCase. So this sandbox answers exactly what WeChat answers.
// Adapted from ../openapi.ts (subscribe quota, outbox, wxacode, phone codes, cloud pay and its callbacks);
// the collections and their documents keep that file's names and camelCase fields.
import { randomBytes } from 'crypto';
import * as QRCode from 'qrcode';
import { crc32, deflateSync } from 'zlib';
import { Doc } from '../db/storage';
import { Engine } from '../db/engine';

/** Sandbox collections, prefixed so they never clash with the product's (same names as ../openapi.ts). */
export const SANDBOX = {
  quota: '__sandbox_subscribe_quota',
  outbox: '__sandbox_outbox',
  pay: '__sandbox_pay',
  refunds: '__sandbox_refunds',
  control: '__sandbox_control',
} as const;

/** A WeChat openapi failure: WeChat answers `{ errcode, errmsg }`, which the SDK turns into `{ errCode, errMsg }`. */
export class WxError extends Error {
  /** WeChat's error code (e.g. 43101). */
  readonly errcode: number;
  /** WeChat's error message. */
  readonly errmsg: string;
  constructor(errcode: number, errmsg: string) {
    super(`${errcode} ${errmsg}`);
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}

/** What one openapi gives back: a JSON object (sent with errcode 0) or media bytes. */
export type OpenApiResult =
  | { kind: 'json'; json: Record<string, unknown> }
  | { kind: 'media'; contentType: string; buffer: Buffer };

/** Arguments as the SDK sends them (snake_case keys). */
export type Args = Record<string, unknown>;

/** Invokes a cloud function of the sandbox's env as a platform callback (SOURCE wx_paycallback). */
export type CallbackInvoker = (functionName: string, event: Record<string, unknown>) => Promise<unknown>;

/** What the sandbox needs: the database, the env it serves, the app id and the callback invoker. */
export interface SandboxDeps {
  engine: Engine;
  envId: string;
  appid?: string;
  invokeCallback: CallbackInvoker;
}

// WeChat's scene rule for wxacode.getUnlimited: 1–32 visible chars of this set.
const SCENE_RE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;
const OUT_NO_RE = /^[0-9A-Za-z_\-|*@]{1,32}$/;

const nonce = () => randomBytes(8).toString('hex');
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
// WeChat Pay times are yyyyMMddHHmmss in Beijing time.
const timeEnd = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace(/[-T:]/g, '').slice(0, 14);

// qrcode's own PNG renderer (pngjs) is ~50× slower inside jest's module sandbox, so the PNG is encoded here.
/** A QR code of `text` as an 8-bit grayscale PNG of exactly `width` px with `margin` modules of quiet zone. */
export function qrPng(text: string, width: number, margin = 2): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cells = modules.size + 2 * margin;
  const row = Buffer.alloc(width);
  const raw = Buffer.alloc((width + 1) * width);
  for (let y = 0; y < width; y++) {
    const my = Math.floor((y * cells) / width) - margin;
    for (let x = 0; x < width; x++) {
      const mx = Math.floor((x * cells) / width) - margin;
      const dark = my >= 0 && mx >= 0 && my < modules.size && mx < modules.size && modules.get(my, mx);
      row[x] = dark ? 0 : 255;
    }
    raw[y * (width + 1)] = 0; // filter type None
    row.copy(raw, y * (width + 1) + 1);
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(width, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, grayscale, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Builds the sandbox: openapi handlers by apiName, cloud pay handlers by apiName, and the test controls. */
export function createWxSandbox(deps: SandboxDeps) {
  const { engine, envId } = deps;
  const appid = deps.appid ?? 'wx_local_appid';
  const get = (c: string, id: string) => engine.peek(c, id);
  const put = (c: string, doc: Doc) => engine.commit([[c, doc._id, doc]]);
  const callbacks = new Set<Promise<unknown>>();

  /** Grants `count` one-time sends of a template to a user (what an `accept` in requestSubscribeMessage does). */
  function grantSubscription(openid: string, templateId: string, count = 1): number {
    const id = `${openid}:${templateId}`;
    const left = Number(get(SANDBOX.quota, id)?.left ?? 0) + count;
    put(SANDBOX.quota, { _id: id, openid, templateId, left });
    return left;
  }

  const json = (o: Record<string, unknown>): OpenApiResult => ({
    kind: 'json',
    json: { errcode: 0, errmsg: 'ok', ...o },
  });

  // WeChat API names as the SDK sends them in `apiName` (generic.ts: `innerContext.paths.join('.')`).
  const openapi: Record<string, (args: Args) => Promise<OpenApiResult>> = {
    // subscribeMessage.send: touser, template_id, page, data, miniprogram_state, lang → { errcode, errmsg }.
    async 'subscribeMessage.send'(args) {
      const touser = str(args.touser);
      const templateId = str(args.template_id);
      if (!touser) throw new WxError(40003, 'invalid openid');
      if (!templateId) throw new WxError(40037, 'invalid template id');
      if (!args.data || typeof args.data !== 'object') throw new WxError(47003, 'argument invalid! data is empty');
      const id = `${touser}:${templateId}`;
      const left = Number(get(SANDBOX.quota, id)?.left ?? 0);
      if (left < 1) throw new WxError(43101, 'user refuse to accept the msg');
      const msgId = nonce();
      // The outbox keeps the camelCase names the function used (what ../openapi.ts stored).
      const sent = {
        _id: msgId,
        touser,
        templateId,
        page: args.page,
        data: args.data,
        miniprogramState: args.miniprogram_state,
        lang: args.lang,
        sentAt: Date.now(),
      };
      engine.commit([
        [SANDBOX.quota, id, { _id: id, openid: touser, templateId, left: left - 1 }],
        [SANDBOX.outbox, msgId, JSON.parse(JSON.stringify(sent)) as Doc],
      ]);
      return json({});
    },

    // wxacode.getUnlimited: scene, page, check_path, env_version, width → the image bytes (errors as JSON).
    async 'wxacode.getUnlimited'(args) {
      const scene = str(args.scene);
      const page = args.page === undefined ? 'pages/index/index' : str(args.page);
      if (!SCENE_RE.test(scene)) throw new WxError(40169, 'invalid length for scene, or the data is not json string');
      if (page.startsWith('/')) throw new WxError(41030, 'invalid page rule');
      const width = Math.min(1280, Math.max(280, Number(args.width ?? 430) || 430));
      const text = `https://local.wxacode/${page}?scene=${encodeURIComponent(scene)}`;
      return { kind: 'media', contentType: 'image/png', buffer: qrPng(text, width) };
    },

    // phonenumber.getPhoneNumber: code → phone_info (WeChat keeps camelCase inside phone_info).
    // Sandbox codes look like `sandbox:13800138000` (what a getPhoneNumber button's code stands for).
    async 'phonenumber.getPhoneNumber'(args) {
      const m = /^sandbox:(1\d{10})$/.exec(str(args.code));
      if (!m) throw new WxError(40029, 'invalid code');
      const watermark = { timestamp: Math.floor(Date.now() / 1000), appid };
      return json({ phone_info: { phoneNumber: m[1], purePhoneNumber: m[1], countryCode: '86', watermark } });
    },
  };

  // WeChat Pay v2 answers (JSON instead of XML in cloud pay): a protocol failure is return_code FAIL + return_msg,
  // a business failure return_code SUCCESS + result_code FAIL + err_code + err_code_des.
  const protocolFail = (returnMsg: string) => ({ return_code: 'FAIL', return_msg: returnMsg });
  const bizFail = (errCode: string, errCodeDes: string) => ({
    return_code: 'SUCCESS',
    return_msg: 'OK',
    result_code: 'FAIL',
    err_code: errCode,
    err_code_des: errCodeDes,
  });
  const missing = (args: Args, keys: string[]) => keys.find((k) => args[k] === undefined || args[k] === '');
  const wrongEnv = (e: string) => protocolFail(`env_id ${e} 不是本环境 ${envId}：支付结果只回调下单所在环境的云函数`);

  function paymentFor(prepayId: string, subAppid: string) {
    // What wx.requestPayment needs (cloud pay returns it ready-made in `payment`, already camelCase).
    return {
      appId: subAppid,
      timeStamp: String(Math.floor(Date.now() / 1000)),
      nonceStr: nonce(),
      package: `prepay_id=${prepayId}`,
      signType: 'MD5',
      paySign: nonce().toUpperCase(),
    };
  }

  function unifiedOrderAnswer(pay: Doc) {
    const subAppid = str(pay.subAppid) || appid;
    const prepayId = str(pay.prepayId);
    return {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid,
      mch_id: 'local_mch',
      sub_appid: subAppid,
      sub_mch_id: pay.subMchId,
      nonce_str: nonce(),
      sign: nonce().toUpperCase(),
      result_code: 'SUCCESS',
      trade_type: pay.tradeType,
      prepay_id: prepayId,
      payment: paymentFor(prepayId, subAppid),
    };
  }

  function refundAnswer(pay: Doc, refund: Doc) {
    return {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid,
      mch_id: 'local_mch',
      sub_appid: str(pay.subAppid) || appid,
      sub_mch_id: pay.subMchId,
      nonce_str: nonce(),
      sign: nonce().toUpperCase(),
      result_code: 'SUCCESS',
      transaction_id: pay.transactionId,
      out_trade_no: pay.outTradeNo,
      out_refund_no: refund._id,
      refund_id: refund.refundId,
      refund_fee: refund.refundFee,
      settlement_refund_fee: refund.refundFee,
      total_fee: pay.totalFee,
      cash_fee: pay.totalFee,
      refund_channel: '',
    };
  }

  // Delivers a notice later, as WeChat does; drain() waits for the ones in flight.
  function notifyLater(functionName: string, event: Record<string, unknown>) {
    const p: Promise<unknown> = new Promise<void>((r) => setImmediate(r))
      .then(() => deps.invokeCallback(functionName, event))
      .catch((e: unknown) => console.warn(`[local-cloud] refund notice to ${functionName} failed:`, e))
      .finally(() => callbacks.delete(p));
    callbacks.add(p);
  }

  // `ctx.appid` is ApiOptions.appid (cloudpay generic.ts: the `appid` of `cloud.cloudPay({ appid })`), if any.
  const pay: Record<string, (args: Args, ctx: { appid?: string }) => Promise<Record<string, unknown>>> = {
    // unifiedOrder (CloudPay.unifiedOrder): function_name + env_id name the callback, sub_mch_id the merchant.
    async unifiedOrder(args, ctx) {
      const lacking = missing(args, [
        'env_id',
        'function_name',
        'sub_mch_id',
        'nonce_str',
        'body',
        'out_trade_no',
        'total_fee',
        'spbill_create_ip',
      ]);
      if (lacking) return protocolFail(`缺少参数 ${lacking}`);
      if (str(args.env_id) !== envId) return wrongEnv(str(args.env_id));
      const outTradeNo = str(args.out_trade_no);
      const totalFee = args.total_fee;
      if (!OUT_NO_RE.test(outTradeNo)) return protocolFail('out_trade_no 参数格式错误');
      if (typeof totalFee !== 'number' || !Number.isInteger(totalFee) || totalFee <= 0) {
        return protocolFail('total_fee 参数格式错误');
      }
      if (str(args.nonce_str).length > 32) return protocolFail('nonce_str 参数长度有误');
      const existing = get(SANDBOX.pay, outTradeNo);
      if (existing?.status === 'paid') return bizFail('ORDERPAID', '该订单已支付');
      // The same order again: WeChat gives back the same prepay, unless the terms changed.
      if (existing) {
        if (existing.totalFee !== totalFee || existing.functionName !== args.function_name) {
          return bizFail('INVALID_REQUEST', '201 商户订单号重复');
        }
        return unifiedOrderAnswer(existing);
      }
      const doc: Doc = {
        _id: outTradeNo,
        outTradeNo,
        envId,
        functionName: str(args.function_name),
        subMchId: str(args.sub_mch_id),
        subAppid: str(args.sub_appid) || ctx.appid || null,
        totalFee,
        tradeType: str(args.trade_type) || 'JSAPI',
        openid: str(args.sub_openid) || str(args.openid) || null,
        attach: args.attach ?? null,
        body: args.body,
        prepayId: `wx${nonce()}`,
        status: 'created',
        createdAt: Date.now(),
        request: args,
      };
      put(SANDBOX.pay, doc);
      return unifiedOrderAnswer(doc);
    },

    // refund (CloudPay.refund): out_trade_no or transaction_id, out_refund_no, total_fee, refund_fee.
    async refund(args) {
      const lacking = missing(args, ['sub_mch_id', 'nonce_str', 'out_refund_no', 'total_fee', 'refund_fee']);
      if (lacking) return protocolFail(`缺少参数 ${lacking}`);
      if (args.out_trade_no === undefined && args.transaction_id === undefined) {
        return protocolFail('缺少参数 out_trade_no');
      }
      if (args.env_id !== undefined && str(args.env_id) !== envId) return wrongEnv(str(args.env_id));
      const outRefundNo = str(args.out_refund_no);
      if (!OUT_NO_RE.test(outRefundNo)) return protocolFail('out_refund_no 参数格式错误');
      const byTx =
        args.out_trade_no === undefined
          ? engine.find(SANDBOX.pay, { transactionId: str(args.transaction_id) }, { limit: 1 })[0]
          : undefined;
      const pay = byTx ?? get(SANDBOX.pay, str(args.out_trade_no));
      if (!pay || pay.status !== 'paid') return bizFail('ORDERNOTEXIST', '订单不存在或未支付');
      const prior = get(SANDBOX.refunds, outRefundNo);
      // Same out_refund_no again: WeChat answers with the same refund, never a second one.
      if (prior) {
        if (prior.outTradeNo !== pay.outTradeNo) return bizFail('INVALID_REQUEST', '退款单号已用于其他订单');
        return refundAnswer(pay, prior);
      }
      const control = get(SANDBOX.control, 'refunds');
      if (control && Number(control.failNext) > 0) {
        put(SANDBOX.control, { ...control, failNext: Number(control.failNext) - 1 });
        return bizFail('SYSTEMERROR', '系统超时');
      }
      if (Number(args.total_fee) !== pay.totalFee) {
        return bizFail('INVALID_REQUEST', '订单金额与支付金额不一致');
      }
      const refundFee = args.refund_fee;
      const refunded = Number(pay.refunded ?? 0);
      if (typeof refundFee !== 'number' || !Number.isInteger(refundFee) || refundFee <= 0) {
        return protocolFail('refund_fee 参数格式错误');
      }
      if (refunded + refundFee > Number(pay.totalFee)) {
        return bizFail('INVALID_REQUEST', '申请退款金额超过订单可退金额');
      }
      const refund: Doc = {
        _id: outRefundNo,
        outTradeNo: pay.outTradeNo,
        refundId: `50${nonce()}`,
        refundFee,
        createdAt: Date.now(),
      };
      engine.commit([
        [SANDBOX.refunds, outRefundNo, refund],
        [SANDBOX.pay, pay._id, { ...pay, refunded: refunded + refundFee }],
      ]);
      const fn = str(args.function_name) || str(pay.functionName);
      // The refund notice, camelCase like every cloud pay callback event (WeChat decrypts req_info for us).
      if (fn) {
        notifyLater(fn, {
          returnCode: 'SUCCESS',
          appid,
          mchId: 'local_mch',
          subAppid: str(pay.subAppid) || appid,
          subMchId: pay.subMchId,
          nonceStr: nonce(),
          reqInfo: {
            transactionId: pay.transactionId,
            outTradeNo: pay.outTradeNo,
            refundId: refund.refundId,
            outRefundNo,
            totalFee: pay.totalFee,
            refundFee,
            settlementRefundFee: refundFee,
            refundStatus: 'SUCCESS',
            successTime: timeEnd(Date.now()),
            refundRecvAccout: '支付用户零钱',
            refundRequestSource: 'API',
          },
        });
      }
      return refundAnswer(pay, refund);
    },
  };

  /** The user pays: marks the order paid and delivers the payment notice to its function `times` times. */
  async function confirmPayment(outTradeNo: string, opts: { times?: number; openid?: string } = {}) {
    const order = get(SANDBOX.pay, outTradeNo);
    if (!order) throw Object.assign(new Error(`no sandbox payment ${outTradeNo}`), { status: 404 });
    // Callbacks go only to the env the order was created in.
    if (order.envId !== envId) {
      throw Object.assign(new Error(`payment ${outTradeNo} belongs to env ${String(order.envId)}, not ${envId}`), {
        status: 409,
      });
    }
    const transactionId = str(order.transactionId) || `42${nonce()}`;
    const paidAt = Number(order.paidAt ?? Date.now());
    put(SANDBOX.pay, { ...order, status: 'paid', transactionId, paidAt });
    const openid = opts.openid ?? order.openid ?? '';
    // The payment notice (支付结果回调云函数协议): WeChat Pay's notify fields in camelCase.
    const event = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      appid,
      mchId: 'local_mch',
      subAppid: str(order.subAppid) || appid,
      subMchId: order.subMchId,
      nonceStr: nonce(),
      openid,
      subOpenid: openid,
      isSubscribe: 'N',
      subIsSubscribe: 'N',
      tradeType: order.tradeType,
      bankType: 'OTHERS',
      feeType: 'CNY',
      totalFee: order.totalFee,
      cashFee: order.totalFee,
      transactionId,
      outTradeNo,
      timeEnd: timeEnd(paidAt),
      attach: order.attach,
    };
    const results: unknown[] = [];
    for (let i = 0; i < (opts.times ?? 1); i++) results.push(await deps.invokeCallback(str(order.functionName), event));
    return { transactionId, results };
  }

  /** Makes the next `n` refunds fail with SYSTEMERROR (to test retries). */
  function failNextRefunds(n: number): void {
    put(SANDBOX.control, { _id: 'refunds', failNext: n });
  }

  /** Resolves once every notice in flight (refund notices) has been delivered. */
  async function drain(): Promise<void> {
    while (callbacks.size) await Promise.all([...callbacks]);
  }

  return { openapi, pay, grantSubscription, confirmPayment, failNextRefunds, drain };
}

/** The sandbox built by createWxSandbox. */
export type WxSandbox = ReturnType<typeof createWxSandbox>;

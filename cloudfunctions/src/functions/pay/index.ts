// Cloud function `pay`: the WeChat Pay result callback (cloudPay functionName). WeChat retries
// for up to two days until it answers { errcode: 0 }, so every branch is idempotent. Only the
// platform may call it: SOURCE must be wx_paycallback, never a client.
import * as cloud from 'wx-server-sdk';
import { TOPUP_STATUS, topupCredit } from '../../domain/mall';
import { LEDGER_TITLE } from '../../domain/points';
import { formatShanghai } from '../../domain/time';
import { AlreadyApplied, memberTransaction } from '../../store/member-tx';
import { sendSubscribeMessage, subscribeTemplates } from '../../store/campaigns';
import type { OrderDoc } from '../../domain/orders';
import { finalizeRefund, markOrderPaid } from '../../store/orders';
import { paymentHandlers } from './registry';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

interface PayEvent {
  returnCode?: string;
  resultCode?: string;
  outTradeNo?: string;
  totalFee?: number;
  transactionId?: string;
  subOpenid?: string;
  reqInfo?: Record<string, unknown>;
}

// Stored-value top-ups: outTradeNo starts with SV.
paymentHandlers.SV = async (db, ev, now) => {
  const outTradeNo = String(ev.outTradeNo);
  const { data } = await db.collection('sv_orders').where({ _id: outTradeNo }).limit(1).get();
  const order = data[0];
  if (!order) return { errcode: 0, errmsg: 'unknown order ignored' };
  if (order.status === TOPUP_STATUS.paid) return { errcode: 0, errmsg: 'OK' };
  if (Number(ev.totalFee) !== Number(order.pay)) {
    console.error('[pay] amount mismatch', outTradeNo, ev.totalFee, order.pay);
    return { errcode: 0, errmsg: 'amount mismatch recorded' };
  }
  try {
    await memberTransaction(db, String(order.memberId), now, async (_m, tx) => {
      const cur = (await tx.collection('sv_orders').doc(outTradeNo).get()).data;
      if (cur.status === TOPUP_STATUS.paid) throw new AlreadyApplied('paid');
      await tx
        .collection('sv_orders')
        .doc(outTradeNo)
        .update({ data: { status: TOPUP_STATUS.paid, paidAt: now, transactionId: ev.transactionId ?? null } });
      const credit = topupCredit(order);
      return {
        balance: {
          delta: credit,
          source: 'topup',
          refId: outTradeNo,
          title: LEDGER_TITLE.topup(order.pay, order.bonus),
        },
        result: null,
      };
    });
  } catch (e) {
    if (!(e instanceof AlreadyApplied)) throw e;
  }
  return { errcode: 0, errmsg: 'OK' };
};

// Orders: outTradeNo starts with OD. A payment after the order was cancelled is refunded by the shop timer.
paymentHandlers.OD = async (db, ev, now) => {
  const r = await markOrderPaid(
    db,
    String(ev.outTradeNo),
    now,
    { transactionId: ev.transactionId ?? null, totalFee: Number(ev.totalFee) },
    (o) => notifyPaid(db, o, now),
  );
  return { errcode: 0, errmsg: r };
};

// The order notice the buyer subscribed to at payment: sent only against their remaining quota, and a
// failure never fails the payment callback.
async function notifyPaid(db: cloud.Database, o: OrderDoc, now: number): Promise<void> {
  const orderId = o._id;
  try {
    const templates = await subscribeTemplates(db, now);
    const when = formatShanghai(now, 'YYYY-MM-DD HH:mm');
    await sendSubscribeMessage(
      db,
      { _id: o.memberId, openid: o.openid },
      templates.orderPaid,
      `package-shop/pages/order-detail/index?id=${orderId}`,
      {
        character_string1: orderId.slice(-20),
        amount2: `¥${(o.payAmount / 100).toFixed(2)}`,
        thing3: (o.lines[0]?.name ?? '商品').slice(0, 20),
        time4: when,
      },
    );
  } catch (e) {
    console.error('[pay] order notice failed', e);
  }
}

// Refund results: completes the refund if the synchronous answer was lost.
paymentHandlers.refund = async (db, ev, now) => {
  const info = ev.reqInfo as { outTradeNo?: string; refundStatus?: string } | undefined;
  if (info?.refundStatus === 'SUCCESS' && info.outTradeNo?.startsWith('OD'))
    await finalizeRefund(db, info.outTradeNo, now);
  return { errcode: 0, errmsg: 'OK' };
};

/** Entry point. */
export async function main(event: PayEvent): Promise<{ errcode: number; errmsg: string }> {
  const { SOURCE } = cloud.getWXContext();
  if (!String(SOURCE ?? '').includes('wx_paycallback')) return { errcode: 403, errmsg: 'forbidden' };
  const db = cloud.database();
  const now = Date.now();
  try {
    if (event.reqInfo) {
      const h = paymentHandlers.refund;
      return h ? await h(db, event, now) : { errcode: 0, errmsg: 'OK' };
    }
    if (event.returnCode !== 'SUCCESS' || event.resultCode !== 'SUCCESS') return { errcode: 0, errmsg: 'not paid' };
    const outTradeNo = String(event.outTradeNo ?? '');
    const handler = paymentHandlers[outTradeNo.slice(0, 2)];
    if (!handler) return { errcode: 0, errmsg: 'unknown order ignored' };
    return await handler(db, event, now);
  } catch (e) {
    // Answering non-zero makes WeChat deliver again later: the right move for a transient failure.
    console.error('[pay] callback failed', e);
    return { errcode: 1, errmsg: 'retry' };
  }
}

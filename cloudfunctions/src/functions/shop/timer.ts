// The shop's per-minute timer: cancels unpaid orders past 15 minutes (returning stock, coupons and
// points), settles groups whose time is up (virtual completion or refund everyone), and retries
// refunds that failed. Chunked inside a time budget; whatever is left waits for the next minute.
import type { Database } from 'wx-server-sdk';
import { onGroupExpired } from '../../domain/activities';
import { findById } from '../../store/docs';
import { eventFields } from '../../domain/orders';
import { attemptRefund, cancelOrder, eventWhere, requestRefund } from '../../store/orders';

const BUDGET_MS = 45_000;

/** One run of the timer. */
export async function runShopTimer(db: Database, now: number, budgetMs = BUDGET_MS) {
  const started = Date.now();
  const inBudget = () => Date.now() - started < budgetMs;
  const _ = db.command;
  const out = { cancelled: 0, groupsSucceeded: 0, groupsFailed: 0, refunds: 0, refundRetries: 0 };

  while (inBudget()) {
    const { data } = await db
      .collection('orders')
      .where({ ...eventWhere(db, 'cancel'), expiresAt: _.lte(now) })
      .orderBy('expiresAt', 'asc')
      .limit(100)
      .field({ _id: true })
      .get();
    if (!data.length) break;
    for (const o of data) if ((await cancelOrder(db, o._id, now, 'timeout')) === 'cancelled') out.cancelled++;
    if (data.length < 100) break;
  }

  while (inBudget()) {
    const { data: groups } = await db
      .collection('groups')
      .where({ status: _.in(['forming', 'pending']), expiresAt: _.lte(now) })
      .limit(50)
      .get();
    if (!groups.length) break;
    for (const g of groups) {
      const act = await findById(db, 'group_buys', g.activityId);
      const state = { size: Number(g.size), paidIds: (g.paidIds as string[]) ?? [], status: g.status };
      const verdict = onGroupExpired(state, Boolean(act?.virtualCompletion));
      if (!verdict) continue;
      // Conditional on the status we read, so two timer runs never settle one group twice.
      const r = await db
        .collection('groups')
        .where({ _id: g._id, status: g.status })
        .update({ data: { status: verdict.status, virtual: verdict.virtual, settledAt: now } });
      if (!r.stats.updated) continue;
      const orderIds = Object.values((g.orderIds ?? {}) as Record<string, string>);
      if (verdict.status === 'success') {
        out.groupsSucceeded++;
        await db
          .collection('orders')
          .where({ _id: _.in(orderIds), ...eventWhere(db, 'grouped') })
          .update({ data: eventFields('grouped', now) });
        for (const id of orderIds) await cancelOrder(db, id, now, 'group_settled');
      } else {
        out.groupsFailed++;
        for (const id of orderIds) {
          if ((await cancelOrder(db, id, now, 'group_failed')) === 'cancelled') continue;
          const res = await requestRefund(db, id, now, '拼团失败，自动退款', 'system');
          if (res === 'refunded' || res === 'refunding') out.refunds++;
        }
      }
    }
    if (groups.length < 50) break;
  }

  while (inBudget()) {
    const { data } = await db
      .collection('orders')
      .where({ ...eventWhere(db, 'refunded'), 'refund.nextAttemptAt': _.lte(now) })
      .limit(50)
      .field({ _id: true })
      .get();
    if (!data.length) break;
    let progressed = 0;
    for (const o of data) {
      out.refundRetries++;
      if ((await attemptRefund(db, o._id, now)) === 'refunded') progressed++;
    }
    if (data.length < 50 || progressed === 0) break;
  }

  // Orders cancelled before their payment arrived: the money goes back.
  const lateWhere = { ...eventWhere(db, 'refundLate'), latePayment: _.exists(true), lateRefunded: _.exists(false) };
  const { data: late } = await db.collection('orders').where(lateWhere).limit(50).get();
  for (const o of late) {
    const refund = {
      outRefundNo: `RF${o._id.slice(2)}`,
      reason: '订单已关闭后支付，自动退款',
      fromStatus: o.status,
      requestedAt: now,
      attempts: 0,
      nextAttemptAt: now,
    };
    // Conditional: two timer runs start one late refund once.
    const r = await db
      .collection('orders')
      .where({ _id: o._id, ...lateWhere })
      .update({ data: { ...eventFields('refundLate', now), lateRefunded: true, refund } });
    if (r.stats.updated) await attemptRefund(db, o._id, now);
  }
  return out;
}

// Orders: every state change is one transaction around the member (ledgers, growth, stats) and the
// order, coupon and group documents it touches. Stock is shared by every buyer, so it is a conditional
// update outside the transaction (SKU and flash-sale stock, group seats), taken before and given back
// after. Each change is idempotent by the order's status.
import { COUPON_EVENTS, couponCan } from '../domain/coupon-rules';
import { newServerEvent, ServerEventData, ServerEventType } from '../domain/events';
import type { Database, Doc, Transaction } from 'wx-server-sdk';
import { afterSeatPaid } from '../domain/activities';
import {
  AfterSalesRules,
  checkRefund,
  completedSince,
  COUNTED_STATUSES,
  CountedOrder,
  DEFAULT_AFTERSALES_RULES,
  OrderStatus,
  PurchaseStats,
  pointsForOrder,
  Refunder,
  RefundRefusal,
  statsAfterPayment,
  statsAfterRefund,
  allowedFrom,
  canTransition,
  eventFields,
  OrderEvent,
  OtherOrderTimes,
  paymentEvent,
  OrderDoc,
  inRefund,
  isCompleted,
  isUnfulfilled,
} from '../domain/orders';
import { bucketTotal, earn, expiresAt, LEDGER_TITLE, refund as refundPoints, spend } from '../domain/points';
import { applyGrowth, growthForPayment, GrowthState, tierById } from '../domain/tiers';
import { AppError } from '../lib/errors';
import { TagSubject } from '../domain/tags';
import { shanghaiMonth } from '../domain/time';
import { getConfig } from './config';
import { findById, txGet } from './docs';
import { giveBack, newHoldId, Taken, takeStock, whileHolding } from './holds';
import { allTags, loadCrmModel, tagContext, tagsChanged } from './intelligence';
import { AlreadyApplied, memberTransaction, MemberTxPlan } from './member-tx';
import { refund as refundPayment } from './payments';
import { reverseFirstOrderReward, rewardFirstOrder } from './referrals';
import { loadTiers } from './members';

/** A new order id usable as WeChat Pay's outTradeNo (≤ 32 chars of [0-9A-Za-z_-]). */
export const newOrderId = (now: number): string =>
  `OD${now.toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 10).toUpperCase()}`;

// Takes every line's SKU stock (one conditional update each) or none of it, refusing with the reason.
async function takeLineStock(db: Database, order: OrderDoc): Promise<Taken[]> {
  const taken: Taken[] = [];
  for (const l of order.lines) {
    const t = await takeStock(db, 'skus', l.skuId, l.qty, { onShelf: true });
    if (t) {
      taken.push(t);
      continue;
    }
    await giveBack(db, taken);
    const sku = await findById(db, 'skus', l.skuId);
    if (!sku || !sku.onShelf) throw new AppError('PRODUCT_OFF_SHELF', `${l.name} 已下架`);
    throw new AppError('SOLD_OUT', `${l.name} 库存不足`);
  }
  return taken;
}

/**
 * Creates a normal order: SKU stock is taken first by conditional updates (shared by every buyer, so never
 * inside a member's transaction), then coupon, points and stored value in one transaction with the order.
 * If that transaction fails the stock goes back, unless the order it wrote exists with this attempt's hold.
 */
export async function createNormalOrder(db: Database, order: OrderDoc, now: number): Promise<void> {
  const holdId = newHoldId();
  const taken = await takeLineStock(db, order);
  const landed = async () => (await findById(db, 'orders', order._id))?.holdId === holdId;
  await whileHolding(db, taken, () => addOrderWithPayments(db, { ...order, holdId }, now), landed);
}

/**
 * Writes an order in one member transaction with what it spends: its coupon locked (only an unused coupon of
 * this member), its points and stored value taken. Every order type goes through here once its stock or seat
 * is held; if it throws, nothing of it was written and the caller gives the stock or seat back.
 */
export async function addOrderWithPayments(
  db: Database,
  order: OrderDoc & { holdId?: string },
  now: number,
): Promise<void> {
  await memberTransaction(db, order.memberId, now, async (m, tx) => {
    if (order.couponId) {
      const c = await txGet(tx, 'member_coupons', order.couponId);
      if (!c || c.memberId !== order.memberId || !couponCan(c.status, 'lock'))
        throw new AppError('COUPON_USED', '优惠券不可用');
      await tx
        .collection('member_coupons')
        .doc(order.couponId)
        .update({ data: { status: COUPON_EVENTS.lock.to, lockedBy: order._id } });
    }
    const plan: MemberTxPlan<null> = { result: null };
    if (order.price.pointsUsed > 0) {
      const s = spend(m.pointsBuckets ?? {}, order.price.pointsUsed);
      if (!s.ok) throw new AppError('INSUFFICIENT_POINTS');
      plan.points = {
        buckets: s.buckets,
        source: 'order',
        refId: order._id,
        title: LEDGER_TITLE.pointsDeduction(order.price.pointsDeduction),
      };
    }
    if (order.price.balanceUsed > 0)
      plan.balance = {
        delta: -order.price.balanceUsed,
        source: 'order',
        refId: order._id,
        title: LEDGER_TITLE.orderBalance,
      };
    await tx.collection('orders').add({ data: order });
    return plan;
  });
}

/**
 * Marks an order paid (payment callback, or an order fully paid by stored value / points):
 * grants points and growth and updates the member's purchase aggregates exactly once.
 * Returns 'late' when the payment arrived after the order was cancelled (it must be refunded).
 * `onFirstPaid` runs once, after the one delivery that made the change, with the order as read.
 */
export async function markOrderPaid(
  db: Database,
  orderId: string,
  now: number,
  payment: { transactionId?: string | null; totalFee?: number },
  onFirstPaid?: (order: OrderDoc) => Promise<void>,
): Promise<'paid' | 'already' | 'late' | 'unknown'> {
  const { data } = await db.collection('orders').where({ _id: orderId }).limit(1).get();
  const order = data[0];
  if (!order) return 'unknown';
  if (payment.totalFee !== undefined && payment.totalFee !== order.payAmount) {
    console.error('[orders] paid amount mismatch', orderId, payment.totalFee, order.payAmount);
    return 'unknown';
  }
  const [tiers, crm] = await Promise.all([loadTiers(db), loadCrmModel(db, now)]);
  try {
    const result = await memberTransaction(db, order.memberId, now, async (m, tx) => {
      const cur = await txGet(tx, 'orders', orderId);
      if (!cur) throw new AlreadyApplied('gone');
      // Paid after the unpaid timeout cancelled it: the money goes back (the late-refund event's source).
      if (canTransition(cur.status, 'refundLate')) {
        await tx
          .collection('orders')
          .doc(orderId)
          .update({ data: { latePayment: { at: now, transactionId: payment.transactionId ?? null } } });
        return { result: 'late' as 'late' | { status: 'paid'; invited: boolean } };
      }
      const event = paymentEvent(cur.type);
      if (!canTransition(cur.status, event)) throw new AlreadyApplied('paid');
      await tx
        .collection('orders')
        .doc(orderId)
        .update({ data: { ...eventFields(event, now), transactionId: payment.transactionId ?? null } });
      if (cur.couponId)
        await tx
          .collection('member_coupons')
          .doc(cur.couponId)
          .update({ data: { status: COUPON_EVENTS.use.to, usedAt: now, orderId } });
      if (cur.type === 'group' && cur.groupId) await seatPaid(tx, cur, now);
      const money = cur.payAmount + cur.price.balanceUsed;
      const tier = tierById(String(m.tierId), tiers);
      const points = pointsForOrder(money, tier.pointsMultiplier ?? 100);
      const growth = growthForPayment(money);
      const g = applyGrowth(growthState(m), growth, now, tiers);
      const nextStats = statsAfterPayment(m.stats as Partial<PurchaseStats> | undefined, countedOrder(cur, now));
      // The RFM aggregates and business tags move with each paid order, so the nightly job reads members, not orders.
      const tags = allTags({ ...(m as TagSubject), stats: nextStats }, tagContext(crm, now));
      await tx
        .collection('orders')
        .doc(orderId)
        .update({ data: { earned: { points, growth } } });
      return {
        ...(points > 0
          ? {
              points: {
                buckets: earn(m.pointsBuckets ?? {}, points, now),
                source: 'order_reward',
                refId: orderId,
                title: LEDGER_TITLE.orderReward(orderId),
                expireAt: expiresAt(now),
              },
            }
          : {}),
        patch: {
          tierId: g.tierId,
          growth: g.growth,
          growthByMonth: db.command.set(g.growthByMonth),
          tierReviewAt: g.tierReviewAt,
          stats: statsPatch(db, nextStats, shanghaiMonth(now), 1, money),
          ...(tagsChanged(m.tags, tags) ? { tags: db.command.set(tags) } : {}),
        },
        result: {
          status: 'paid' as const,
          invited: Boolean((m.source as { inviterId?: string } | undefined)?.inviterId),
        },
      };
    });
    if (typeof result === 'string') return result;
    await recordServerEvent(
      db,
      order.memberId,
      'purchase',
      { orderId, amount: order.payAmount + order.price.balanceUsed, categoryIds: order.lines.map((l) => l.categoryId) },
      now,
    );
    if (result.invited) await rewardFirstOrder(db, order.memberId, orderId, now);
    await countSales(db, order, 1);
    if (onFirstPaid) await onFirstPaid(order);
    return 'paid';
  } catch (e) {
    if (e instanceof AlreadyApplied) return 'already';
    throw e;
  }
}

// The order as the purchase aggregates count it (paid at `paidAt`).
function countedOrder(o: OrderDoc, paidAt: number): CountedOrder {
  return {
    categoryIds: o.lines.map((l) => l.categoryId),
    productIds: o.lines.map((l) => l.productId).filter(Boolean),
    money: o.payAmount + o.price.balanceUsed,
    createdAt: o.createdAt,
    paidAt,
  };
}

/** The condition of `event`'s update: the order is in a status the state machine allows it from. */
export const eventWhere = (db: Database, event: OrderEvent) => ({ status: db.command.in([...allowedFrom(event)]) });

/** The member's aggregates as one update: lists and maps replaced whole, the month's aggregate by increments. */
export function statsPatch(
  db: Database,
  s: PurchaseStats,
  month: string,
  n: number,
  amt: number,
): Record<string, unknown> {
  const _ = db.command;
  return {
    orderCount: s.orderCount,
    paidTotal: s.paidTotal,
    firstOrderAt: s.firstOrderAt,
    lastOrderAt: s.lastOrderAt,
    categoryIds: _.set(s.categoryIds),
    categoryCounts: _.set(s.categoryCounts),
    productOrders: _.set(s.productOrders),
    repeatProducts: _.set(s.repeatProducts),
    months: { [month]: { n: _.inc(n), amt: _.inc(amt) } },
  };
}

function growthState(m: Doc): GrowthState {
  return {
    tierId: String(m.tierId ?? 't_normal'),
    growth: Number(m.growth ?? 0),
    growthByMonth: (m.growthByMonth ?? {}) as Record<string, number>,
    tierReviewAt: (m.tierReviewAt as number | null) ?? null,
  };
}

// A group seat is paid; when every seat is paid the group succeeds and all its orders proceed.
async function seatPaid(tx: Transaction, order: OrderDoc, now: number): Promise<void> {
  const g = await txGet(tx, 'groups', order.groupId!);
  if (!g) return;
  const r = afterSeatPaid({ size: Number(g.size), paidIds: (g.paidIds as string[]) ?? [] }, order.memberId);
  const orderIds = { ...((g.orderIds ?? {}) as Record<string, string>), [order.memberId]: order._id };
  const status = g.status === 'pending' ? 'forming' : g.status;
  if (r.success && status === 'forming') {
    await tx
      .collection('groups')
      .doc(order.groupId!)
      .update({ data: { paidIds: r.paidIds, orderIds, status: 'success', succeededAt: now } });
    for (const [memberId, oid] of Object.entries(orderIds)) {
      if (oid === order._id || memberId === order.memberId) continue;
      await groupedInTx(tx, oid, now);
    }
    await tx
      .collection('orders')
      .doc(order._id)
      .update({ data: eventFields('grouped', now) });
  } else {
    await tx
      .collection('groups')
      .doc(order.groupId!)
      .update({ data: { paidIds: r.paidIds, orderIds, status } });
  }
}

// A seat's order moves on with its group (read in the transaction: only from the status the table allows).
async function groupedInTx(tx: Transaction, orderId: string, now: number): Promise<void> {
  const o = await txGet(tx, 'orders', orderId);
  if (o && canTransition(o.status as OrderStatus, 'grouped')) {
    await tx
      .collection('orders')
      .doc(orderId)
      .update({ data: eventFields('grouped', now) });
  }
}

// The shared units an unpaid or refunded order holds: SKU stock, or flash-sale stock and the buyer's
// per-member count. They go back by increments AFTER the transaction that changed the order's status
// committed — exactly once, since only one call makes that change — so they never contend inside it.
// (An in-store order has lines without a SKU: it holds nothing.)
function heldUnits(o: OrderDoc): Taken[] {
  if (o.type === 'normal') {
    return o.lines.filter((l) => l.skuId).map((l) => ({ collection: 'skus', id: l.skuId, giveBack: { stock: l.qty } }));
  }
  if (o.type === 'flash' && o.activityId) {
    const qty = o.lines.reduce((s, l) => s + l.qty, 0);
    return [
      // Stock and sold move together in one update, as they were taken.
      { collection: 'flash_sales', id: o.activityId, giveBack: { stock: qty, sold: -qty } },
      { collection: 'flash_counters', id: `${o.activityId}:${o.memberId}`, giveBack: { count: -qty } },
    ];
  }
  return [];
}

// Gives a group order's seat back, inside the order's transaction (the seat list is read and rewritten).
async function releaseSeat(tx: Transaction, db: Database, o: OrderDoc): Promise<void> {
  const _ = db.command;
  if (o.type === 'group' && o.groupId) {
    const g = await txGet(tx, 'groups', o.groupId);
    if (g && (g.status === 'forming' || g.status === 'pending')) {
      const memberIds = ((g.memberIds as string[]) ?? []).filter((id) => id !== o.memberId);
      await tx
        .collection('groups')
        .doc(o.groupId)
        .update({
          data: {
            seats: memberIds.length,
            memberIds: _.set(memberIds),
            ...(o.memberId === g.leaderId && g.status === 'pending' ? { status: 'failed' } : {}),
          },
        });
    }
  }
}

/** Cancels an unpaid order and returns its stock, coupon, points and stored value. */
export async function cancelOrder(
  db: Database,
  orderId: string,
  now: number,
  reason: string,
): Promise<'cancelled' | 'not_cancellable'> {
  const { data } = await db.collection('orders').where({ _id: orderId }).limit(1).get();
  const order = data[0];
  if (!order) return 'not_cancellable';
  try {
    const r = await memberTransaction(db, order.memberId, now, async (m, tx) => {
      const cur = await txGet(tx, 'orders', orderId);
      if (!cur || !canTransition(cur.status as OrderStatus, 'cancel')) throw new AlreadyApplied('not created');
      await tx
        .collection('orders')
        .doc(orderId)
        .update({ data: { ...eventFields('cancel', now), cancelReason: reason } });
      await releaseSeat(tx, db, cur);
      if (cur.couponId) {
        const c = await txGet(tx, 'member_coupons', cur.couponId);
        if (c && couponCan(c.status, 'release') && c.lockedBy === orderId)
          await tx
            .collection('member_coupons')
            .doc(cur.couponId)
            .update({ data: { status: COUPON_EVENTS.release.to, lockedBy: null } });
      }
      const plan: MemberTxPlan<'cancelled'> = { result: 'cancelled' };
      if (cur.price.pointsUsed > 0)
        plan.points = {
          buckets: refundPoints(m.pointsBuckets ?? {}, cur.price.pointsUsed, now),
          source: 'order_cancel',
          refId: orderId,
          title: LEDGER_TITLE.cancelPoints,
          expireAt: expiresAt(now),
        };
      if (cur.price.balanceUsed > 0)
        plan.balance = {
          delta: cur.price.balanceUsed,
          source: 'order_cancel',
          refId: orderId,
          title: LEDGER_TITLE.cancelBalance,
        };
      return plan;
    });
    // Lines, type and activity never change after creation: the order as read names what it holds.
    await giveBack(db, heldUnits(order));
    return r;
  } catch (e) {
    if (e instanceof AlreadyApplied) return 'not_cancellable';
    throw e;
  }
}

/** The after-sales rules; read fresh by default, since refunds are rare and an operator's change must hold at once. */
export const afterSalesRules = (db: Database, now: number, maxAgeMs = 0): Promise<AfterSalesRules> =>
  getConfig<AfterSalesRules>(db, 'aftersales', DEFAULT_AFTERSALES_RULES, now, maxAgeMs);

async function readOrder(db: Database, orderId: string): Promise<OrderDoc | undefined> {
  const { data } = await db.collection('orders').where({ _id: orderId }).limit(1).get();
  return data[0];
}

/**
 * Starts a refund asked by `by` (domain/orders.ts checkRefund: who, from which status, the after-sales window) and
 * tries it once. The start is one update conditional on the status read (and, after completion, on the window): of
 * many concurrent requests exactly one starts and attempts it; the others answer with the refund under way, which
 * that request or the timer's retries finish.
 */
export async function requestRefund(
  db: Database,
  orderId: string,
  now: number,
  reason: string,
  by: Refunder,
): Promise<'refunded' | 'refunding' | RefundRefusal> {
  const order = await readOrder(db, orderId);
  if (!order) return 'ORDER_NOT_REFUNDABLE';
  if (inRefund(order.status)) return order.status;
  const rules = by === 'system' ? DEFAULT_AFTERSALES_RULES : await afterSalesRules(db, now);
  const verdict = checkRefund(order, by, now, rules);
  if (!verdict.ok) return verdict.code;
  const inWindow = isCompleted(order.status) ? { completedAt: db.command.gte(completedSince(now, rules)) } : {};
  const refund = {
    outRefundNo: `RF${orderId.slice(2)}`,
    reason,
    fromStatus: order.status,
    requestedAt: now,
    attempts: 0,
    nextAttemptAt: now,
    by,
  };
  // Conditional on the status read (checkRefund allowed it, a subset of the table's `refund.from`).
  const r = await db
    .collection('orders')
    .where({ _id: orderId, status: order.status, ...inWindow })
    .update({ data: { ...eventFields('refund', now), refund } });
  if (!r.stats.updated) {
    const again = await readOrder(db, orderId);
    if (again && inRefund(again.status)) return again.status;
    const now2 = again ? checkRefund(again, by, now, rules) : null;
    return now2 && !now2.ok ? now2.code : 'ORDER_NOT_REFUNDABLE';
  }
  return attemptRefund(db, orderId, now);
}

/**
 * One refund attempt with the order's fixed out_refund_no (so a retry can never refund twice). An in-store purchase
 * was paid at the till: its money goes back there, so only the reversal runs.
 */
export async function attemptRefund(db: Database, orderId: string, now: number): Promise<'refunded' | 'refunding'> {
  const order = await readOrder(db, orderId);
  if (!order || !canTransition(order.status, 'refunded') || !order.refund) return 'refunded';
  if (order.payAmount > 0 && order.channel !== 'store') {
    const res = await refundPayment({
      outTradeNo: orderId,
      outRefundNo: order.refund.outRefundNo,
      totalFee: order.payAmount,
      refundFee: order.payAmount,
    });
    if (!res.ok) {
      const attempts = order.refund.attempts + 1;
      // Back off: 1, 2, 4 … minutes, capped at an hour; the shop timer picks it up again.
      const nextAttemptAt = now + Math.min(60, 2 ** (attempts - 1)) * 60_000;
      const refund = { attempts, nextAttemptAt, lastError: res.error };
      await db
        .collection('orders')
        .where({ _id: orderId, ...eventWhere(db, 'refunded') })
        .update({ data: { refund } });
      return 'refunding';
    }
  }
  await finalizeRefund(db, orderId, now);
  return 'refunded';
}

/**
 * Paid times of the member's earliest and latest other counted orders (read before a refund's or reversal's
 * transaction; the aggregates use them only when the order taken back was the first or the last).
 */
export async function otherOrderTimes(
  db: Database,
  order: Pick<OrderDoc, 'memberId' | '_id'>,
): Promise<OtherOrderTimes> {
  const _ = db.command;
  const q = () =>
    db
      .collection('orders')
      .where({ memberId: order.memberId, _id: _.neq(order._id), status: _.in(COUNTED_STATUSES), paidAt: _.gt(0) });
  const [first, last] = await Promise.all([
    q().orderBy('paidAt', 'asc').limit(1).field({ paidAt: true }).get(),
    q().orderBy('paidAt', 'desc').limit(1).field({ paidAt: true }).get(),
  ]);
  const at = (d: { data: Doc[] }) => (d.data[0] ? Number(d.data[0].paidAt) : null);
  return { firstPaidAt: at(first), lastPaidAt: at(last) };
}

/**
 * Completes a refund once: status, stock, coupon, points (used returned, earned taken back), stored value, growth,
 * and the purchase aggregates the payment added (orders, money, categories, first/last order, month, tags);
 * then sales counters, the refund event and the referral reward, by whoever made the change.
 */
export async function finalizeRefund(db: Database, orderId: string, now: number): Promise<boolean> {
  const order = await readOrder(db, orderId);
  if (!order) return false;
  const [tiers, crm, others] = await Promise.all([loadTiers(db), loadCrmModel(db, now), otherOrderTimes(db, order)]);
  try {
    type Done = MemberTxPlan<{ release: boolean }>;
    const done = await memberTransaction(db, order.memberId, now, async (m, tx): Promise<Done> => {
      const cur = await txGet(tx, 'orders', orderId);
      if (!cur || !canTransition(cur.status, 'refunded')) throw new AlreadyApplied('done');
      const wasPaid = Boolean(cur.paidAt);
      await tx
        .collection('orders')
        .doc(orderId)
        .update({ data: eventFields('refunded', now) });
      // A payment that arrived after cancellation: the cancel already returned everything else.
      if (cur.refund && canTransition(cur.refund.fromStatus, 'refundLate')) return { result: { release: false } };
      // Goods not yet handed over go back to stock (after the commit, see heldUnits); group seats here.
      const release = Boolean(cur.refund && isUnfulfilled(cur.refund.fromStatus));
      if (release) await releaseSeat(tx, db, cur);
      if (cur.couponId) await returnCoupon(tx, cur.couponId, orderId);
      const plan: Done = { result: { release } };
      let buckets = m.pointsBuckets ?? {};
      if (cur.price.pointsUsed > 0) buckets = refundPoints(buckets, cur.price.pointsUsed, now);
      const earnedPts = wasPaid ? (cur.earned?.points ?? 0) : 0;
      // Points already spent cannot be taken back below zero: take what is there.
      const takeBack = Math.min(earnedPts, bucketTotal(buckets));
      if (takeBack > 0) {
        const s = spend(buckets, takeBack);
        if (s.ok) buckets = s.buckets;
      }
      if (cur.price.pointsUsed > 0 || takeBack > 0)
        plan.points = {
          buckets,
          source: 'order_refund',
          refId: orderId,
          title: LEDGER_TITLE.refundPoints,
        };
      if (cur.price.balanceUsed > 0)
        plan.balance = {
          delta: cur.price.balanceUsed,
          source: 'order_refund',
          refId: orderId,
          title: LEDGER_TITLE.refundBalance,
        };
      if (wasPaid) {
        const counted = countedOrder(cur, cur.paidAt!);
        const g = applyGrowth(
          growthState(m),
          -(cur.earned?.growth ?? growthForPayment(counted.money)),
          now,
          tiers,
          cur.paidAt,
        );
        const nextStats = statsAfterRefund(m.stats as Partial<PurchaseStats> | undefined, counted, others);
        const tags = allTags({ ...(m as TagSubject), stats: nextStats }, tagContext(crm, now));
        plan.patch = {
          tierId: g.tierId,
          growth: g.growth,
          growthByMonth: db.command.set(g.growthByMonth),
          stats: statsPatch(db, nextStats, shanghaiMonth(cur.paidAt!), -1, -counted.money),
          ...(tagsChanged(m.tags, tags) ? { tags: db.command.set(tags) } : {}),
        };
      }
      return plan;
    });
    if (done.release) await giveBack(db, heldUnits(order));
    const amount = order.payAmount + order.price.balanceUsed;
    await recordServerEvent(db, order.memberId, 'refund', { orderId, amount }, now);
    if (order.paidAt) await countSales(db, order, -1);
    await reverseFirstOrderReward(db, order.memberId, orderId, now);
    return true;
  } catch (e) {
    if (!(e instanceof AlreadyApplied)) throw e;
    // The refund callback and the caller may race to finish one refund; whoever loses still makes
    // sure the referral reward is taken back (idempotent) before answering.
    await reverseFirstOrderReward(db, order.memberId, orderId, now);
    return false;
  }
}

// The coupon a refunded order used goes back to its holder (an expired one then simply shows as expired).
async function returnCoupon(tx: Transaction, couponId: string, orderId: string): Promise<void> {
  const c = await txGet(tx, 'member_coupons', couponId);
  if (c && couponCan(c.status, 'giveBack') && c.orderId === orderId) {
    await tx
      .collection('member_coupons')
      .doc(couponId)
      .update({ data: { status: COUPON_EVENTS.giveBack.to, usedAt: null, orderId: null, lockedBy: null } });
  }
}

// Sales counters (product ranking): atomic increments after the one state change that counts them,
// so they move exactly once per paid or refunded order and never contend with the payment transaction.
async function countSales(db: Database, order: OrderDoc, sign: 1 | -1): Promise<void> {
  const _ = db.command;
  await Promise.all(
    order.lines
      .filter((l) => l.productId)
      .flatMap((l) => [
        db
          .collection('products')
          .doc(l.productId)
          .update({ data: { sales: _.inc(sign * l.qty) } }),
        ...(l.skuId
          ? [
              db
                .collection('skus')
                .doc(l.skuId)
                .update({ data: { sales: _.inc(sign * l.qty) } }),
            ]
          : []),
      ]),
  );
}

/** Records a server-side event (purchase, refund, check-in, redemption): never taken from a client. */
export async function recordServerEvent(
  db: Database,
  memberId: string,
  type: ServerEventType,
  data: ServerEventData,
  now: number,
): Promise<void> {
  await db.collection('events').add({ data: newServerEvent(memberId, type, data, now) });
}

// In-store purchases (门店消费) a guide records: one member transaction writes the order (its id is the
// store's receipt number, so a receipt counts once per store), uses up the member code, writes the audit entry
// and moves points, growth, aggregates and tags. An operator's reversal undoes exactly that, exactly once.
import type { Database, Doc } from 'wx-server-sdk';
import { canTransition, eventFields, OrderStatus, PurchaseStats, tillOrder } from '../domain/orders';
import { expiresAt, LEDGER_TITLE } from '../domain/points';
import { pricedFields, tillPrice } from '../domain/pricing';
import {
  DEFAULT_STORE_PURCHASE_RULES,
  purchaseEffects,
  purchaseSubject,
  reversalEffects,
  storeOrderId,
  StorePurchaseRules,
} from '../domain/store-purchase';
import type { TagSubject } from '../domain/tags';
import { auditEntry } from '../lib/audit';
import { AppError } from '../lib/errors';
import { getConfig } from './config';
import { findById, txGet } from './docs';
import { allTags, CrmModel, loadCrmModel, tagContext } from './intelligence';
import { AlreadyApplied, memberTransaction } from './member-tx';
import { loadTiers } from './members';
import { otherOrderTimes, recordServerEvent, statsPatch } from './orders';
import { reverseFirstOrderReward, rewardFirstOrder } from './referrals';

const USES = 'member_code_uses';

/** The operator's rules, read fresh (a lowered cap applies at once). */
export const storePurchaseRules = (db: Database, now: number): Promise<StorePurchaseRules> =>
  getConfig<StorePurchaseRules>(db, 'store_purchase', DEFAULT_STORE_PURCHASE_RULES, now, 0);

/** A purchase to record; the handler has checked the guide, the member's store and the cap. */
export interface StorePurchaseInput {
  memberId: string;
  code: { useId: string; expiresAt: number };
  guide: { openid: string; storeId: string; name: string };
  amount: number;
  category: { _id: string; name: string };
  receiptNo: string;
  now: number;
}

/** What the guide sees after recording (or replaying) a purchase. */
export interface StorePurchaseResult {
  orderId: string;
  earned: { points: number; growth: number } | null;
  replayed?: boolean;
}

const codeUsed = () => new AppError('MEMBER_CODE_USED');

// The same receipt sent again (a retry) answers with the purchase it recorded; anything else is a duplicate.
function replayOf(order: Doc, p: StorePurchaseInput): StorePurchaseResult {
  const same =
    order.memberId === p.memberId && order.payAmount === p.amount && order.lines?.[0]?.categoryId === p.category._id;
  if (!same) throw new AppError('RECEIPT_DUPLICATE', `小票号 ${p.receiptNo} 已登记过一笔消费，请核对小票号`);
  return { orderId: String(order._id), earned: order.earned ?? null, replayed: true };
}

/** Records a purchase once per store receipt and once per member code; a retry of the same receipt replays. */
export async function recordStorePurchase(db: Database, p: StorePurchaseInput): Promise<StorePurchaseResult> {
  const orderId = storeOrderId(p.guide.storeId, p.receiptNo);
  const prior = await findById(db, 'orders', orderId);
  if (prior) return replayOf(prior, p);
  if (await findById(db, USES, p.code.useId)) throw codeUsed();
  const { now } = p;
  const [tiers, crm] = await Promise.all([loadTiers(db), loadCrmModel(db, now)]);
  let done: { earned: { points: number; growth: number }; invited: boolean };
  try {
    done = await memberTransaction(db, p.memberId, now, async (m, tx) => {
      const e = purchaseEffects(purchaseSubject(m), p.amount, [p.category._id], now, tiers);
      // Both ids are unique keys: a used code or a recorded receipt fails the whole transaction.
      await tx
        .collection(USES)
        .add({ data: { _id: p.code.useId, memberId: p.memberId, orderId, usedAt: now, expiresAt: p.code.expiresAt } });
      const order = tillOrder({
        _id: orderId,
        memberId: p.memberId,
        openid: String(m.openid ?? ''),
        money: pricedFields(tillPrice(p.amount, p.category, now)),
        receiptNo: p.receiptNo,
        guide: p.guide,
        earned: e.earned,
        now,
      });
      await tx.collection('orders').add({ data: order });
      const detail = {
        memberId: p.memberId,
        storeId: p.guide.storeId,
        receiptNo: p.receiptNo,
        amount: p.amount,
        earned: e.earned,
      };
      await tx.collection('ops_log').add({ data: auditEntry(p.guide.openid, 'recordPurchase', orderId, detail, now) });
      return {
        ...(e.earned.points > 0
          ? {
              points: {
                buckets: e.buckets,
                source: 'store_purchase',
                refId: orderId,
                title: LEDGER_TITLE.storePurchase(p.receiptNo),
                expireAt: expiresAt(now),
              },
            }
          : {}),
        patch: purchasePatch(db, m, e.growth, e.stats, { key: e.month, n: 1, amt: p.amount }, crm, now),
        result: { earned: e.earned, invited: Boolean((m.source as { inviterId?: string } | undefined)?.inviterId) },
      };
    });
  } catch (e) {
    if (!(e instanceof AlreadyApplied)) throw e;
    const again = await findById(db, 'orders', orderId);
    if (again) return replayOf(again, p);
    throw codeUsed();
  }
  await recordServerEvent(
    db,
    p.memberId,
    'purchase',
    { orderId, amount: p.amount, categoryIds: [p.category._id], channel: 'store' },
    now,
  );
  if (done.invited) await rewardFirstOrder(db, p.memberId, orderId, now);
  return { orderId, earned: done.earned };
}

// The member patch of a purchase or its reversal: tier and growth, aggregates (the month by increments), tags.
function purchasePatch(
  db: Database,
  m: Doc,
  g: ReturnType<typeof purchaseEffects>['growth'],
  stats: PurchaseStats,
  month: { key: string; n: number; amt: number },
  crm: CrmModel,
  now: number,
): Record<string, unknown> {
  const _ = db.command;
  const tags = allTags({ ...(m as TagSubject), stats }, tagContext(crm, now));
  return {
    tierId: g.tierId,
    growth: g.growth,
    growthByMonth: _.set(g.growthByMonth),
    tierReviewAt: g.tierReviewAt,
    stats: statsPatch(db, stats, month.key, month.n, month.amt),
    tags: _.set(tags),
  };
}

/** What a reversal did. */
export interface StoreReversal {
  orderId: string;
  memberId: string;
  pointsTaken: number;
  pointsShort: number;
  growthTaken: number;
}

/** An operator reverses a recorded in-store purchase: points, growth, aggregates and tags back, exactly once. */
export async function reverseStorePurchase(
  db: Database,
  orderId: string,
  by: string,
  reason: string,
  now: number,
): Promise<StoreReversal> {
  const order = await findById(db, 'orders', orderId);
  if (!order || order.channel !== 'store') throw new AppError('NOT_FOUND', '门店消费记录不存在');
  const already = () => new AppError('ALREADY_REVERSED', '该笔门店消费已撤销');
  if (!canTransition(order.status, 'reverse')) throw already();
  const [others, tiers, crm] = await Promise.all([
    otherOrderTimes(db, { _id: String(order._id), memberId: String(order.memberId) }),
    loadTiers(db),
    loadCrmModel(db, now),
  ]);
  let out: StoreReversal;
  try {
    out = await memberTransaction(db, String(order.memberId), now, async (m, tx) => {
      const cur = await txGet(tx, 'orders', orderId);
      if (!cur || !canTransition(cur.status as OrderStatus, 'reverse')) throw new AlreadyApplied('reversed');
      const earned = (cur.earned ?? { points: 0, growth: 0 }) as { points: number; growth: number };
      const money = Number(cur.payAmount);
      const cats = (cur.lines as { categoryId: string }[]).map((l) => l.categoryId);
      const e = reversalEffects(
        purchaseSubject(m),
        { paidAt: Number(cur.paidAt), money, earned, categoryIds: cats },
        others,
        now,
        tiers,
      );
      const reversal = {
        by,
        reason,
        at: now,
        pointsTaken: e.pointsTaken,
        pointsShort: e.pointsShort,
        growthTaken: earned.growth,
      };
      await tx
        .collection('orders')
        .doc(orderId)
        .update({ data: { ...eventFields('reverse', now), reversal } });
      await tx
        .collection('ops_log')
        .add({ data: auditEntry(by, 'reverseStorePurchase', orderId, { memberId: m._id, ...reversal }, now) });
      return {
        ...(e.pointsTaken > 0
          ? {
              points: {
                buckets: e.buckets,
                source: 'store_reversal',
                refId: orderId,
                title: LEDGER_TITLE.storeReversal,
              },
            }
          : {}),
        patch: purchasePatch(db, m, e.growth, e.stats, { key: e.month, n: -1, amt: -money }, crm, now),
        result: {
          orderId,
          memberId: String(m._id),
          pointsTaken: e.pointsTaken,
          pointsShort: e.pointsShort,
          growthTaken: earned.growth,
        },
      };
    });
  } catch (e) {
    if (e instanceof AlreadyApplied) throw already();
    throw e;
  }
  await recordServerEvent(
    db,
    out.memberId,
    'refund',
    { orderId, amount: Number(order.payAmount), channel: 'store' },
    now,
  );
  await reverseFirstOrderReward(db, String(order.memberId), orderId, now);
  return out;
}

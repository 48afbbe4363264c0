// In-store purchases a guide records at the till: only for a customer of the guide's own store, within the
// operator's per-purchase cap, once per receipt number of that store; and what recording one, or an
// operator reversing one, does to the member's points, growth and purchase aggregates.
import { createHash } from 'crypto';
import {
  CountedOrder,
  OtherOrderTimes,
  pointsForOrder,
  PurchaseStats,
  statsAfterPayment,
  statsAfterRefund,
} from './orders';
import { bucketTotal, earn, PointsBuckets, spend } from './points';
import { applyGrowth, GrowthState, growthForPayment, Tier, tierById } from './tiers';
import { shanghaiMonth } from './time';

/** The operator's rules for in-store purchases (amounts in fen). */
export interface StorePurchaseRules {
  maxAmount: number;
}
/** Default: at most ¥2,000 per recorded purchase. */
export const DEFAULT_STORE_PURCHASE_RULES: StorePurchaseRules = { maxAmount: 200_000 };

/** Why a purchase may not be recorded. */
export type StorePurchaseRefusal = 'NOT_STORE_CUSTOMER' | 'PURCHASE_OVER_LIMIT';

/** Whether a guide of `guideStoreId` may record `amount` for a member of `memberStoreId`. */
export function checkStorePurchase(i: {
  amount: number;
  guideStoreId: string | null;
  memberStoreId: string | null;
  rules: StorePurchaseRules;
}): { ok: true } | { ok: false; code: StorePurchaseRefusal } {
  if (!i.guideStoreId || i.memberStoreId !== i.guideStoreId) return { ok: false, code: 'NOT_STORE_CUSTOMER' };
  if (!Number.isSafeInteger(i.amount) || i.amount <= 0 || i.amount > i.rules.maxAmount)
    return { ok: false, code: 'PURCHASE_OVER_LIMIT' };
  return { ok: true };
}

/** The order id of a store's receipt: one per (store, receipt number), any lengths, 32 characters. */
export const storeOrderId = (storeId: string, receiptNo: string): string =>
  `ST${createHash('sha256').update(`${storeId}\u0000${receiptNo}`).digest('hex').slice(0, 30)}`;

/** The member fields a purchase changes. */
export interface PurchaseSubject extends GrowthState {
  pointsBuckets: PointsBuckets;
  stats: Partial<PurchaseStats>;
}

/** A member document's purchase fields, with defaults. */
export function purchaseSubject(m: Record<string, unknown>): PurchaseSubject {
  return {
    tierId: String(m.tierId ?? 't_normal'),
    growth: Number(m.growth ?? 0),
    growthByMonth: (m.growthByMonth ?? {}) as Record<string, number>,
    tierReviewAt: (m.tierReviewAt as number | null) ?? null,
    pointsBuckets: (m.pointsBuckets ?? {}) as PointsBuckets,
    stats: (m.stats ?? {}) as Partial<PurchaseStats>,
  };
}

// A till purchase as the aggregates count it: categories, no products (the till does not say which).
const counted = (money: number, categoryIds: string[], paidAt: number): CountedOrder => ({
  categoryIds,
  productIds: [],
  money,
  createdAt: paidAt,
  paidAt,
});

/** What recording a paid purchase of `money` fen does: points by tier, growth, aggregates, the month it counts in. */
export function purchaseEffects(m: PurchaseSubject, money: number, categoryIds: string[], now: number, tiers: Tier[]) {
  const points = pointsForOrder(money, tierById(m.tierId, tiers).pointsMultiplier ?? 100);
  const growth = growthForPayment(money);
  const g = applyGrowth(m, growth, now, tiers);
  const stats = statsAfterPayment(m.stats, counted(money, categoryIds, now));
  return {
    earned: { points, growth },
    buckets: points > 0 ? earn(m.pointsBuckets, points, now) : m.pointsBuckets,
    growth: g,
    stats,
    month: shanghaiMonth(now),
  };
}

/**
 * What reversing a recorded purchase does: the points it earned taken back (as far as the balance holds; the
 * rest is reported short), its growth taken from the month it was earned, and the aggregates without it.
 */
export function reversalEffects(
  m: PurchaseSubject,
  order: { paidAt: number; money: number; earned: { points: number; growth: number }; categoryIds: string[] },
  others: OtherOrderTimes,
  now: number,
  tiers: Tier[],
) {
  const take = Math.min(order.earned.points, Math.max(0, bucketTotal(m.pointsBuckets)));
  const s = take > 0 ? spend(m.pointsBuckets, take) : null;
  const buckets = s && s.ok ? s.buckets : m.pointsBuckets;
  const growth = applyGrowth(m, -order.earned.growth, now, tiers, order.paidAt);
  const stats = statsAfterRefund(m.stats, counted(order.money, order.categoryIds, order.paidAt), others);
  return {
    pointsTaken: take,
    pointsShort: order.earned.points - take,
    buckets,
    growth,
    stats,
    month: shanghaiMonth(order.paidAt),
  };
}

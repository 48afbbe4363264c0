// Points mall and stored value decisions.
import { PointsBuckets, spend } from './points';

/** An item in the points mall. */
export interface MallItem {
  _id: string;
  type: 'goods' | 'coupon';
  name: string;
  pointsPrice: number;
  stock: number;
  perMemberLimit: number;
  onShelf: boolean;
  couponTemplateId?: string | null;
  image?: string;
  desc?: string;
  /** Redemptions so far. */
  redeemed?: number;
  sort?: number;
  createdAt?: number;
  updatedAt?: number;
}

/** Whether a member may redeem `item` now, and the points left if so. */
export function decideRedemption(input: {
  buckets: PointsBuckets;
  item: MallItem | null;
  redeemedBefore: number;
}):
  | { ok: true; cost: number; buckets: PointsBuckets }
  | { ok: false; code: 'NOT_FOUND' | 'ITEM_OFF_SHELF' | 'SOLD_OUT' | 'LIMIT_REACHED' | 'INSUFFICIENT_POINTS' } {
  const { item } = input;
  if (!item) return { ok: false, code: 'NOT_FOUND' };
  if (!item.onShelf) return { ok: false, code: 'ITEM_OFF_SHELF' };
  if (item.stock < 1) return { ok: false, code: 'SOLD_OUT' };
  if (item.perMemberLimit > 0 && input.redeemedBefore >= item.perMemberLimit)
    return { ok: false, code: 'LIMIT_REACHED' };
  const r = spend(input.buckets, item.pointsPrice);
  if (!r.ok) return { ok: false, code: 'INSUFFICIENT_POINTS' };
  return { ok: true, cost: item.pointsPrice, buckets: r.buckets };
}

/** A stored-value top-up package, e.g. 充 500 送 50 (fen). */
export interface TopupPackage {
  _id: string;
  name: string;
  pay: number;
  bonus: number;
  onShelf: boolean;
  createdAt?: number;
  updatedAt?: number;
}

/** What a paid top-up credits. */
export const topupCredit = (p: Pick<TopupPackage, 'pay' | 'bonus'>): number => p.pay + p.bonus;

/** Takes `amount` fen from a stored-value balance, never below zero. */
export function spendBalance(
  balance: number,
  amount: number,
): { ok: true; balance: number } | { ok: false; code: 'INSUFFICIENT_BALANCE' } {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError('amount must be a positive integer (fen)');
  return balance >= amount ? { ok: true, balance: balance - amount } : { ok: false, code: 'INSUFFICIENT_BALANCE' };
}

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

/** What a redemption leaves to do: a gift to pick up in store, or a coupon already in the member's wallet. */
export const REDEMPTION_STATUS = { toPickup: 'to_pickup', issued: 'issued' } as const;

/** A redemption (collection `redemptions`, id = the client's request id): one per request, replays answer it. */
export interface Redemption {
  _id: string;
  memberId: string;
  itemId: string;
  name: string;
  type: MallItem['type'];
  points: number;
  couponId: string | null;
  status: (typeof REDEMPTION_STATUS)[keyof typeof REDEMPTION_STATUS];
  createdAt: number;
  /** The stock/quota hold this redemption consumed (store/holds.ts). */
  holdId: string;
}

/** How many of an item a member has redeemed (collection `mall_counters`, id `mallCounterId`). */
export type MallCounter = { _id: string; memberId: string; itemId: string; count: number };

/** The id of a member's counter for an item. */
export const mallCounterId = (memberId: string, itemId: string): string => `${memberId}:${itemId}`;

/** A redemption's id (one per member and request id, so a replay answers the first) and its coupon's id. */
export function redemptionIds(memberId: string, requestId: string): { redemptionId: string; couponId: string } {
  const redemptionId = `${memberId}:${requestId}`;
  return { redemptionId, couponId: `${redemptionId}:coupon` };
}

/** A new redemption of `item` by a member. */
export function newRedemption(o: {
  _id: string;
  memberId: string;
  item: Pick<MallItem, '_id' | 'name' | 'type' | 'pointsPrice'>;
  couponId: string | null;
  holdId: string;
  now: number;
}): Redemption {
  const { item } = o;
  return {
    _id: o._id,
    memberId: o.memberId,
    itemId: item._id,
    name: item.name,
    type: item.type,
    points: item.pointsPrice,
    couponId: o.couponId,
    status: item.type === 'goods' ? REDEMPTION_STATUS.toPickup : REDEMPTION_STATUS.issued,
    createdAt: o.now,
    holdId: o.holdId,
  };
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

/** A top-up's states: created when the member starts paying; paid once, by WeChat Pay's callback. */
export const TOPUP_STATUS = { created: 'created', paid: 'paid' } as const;

/** A stored-value top-up order (collection `sv_orders`); its id is WeChat Pay's outTradeNo. */
export type TopupOrder = {
  _id: string;
  memberId: string;
  openid: string;
  packageId: string;
  pay: number;
  bonus: number;
  status: (typeof TOPUP_STATUS)[keyof typeof TOPUP_STATUS];
  createdAt: number;
  paidAt?: number;
  transactionId?: string | null;
};

/** A new top-up of `pkg` for a member. */
export function newTopupOrder(o: { _id: string; memberId: string; openid: string; pkg: TopupPackage; now: number }) {
  const t: TopupOrder = {
    _id: o._id,
    memberId: o.memberId,
    openid: o.openid,
    packageId: o.pkg._id,
    pay: o.pkg.pay,
    bonus: o.pkg.bonus,
    status: TOPUP_STATUS.created,
    createdAt: o.now,
  };
  return t;
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

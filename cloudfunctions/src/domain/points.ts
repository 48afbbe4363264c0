// Points rules: earning goes into a bucket per expiry year (earned in year N expire at the end of
// year N+1), spending takes from the bucket that expires first, and the balance never goes negative.
import { endOfYear, shanghaiYear } from './time';

/** Points held per expiry year, e.g. { '2027': 300 }: the member's balance is their sum. */
export type PointsBuckets = Record<string, number>;

/** The expiry year of points earned at `now`. */
export const expiryYearFor = (now: number): number => shanghaiYear(now) + 1;
/** The instant points earned at `now` expire. */
export const expiresAt = (now: number): number => endOfYear(expiryYearFor(now));
/** Sum of the buckets. */
export const bucketTotal = (b: PointsBuckets): number => Object.values(b).reduce((s, v) => s + v, 0);

/** Adds `amount` points earned at `now`. */
export function earn(buckets: PointsBuckets, amount: number, now: number): PointsBuckets {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError('earn amount must be a positive integer');
  const key = String(expiryYearFor(now));
  return { ...buckets, [key]: (buckets[key] ?? 0) + amount };
}

/** Takes `amount` points, soonest-expiring first; refuses when the balance is short. */
export function spend(
  buckets: PointsBuckets,
  amount: number,
): { ok: true; buckets: PointsBuckets } | { ok: false; code: 'INSUFFICIENT_POINTS'; balance: number } {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError('spend amount must be a positive integer');
  const balance = bucketTotal(buckets);
  if (balance < amount) return { ok: false, code: 'INSUFFICIENT_POINTS', balance };
  const next: PointsBuckets = {};
  let left = amount;
  for (const key of Object.keys(buckets).sort()) {
    const held = buckets[key] ?? 0;
    const take = Math.min(left, held);
    left -= take;
    if (held - take > 0) next[key] = held - take;
  }
  return { ok: true, buckets: next };
}

/** Points returned (e.g. a cancelled order): credited as if earned now. */
export const refund = earn;

/** Buckets whose expiry year has ended at `now`: what expires and what remains. */
export function expire(buckets: PointsBuckets, now: number): { expired: number; buckets: PointsBuckets } {
  const year = shanghaiYear(now);
  let expired = 0;
  const next: PointsBuckets = {};
  for (const [key, v] of Object.entries(buckets)) {
    if (Number(key) < year) expired += v;
    else next[key] = v;
  }
  return { expired, buckets: next };
}

/** Points due soon: the amount expiring at the end of the current year (for the expiry notice). */
export function expiringThisYear(buckets: PointsBuckets, now: number): { amount: number; at: number } {
  const year = shanghaiYear(now);
  return { amount: buckets[String(year)] ?? 0, at: endOfYear(year) };
}

/** The titles ledger entries show, by source: written by the functions and the seed alike. */
export const LEDGER_TITLE = {
  orderReward: (orderId: string) => `消费奖励（订单 ${orderId.slice(-6)}）`,
  pointsDeduction: (fen: number) => `订单抵扣 ${fen / 100} 元`,
  orderBalance: '订单支付',
  cancelPoints: '订单取消，退回积分',
  cancelBalance: '订单取消，退回储值',
  refundPoints: '订单退款：退回抵扣积分、扣回消费奖励',
  refundBalance: '订单退款，退回储值',
  checkin: (streak: number, bonus: number) => (bonus > 0 ? `连续签到 ${streak} 天奖励` : '每日签到'),
  makeup: (day: string, cost: number) => `补签 ${day}（消耗 ${cost} 积分）`,
  redeem: (itemName: string) => `兑换 ${itemName}`,
  expire: (year: string) => `${year} 年前获得的积分已过期`,
  topup: (pay: number, bonus: number) =>
    bonus > 0 ? `储值 ${pay / 100} 元，赠 ${bonus / 100} 元` : `储值 ${pay / 100} 元`,
  openingBalance: '历史储值余额导入',
  merge: '账户合并',
  referralJoin: '邀请好友入会奖励',
  referralWelcome: '受邀入会奖励',
  referralOrder: '好友首单奖励',
  referralJoinReversal: '好友订单退款，扣回入会奖励',
  referralReversal: '好友订单退款，扣回奖励',
  storePurchase: (receiptNo: string) => `门店消费奖励（小票 ${receiptNo}）`,
  storeReversal: '门店消费撤销，扣回积分',
};

/** Why points or stored value moved (a ledger entry's `source`): one per flow. */
export const LEDGER_SOURCES = [
  'order',
  'order_reward',
  'order_cancel',
  'order_refund',
  'checkin',
  'makeup',
  'redeem',
  'expire',
  'topup',
  'opening',
  'merge_in',
  'merge_out',
  'referral_join',
  'referral_welcome',
  'referral_order',
  'referral_join_reversal',
  'referral_reversal',
  'store_purchase',
  'store_reversal',
] as const;
/** A ledger entry's source. */
export type LedgerSource = (typeof LEDGER_SOURCES)[number];

/** A ledger entry's id: one entry per member, source and reference, so a reference applies once. */
export const ledgerId = (memberId: string, source: LedgerSource, refId: string): string =>
  `${memberId}:${source}:${refId}`;

/**
 * One movement of points or stored value (collections `points_ledger` and `balance_ledger`; id
 * `<memberId>:<source>:<refId>`, so a reference applies once). The entries of a member sum to the balance.
 */
export type LedgerEntry = {
  _id: string;
  memberId: string;
  delta: number;
  balanceAfter: number;
  source: LedgerSource;
  refId: string;
  title: string;
  createdAt: number;
  /** Points only: when the credited points expire (null for debits). */
  expireAt?: number | null;
};

// The one pricing function: list price → member discount → activity price → coupon → points
// deduction → stored value → amount to pay, with a breakdown the client shows and per-line
// allocations (so a partial refund knows what each line really cost). All amounts in fen.
import { CouponContext, evaluateCoupon, MemberCoupon, CouponRefusal } from './coupon-rules';

/** A line as the server loaded it (prices from the database, never from the client). */
export interface PriceLineInput {
  skuId: string;
  productId: string;
  categoryId: string;
  name: string;
  qty: number;
  listPrice: number;
  memberPrice: number | null;
  /** Flash-sale or group-buy price; replaces member pricing for the line. */
  activityPrice: number | null;
}

/** Points usage rules: `pointsPerYuan` points are worth 1 yuan; at most `maxPercent` of the amount. */
export interface PointsRule { pointsPerYuan: number; maxPercent: number }
/** Default: 100 points = 1 yuan, at most 50% of the order. */
export const DEFAULT_POINTS_RULE: PointsRule = { pointsPerYuan: 100, maxPercent: 50 };

/** Everything pricing needs. */
export interface PriceInput {
  lines: PriceLineInput[];
  tierDiscount: number;
  coupon: MemberCoupon | null;
  memberId: string;
  now: number;
  pointsToUse: number;
  pointsBalance: number;
  pointsRule: PointsRule;
  useBalance: boolean;
  balance: number;
}

/** A priced line. */
export interface PricedLine extends PriceLineInput { unitPrice: number; subtotal: number; couponShare: number; pointsShare: number; balanceShare: number; paid: number }

/** The breakdown. */
export interface PriceBreakdown {
  listTotal: number;
  memberDiscount: number;
  activityDiscount: number;
  goodsTotal: number;
  couponDiscount: number;
  pointsUsed: number;
  pointsDeduction: number;
  balanceUsed: number;
  payAmount: number;
  lines: PricedLine[];
}

/** Splits `amount` across `weights` in proportion, exactly (largest remainder). */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  const raw = weights.map((w) => (amount * w) / total);
  const out = raw.map(Math.floor);
  let rest = amount - out.reduce((s, v) => s + v, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) { if (rest <= 0) break; out[i]++; rest--; }
  return out;
}

/** Prices an order, or refuses with the coupon's reason. */
export function priceOrder(input: PriceInput): { ok: true; price: PriceBreakdown } | { ok: false; code: CouponRefusal | 'INVALID_POINTS' } {
  const lines = input.lines.map((l) => {
    const member = l.memberPrice ?? l.listPrice;
    const tier = Math.floor((l.listPrice * input.tierDiscount) / 100);
    const unitPrice = l.activityPrice ?? Math.min(member, tier);
    return { ...l, unitPrice, subtotal: unitPrice * l.qty };
  });
  const listTotal = lines.reduce((s, l) => s + l.listPrice * l.qty, 0);
  const activityDiscount = lines.filter((l) => l.activityPrice !== null).reduce((s, l) => s + (l.listPrice - l.unitPrice) * l.qty, 0);
  const goodsTotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const memberDiscount = listTotal - goodsTotal - activityDiscount;

  let couponDiscount = 0;
  let couponShares = lines.map(() => 0);
  if (input.coupon) {
    const ctx: CouponContext = { memberId: input.memberId, now: input.now, lines: lines.map((l) => ({ productId: l.productId, categoryId: l.categoryId, amount: l.subtotal, activity: l.activityPrice !== null })) };
    const r = evaluateCoupon(input.coupon, ctx);
    if (!r.ok) return { ok: false, code: r.code };
    couponDiscount = r.discount;
    const eligibleIdx = new Set(r.eligible.map((e) => ctx.lines.indexOf(e)));
    couponShares = allocate(couponDiscount, lines.map((l, i) => (eligibleIdx.has(i) ? l.subtotal : 0)));
  }
  const afterCoupon = goodsTotal - couponDiscount;

  const { pointsPerYuan, maxPercent } = input.pointsRule;
  if (!Number.isSafeInteger(input.pointsToUse) || input.pointsToUse < 0) return { ok: false, code: 'INVALID_POINTS' };
  // Points buy whole fen: pointsPerYuan points = 100 fen.
  const maxByRule = Math.floor((afterCoupon * maxPercent) / 100);
  const maxFen = Math.min(maxByRule, Math.floor((Math.min(input.pointsToUse, input.pointsBalance) * 100) / pointsPerYuan));
  const pointsDeduction = Math.max(0, maxFen);
  const pointsUsed = Math.ceil((pointsDeduction * pointsPerYuan) / 100);
  const afterPoints = afterCoupon - pointsDeduction;
  const balanceUsed = input.useBalance ? Math.min(input.balance, afterPoints) : 0;
  const payAmount = afterPoints - balanceUsed;

  const remaining = lines.map((l, i) => l.subtotal - couponShares[i]);
  const pointsShares = allocate(pointsDeduction, remaining);
  const balanceShares = allocate(balanceUsed, remaining.map((r, i) => r - pointsShares[i]));
  const priced: PricedLine[] = lines.map((l, i) => ({
    ...l, couponShare: couponShares[i], pointsShare: pointsShares[i], balanceShare: balanceShares[i],
    paid: l.subtotal - couponShares[i] - pointsShares[i] - balanceShares[i],
  }));
  return { ok: true, price: { listTotal, memberDiscount, activityDiscount, goodsTotal, couponDiscount, pointsUsed, pointsDeduction, balanceUsed, payAmount, lines: priced } };
}

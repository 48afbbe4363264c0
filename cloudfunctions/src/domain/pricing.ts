// The one pricing function: list price → member price → tier discount → activity price → coupon →
// points deduction → stored value → amount to pay, with a breakdown the client shows and per-line
// allocations (so a partial refund knows what each line really cost). All amounts in fen.
//
// The declared rule for members: the product's member price (会员价) is every member's base, and the
// tier discount (等级折扣, e.g. 金卡 95) applies ON TOP of it, rounded down to whole fen per unit — so a
// higher tier always pays less than the member price. An activity price (秒杀/拼团) replaces both.
import { CouponContext, CouponLine, CouponRefusal, evaluateCoupon, MemberCoupon } from './coupon-rules';

/** A line as the server loaded it (prices from the database, never from the client). */
export interface PriceLineInput {
  skuId: string;
  productId: string;
  categoryId: string;
  name: string;
  qty: number;
  listPrice: number;
  memberPrice: number | null;
  /** Flash-sale or group-buy price; replaces member and tier pricing for the line. */
  activityPrice: number | null;
}

/** Points usage rules: `pointsPerYuan` points are worth 1 yuan; at most `maxPercent` of the amount. */
export interface PointsRule {
  pointsPerYuan: number;
  maxPercent: number;
}
/** Default: 100 points = 1 yuan, at most 50% of the order. */
export const DEFAULT_POINTS_RULE: PointsRule = { pointsPerYuan: 100, maxPercent: 50 };

/** Everything pricing needs. */
export interface PriceInput {
  lines: PriceLineInput[];
  /** The member's tier discount in percent (95 = 9.5折 on the member price; 100 = none). */
  tierPercent: number;
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
export interface PricedLine extends PriceLineInput {
  unitPrice: number;
  subtotal: number;
  couponShare: number;
  pointsShare: number;
  balanceShare: number;
  paid: number;
}

/** The breakdown. */
export interface PriceBreakdown {
  listTotal: number;
  memberDiscount: number;
  /** What the tier discount took off the member price. */
  tierDiscount: number;
  activityDiscount: number;
  goodsTotal: number;
  couponDiscount: number;
  pointsUsed: number;
  pointsDeduction: number;
  balanceUsed: number;
  payAmount: number;
  lines: PricedLine[];
  /** The most points this order could use with the member's whole balance (the checkout shows it). */
  pointsLimit: PointsLimit;
}

/** The most points an amount may take, and what they deduct (fen). */
export interface PointsLimit {
  maxPoints: number;
  maxDeduction: number;
}

/** Points for `amount` fen: at most the rule's share of it, at most what `points` buy; points buy whole fen. */
export function pointsLimit(amount: number, points: number, rule: PointsRule): PointsLimit {
  const maxByRule = Math.floor((amount * rule.maxPercent) / 100);
  const maxDeduction = Math.max(0, Math.min(maxByRule, Math.floor((points * 100) / rule.pointsPerYuan)));
  return { maxPoints: Math.ceil((maxDeduction * rule.pointsPerYuan) / 100), maxDeduction };
}

/** Splits `amount` across `weights` in proportion, exactly (largest remainder). */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  const parts = weights.map((w) => {
    const raw = (amount * w) / total;
    return { share: Math.floor(raw), remainder: raw - Math.floor(raw) };
  });
  let rest = amount - parts.reduce((s, p) => s + p.share, 0);
  for (const p of [...parts].sort((a, b) => b.remainder - a.remainder)) {
    if (rest <= 0) break;
    p.share++;
    rest--;
  }
  return parts.map((p) => p.share);
}

/** A line's unit price before coupons: the activity price, else the tier discount on the member price. */
export function unitPriceOf(
  l: Pick<PriceLineInput, 'listPrice' | 'memberPrice' | 'activityPrice'>,
  tierPercent: number,
): number {
  if (l.activityPrice !== null) return l.activityPrice;
  return Math.floor(((l.memberPrice ?? l.listPrice) * tierPercent) / 100);
}

/** The lines as coupons see them (priced, activity lines marked), for verdicts before an order is priced. */
export function couponLines(lines: PriceLineInput[], tierPercent: number): CouponLine[] {
  return lines.map((l) => ({
    productId: l.productId,
    categoryId: l.categoryId,
    amount: unitPriceOf(l, tierPercent) * l.qty,
    activity: l.activityPrice !== null,
  }));
}

/** Prices an order, or refuses with the coupon's reason. */
export function priceOrder(
  input: PriceInput,
): { ok: true; price: PriceBreakdown } | { ok: false; code: CouponRefusal | 'INVALID_POINTS' } {
  const lines = input.lines.map((l) => {
    const unitPrice = unitPriceOf(l, input.tierPercent);
    return { ...l, unitPrice, subtotal: unitPrice * l.qty };
  });
  const listTotal = lines.reduce((s, l) => s + l.listPrice * l.qty, 0);
  const plain = lines.filter((l) => l.activityPrice === null);
  const activity = lines.filter((l) => l.activityPrice !== null);
  const activityDiscount = activity.reduce((s, l) => s + (l.listPrice - l.unitPrice) * l.qty, 0);
  const memberDiscount = plain.reduce((s, l) => s + (l.listPrice - (l.memberPrice ?? l.listPrice)) * l.qty, 0);
  const tierDiscount = plain.reduce((s, l) => s + ((l.memberPrice ?? l.listPrice) - l.unitPrice) * l.qty, 0);
  const goodsTotal = lines.reduce((s, l) => s + l.subtotal, 0);

  let couponDiscount = 0;
  let couponShares = lines.map(() => 0);
  if (input.coupon) {
    const ctx: CouponContext = {
      memberId: input.memberId,
      now: input.now,
      lines: couponLines(input.lines, input.tierPercent),
    };
    const r = evaluateCoupon(input.coupon, ctx);
    if (!r.ok) return { ok: false, code: r.code };
    couponDiscount = r.discount;
    const eligibleIdx = new Set(r.eligible.map((e) => ctx.lines.indexOf(e)));
    couponShares = allocate(
      couponDiscount,
      lines.map((l, i) => (eligibleIdx.has(i) ? l.subtotal : 0)),
    );
  }
  const afterCoupon = goodsTotal - couponDiscount;

  if (!Number.isSafeInteger(input.pointsToUse) || input.pointsToUse < 0) return { ok: false, code: 'INVALID_POINTS' };
  const limit = pointsLimit(afterCoupon, Math.max(0, input.pointsBalance), input.pointsRule);
  const used = pointsLimit(afterCoupon, Math.min(input.pointsToUse, input.pointsBalance), input.pointsRule);
  const pointsDeduction = used.maxDeduction;
  const pointsUsed = used.maxPoints;
  const afterPoints = afterCoupon - pointsDeduction;
  const balanceUsed = input.useBalance ? Math.min(input.balance, afterPoints) : 0;
  const payAmount = afterPoints - balanceUsed;

  // allocate() gives one share per weight, so the `?? 0` and `= 0` below never apply.
  const remaining = lines.map((l, i) => l.subtotal - (couponShares[i] ?? 0));
  const pointsShares = allocate(pointsDeduction, remaining);
  const balanceShares = allocate(
    balanceUsed,
    remaining.map((r, i) => r - (pointsShares[i] ?? 0)),
  );
  const priced: PricedLine[] = lines.map((l, i) => {
    const [couponShare = 0, pointsShare = 0, balanceShare = 0] = [couponShares[i], pointsShares[i], balanceShares[i]];
    return {
      ...l,
      couponShare,
      pointsShare,
      balanceShare,
      paid: l.subtotal - couponShare - pointsShare - balanceShare,
    };
  });
  return {
    ok: true,
    price: {
      listTotal,
      memberDiscount,
      tierDiscount,
      activityDiscount,
      goodsTotal,
      couponDiscount,
      pointsUsed,
      pointsDeduction,
      balanceUsed,
      payAmount,
      lines: priced,
      pointsLimit: limit,
    },
  };
}

/** An order's lines and money exactly as priceOrder priced them (every order type stores these fields). */
export function pricedFields(p: PriceBreakdown, specOf: (skuId: string) => string = () => '') {
  return {
    lines: p.lines.map((l) => ({
      skuId: l.skuId,
      productId: l.productId,
      categoryId: l.categoryId,
      name: l.name,
      spec: specOf(l.skuId),
      qty: l.qty,
      listPrice: l.listPrice,
      unitPrice: l.unitPrice,
      subtotal: l.subtotal,
      couponShare: l.couponShare,
      pointsShare: l.pointsShare,
      balanceShare: l.balanceShare,
      paid: l.paid,
    })),
    price: {
      listTotal: p.listTotal,
      memberDiscount: p.memberDiscount,
      tierDiscount: p.tierDiscount,
      activityDiscount: p.activityDiscount,
      goodsTotal: p.goodsTotal,
      couponDiscount: p.couponDiscount,
      pointsUsed: p.pointsUsed,
      pointsDeduction: p.pointsDeduction,
      balanceUsed: p.balanceUsed,
      payAmount: p.payAmount,
    },
    total: p.goodsTotal,
    payAmount: p.payAmount,
  };
}

/**
 * One line without member or tier pricing, points or stored value, optionally with a coupon: a flash-sale or
 * group-buy order (the line carries its activity price) and a purchase recorded at the till.
 */
export function priceOneLine(line: PriceLineInput, coupon: MemberCoupon | null, memberId: string, now: number) {
  return priceOrder({
    lines: [line],
    tierPercent: 100,
    coupon,
    memberId,
    now,
    pointsToUse: 0,
    pointsBalance: 0,
    pointsRule: DEFAULT_POINTS_RULE,
    useBalance: false,
    balance: 0,
  });
}

/**
 * A purchase paid at the till, priced by the same function: one line of `amount` in its category, no member,
 * tier, coupon, points or stored value (the till applied whatever it applied).
 */
export function tillPrice(amount: number, category: { _id: string; name: string }, now: number): PriceBreakdown {
  const line: PriceLineInput = {
    skuId: '',
    productId: '',
    categoryId: category._id,
    name: `门店消费（${category.name}）`,
    qty: 1,
    listPrice: amount,
    memberPrice: null,
    activityPrice: null,
  };
  const r = priceOneLine(line, null, '', now);
  // Without coupon or points nothing can refuse.
  if (!r.ok) throw new Error(`till price refused: ${r.code}`);
  return r.price;
}

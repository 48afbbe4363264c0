// Coupon conditions and actions as a declarative registry (Vendure-style): a template lists
// `{ code, args }` entries; each condition's `check` refuses with a stable code, each action
// computes the discount in fen. Templates made by the operator are compiled into these lists.
import { CouponScope, CouponTemplate } from './coupons';

/** A priced order line as coupons see it (after member / activity prices). */
export interface CouponLine {
  productId: string;
  categoryId: string;
  amount: number;
  activity: boolean;
}

/** What a coupon is checked against. */
export interface CouponContext {
  lines: CouponLine[];
  now: number;
  memberId: string;
}

/** A wallet coupon's states ('expired' is never stored: an unused coupon past `validTo` reads as expired). */
export type CouponStatus = 'unused' | 'locked' | 'used' | 'expired';

/**
 * A wallet coupon's state machine: each event, the states it may happen from and the state it leads to. An order
 * locks the coupon it uses; payment uses it; cancelling the unpaid order releases it; a refund gives it back.
 */
export const COUPON_EVENTS = {
  lock: { from: ['unused'], to: 'locked' },
  use: { from: ['locked'], to: 'used' },
  release: { from: ['locked'], to: 'unused' },
  giveBack: { from: ['used'], to: 'unused' },
} as const satisfies Record<string, { from: readonly CouponStatus[]; to: CouponStatus }>;
/** A coupon event. */
export type CouponEvent = keyof typeof COUPON_EVENTS;

/** Whether `event` may happen to a coupon in `status`. */
export const couponCan = (status: CouponStatus, event: CouponEvent): boolean =>
  (COUPON_EVENTS[event].from as readonly CouponStatus[]).includes(status);

/** The states a wallet lists as usable (a locked coupon is held by an unpaid order and comes back if cancelled). */
export const USABLE_COUPON_STATUSES: CouponStatus[] = ['unused', 'locked'];

/** A coupon held by a member (as stored in member_coupons). */
export interface MemberCoupon {
  _id: string;
  memberId: string;
  templateId: string;
  name: string;
  status: CouponStatus;
  validFrom: number;
  validTo: number;
  conditions: RuleRef[];
  actions: RuleRef[];
  lockedBy?: string | null;
  /** What the member sees (copied from the template when issued). */
  desc?: string;
  kind?: CouponTemplate['kind'];
  threshold?: number;
  amount?: number;
  percent?: number | null;
  cap?: number | null;
  scope?: CouponScope;
  /** The flow that issued it: claim, campaign, birthday, mall, referral … */
  source?: string;
  claimedAt?: number;
  /** The order that used it. */
  orderId?: string | null;
  usedAt?: number | null;
}

/** A `{ code, args }` reference into the registries. */
export interface RuleRef {
  code: string;
  args: Record<string, unknown>;
}

/** Refusal codes a coupon check can return. */
export type CouponRefusal =
  | 'COUPON_NOT_OWNED'
  | 'COUPON_USED'
  | 'COUPON_NOT_STARTED'
  | 'COUPON_EXPIRED'
  | 'COUPON_NOT_APPLICABLE'
  | 'COUPON_THRESHOLD_NOT_MET'
  | 'COUPON_NOT_STACKABLE';

/** Why a coupon cannot be used, in Chinese: the checkout error and the coupon picker's reason (one text each). */
export const COUPON_USE_TEXT: Record<CouponRefusal, string> = {
  COUPON_NOT_OWNED: '这张优惠券不属于你',
  COUPON_USED: '优惠券已使用或被待支付订单占用',
  COUPON_NOT_STARTED: '优惠券尚未生效',
  COUPON_EXPIRED: '优惠券已过期',
  COUPON_NOT_APPLICABLE: '订单中没有适用此券的商品',
  COUPON_THRESHOLD_NOT_MET: '未达到优惠券使用门槛',
  COUPON_NOT_STACKABLE: '活动商品不可使用优惠券',
};

const inScope = (scope: CouponScope, l: CouponLine) =>
  scope.type === 'all' ||
  (scope.type === 'categories' ? scope.ids.includes(l.categoryId) : scope.ids.includes(l.productId));

const scopeOf = (conditions: RuleRef[]): CouponScope =>
  (conditions.find((c) => c.code === 'in_scope')?.args.scope as CouponScope | undefined) ?? { type: 'all' };

/** The lines a scope covers (activity-priced lines never take coupons unless the template allows). */
export function eligibleLines(ctx: CouponContext, conditions: RuleRef[]): CouponLine[] {
  const scope = scopeOf(conditions);
  const withActivity = conditions.some((c) => c.code === 'allow_with_activity');
  return ctx.lines.filter((l) => inScope(scope, l) && (withActivity || !l.activity));
}

const subtotal = (lines: CouponLine[]) => lines.reduce((s, l) => s + l.amount, 0);

/** Conditions: each returns true or the refusal code. */
export const COUPON_CONDITIONS: Record<
  string,
  {
    description: string;
    check(ctx: CouponContext, args: Record<string, unknown>, all: RuleRef[]): true | CouponRefusal;
  }
> = {
  min_amount: {
    description: '适用商品满指定金额可用',
    check: (ctx, args, all) => subtotal(eligibleLines(ctx, all)) >= Number(args.amount) || 'COUPON_THRESHOLD_NOT_MET',
  },
  in_scope: {
    description: '仅限指定分类或商品',
    // Nothing eligible: "does not stack" only when lines in scope are there at activity prices; else out of scope.
    check: (ctx, _args, all) =>
      eligibleLines(ctx, all).length > 0 ||
      (ctx.lines.some((l) => l.activity && inScope(scopeOf(all), l))
        ? 'COUPON_NOT_STACKABLE'
        : 'COUPON_NOT_APPLICABLE'),
  },
  allow_with_activity: { description: '可与秒杀/拼团价同享', check: () => true },
};

/** Actions: each returns the discount in fen for the eligible lines. */
export const COUPON_ACTIONS: Record<
  string,
  { description: string; apply(eligible: number, args: Record<string, unknown>): number }
> = {
  amount_off: { description: '减固定金额', apply: (eligible, args) => Math.min(eligible, Number(args.amount)) },
  percent_off: {
    description: '打折（可设最高优惠）',
    apply: (eligible, args) => {
      const off = Math.floor((eligible * (100 - Number(args.percent))) / 100);
      return args.cap ? Math.min(off, Number(args.cap)) : off;
    },
  },
};

/** Compiles an operator's template (kind, threshold, amount, percent, cap, scope) into rules. */
export function compileTemplate(
  t: Pick<CouponTemplate, 'kind' | 'threshold' | 'amount' | 'percent' | 'cap' | 'scope'> & {
    stackWithActivity?: boolean;
  },
): { conditions: RuleRef[]; actions: RuleRef[] } {
  const conditions: RuleRef[] = [{ code: 'in_scope', args: { scope: t.scope } }];
  if (t.kind !== 'no_threshold' && t.threshold > 0)
    conditions.push({ code: 'min_amount', args: { amount: t.threshold } });
  if (t.stackWithActivity) conditions.push({ code: 'allow_with_activity', args: {} });
  const actions: RuleRef[] =
    t.kind === 'discount'
      ? [{ code: 'percent_off', args: { percent: t.percent ?? 100, cap: t.cap ?? null } }]
      : [{ code: 'amount_off', args: { amount: t.amount } }];
  return { conditions, actions };
}

/** Checks a member's coupon against an order; returns the discount or the refusal. */
export function evaluateCoupon(
  c: MemberCoupon,
  ctx: CouponContext,
): { ok: true; discount: number; eligible: CouponLine[] } | { ok: false; code: CouponRefusal } {
  if (c.memberId !== ctx.memberId) return { ok: false, code: 'COUPON_NOT_OWNED' };
  if (c.status !== 'unused') return { ok: false, code: 'COUPON_USED' };
  if (ctx.now < c.validFrom) return { ok: false, code: 'COUPON_NOT_STARTED' };
  if (ctx.now > c.validTo) return { ok: false, code: 'COUPON_EXPIRED' };
  for (const cond of c.conditions) {
    const def = COUPON_CONDITIONS[cond.code];
    if (!def) return { ok: false, code: 'COUPON_NOT_APPLICABLE' };
    const r = def.check(ctx, cond.args, c.conditions);
    if (r !== true) return { ok: false, code: r };
  }
  const eligible = eligibleLines(ctx, c.conditions);
  const base = subtotal(eligible);
  const discount = c.actions.reduce((s, a) => s + (COUPON_ACTIONS[a.code]?.apply(base - s, a.args) ?? 0), 0);
  return { ok: true, discount: Math.max(0, Math.min(discount, base)), eligible };
}

/** The coupon that saves the most on this order (ties: the one expiring first), with each coupon's verdict. */
export function bestCoupon(
  coupons: MemberCoupon[],
  ctx: CouponContext,
): {
  best: { coupon: MemberCoupon; discount: number } | null;
  verdicts: { couponId: string; ok: boolean; discount: number; code?: CouponRefusal }[];
} {
  let best: { coupon: MemberCoupon; discount: number } | null = null;
  const verdicts = coupons.map((c) => {
    const r = evaluateCoupon(c, ctx);
    if (
      r.ok &&
      r.discount > 0 &&
      (!best || r.discount > best.discount || (r.discount === best.discount && c.validTo < best.coupon.validTo))
    )
      best = { coupon: c, discount: r.discount };
    return r.ok
      ? { couponId: c._id, ok: true, discount: r.discount }
      : { couponId: c._id, ok: false, discount: 0, code: r.code };
  });
  return { best, verdicts };
}

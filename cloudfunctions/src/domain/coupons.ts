// Coupon templates and the coupons issued from them. Money in fen; percent as an integer (85 = 8.5折).
import { compileTemplate, RuleRef } from './coupon-rules';

/** What a coupon takes off. */
export type CouponKind = 'threshold' | 'discount' | 'no_threshold';
/** Which goods a coupon applies to. */
export type CouponScope = { type: 'all' } | { type: 'categories'; ids: string[] } | { type: 'products'; ids: string[] };
/** When an issued coupon is valid. */
export type CouponValidity = { type: 'fixed'; from: number; to: number } | { type: 'relative'; days: number };

/** A coupon template as the operator configures it. */
export interface CouponTemplate {
  _id: string;
  name: string;
  kind: CouponKind;
  threshold: number;
  amount: number;
  percent: number | null;
  cap: number | null;
  scope: CouponScope;
  validity: CouponValidity;
  quota: number;
  issued: number;
  perMemberLimit: number;
  status: 'active' | 'stopped';
  stackWithActivity?: boolean;
  conditions?: RuleRef[];
  actions?: RuleRef[];
}

/** The validity window of a coupon issued at `now`. */
export function validityWindow(v: CouponValidity, now: number): { validFrom: number; validTo: number } {
  if (v.type === 'fixed') return { validFrom: v.from, validTo: v.to };
  return { validFrom: now, validTo: now + v.days * 24 * 3600_000 };
}

/** The member coupon document for a template issued to `memberId` at `now`. */
export function issueCoupon(tpl: CouponTemplate, memberId: string, now: number, source: string): Record<string, unknown> {
  const rules = tpl.conditions && tpl.actions ? { conditions: tpl.conditions, actions: tpl.actions } : compileTemplate(tpl);
  return {
    memberId, templateId: tpl._id, name: tpl.name, desc: describeCoupon(tpl), kind: tpl.kind, threshold: tpl.threshold, amount: tpl.amount,
    percent: tpl.percent, cap: tpl.cap, scope: tpl.scope, ...rules, status: 'unused', lockedBy: null, source, claimedAt: now, ...validityWindow(tpl.validity, now),
  };
}

/** A short Chinese description, e.g. 满100减20 / 8.5折 最高减30 / 无门槛减5. */
export function describeCoupon(c: Pick<CouponTemplate, 'kind' | 'threshold' | 'amount' | 'percent' | 'cap'>): string {
  const yuan = (f: number) => (f % 100 === 0 ? String(f / 100) : (f / 100).toFixed(2));
  if (c.kind === 'threshold') return `满${yuan(c.threshold)}减${yuan(c.amount)}`;
  if (c.kind === 'no_threshold') return `无门槛减${yuan(c.amount)}`;
  const p = c.percent ?? 100;
  const z = p % 10 === 0 ? String(p / 10) : (p / 10).toFixed(1);
  return `${c.threshold ? `满${yuan(c.threshold)}享` : ''}${z}折${c.cap ? ` 最高减${yuan(c.cap)}` : ''}`;
}

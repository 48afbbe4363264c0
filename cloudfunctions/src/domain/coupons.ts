// Coupon templates and the coupons issued from them. Money in fen; percent as an integer (85 = 8.5折).
import { compileTemplate, MemberCoupon, RuleRef } from './coupon-rules';

/** What a coupon takes off. */
export type CouponKind = 'threshold' | 'discount' | 'no_threshold';
/** Which goods a coupon applies to. */
export type CouponScope = { type: 'all' } | { type: 'categories'; ids: string[] } | { type: 'products'; ids: string[] };
/** When an issued coupon is valid. */
export type CouponValidity = { type: 'fixed'; from: number; to: number } | { type: 'relative'; days: number };

/** Who may claim a template in the claim centre: everyone, or only members without a paid order (新人专享). */
export type CouponAudience = 'all' | 'new_member';

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
  /** Offered in the claim centre. Only when true: gifts (birthday, recall, mall, referral) come from their own flow. */
  claimable?: boolean;
  audience?: CouponAudience;
  stackWithActivity?: boolean;
  conditions?: RuleRef[];
  actions?: RuleRef[];
  createdAt?: number;
}

/** Why no coupon of a template can be issued now, by any flow. */
export type IssueRefusal = 'COUPON_ENDED' | 'COUPON_SOLD_OUT';
/** Why a member cannot claim a template in the claim centre. */
export type ClaimRefusal = IssueRefusal | 'COUPON_NOT_CLAIMABLE' | 'COUPON_NEW_MEMBERS_ONLY' | 'CLAIM_LIMIT_REACHED';

/** Chinese text for each refusal. */
export const COUPON_REFUSAL_TEXT: Record<ClaimRefusal, string> = {
  COUPON_ENDED: '活动已结束',
  COUPON_SOLD_OUT: '优惠券已被领完',
  COUPON_NOT_CLAIMABLE: '该优惠券不可领取',
  COUPON_NEW_MEMBERS_ONLY: '新人专享券仅限未下过单的会员领取',
  CLAIM_LIMIT_REACHED: '已达领取上限',
};

type IssueFields = Pick<CouponTemplate, 'status' | 'validity' | 'quota' | 'issued'>;

/** Whether any flow may issue one more coupon of `tpl` at `now` (the quota is then taken by a conditional update). */
export function checkIssue(tpl: IssueFields, now: number): { ok: true } | { ok: false; code: IssueRefusal } {
  if (tpl.status !== 'active' || (tpl.validity.type === 'fixed' && tpl.validity.to <= now))
    return { ok: false, code: 'COUPON_ENDED' };
  if (tpl.issued >= tpl.quota) return { ok: false, code: 'COUPON_SOLD_OUT' };
  return { ok: true };
}

/**
 * Whether a member may claim `tpl` in the claim centre: only a template marked claimable, to its audience, while it
 * can issue, under the per-member limit. The count and the quota are then taken by conditional updates, so
 * `claimedByMe` here only decides what the centre shows.
 */
export function checkClaim(
  tpl: IssueFields & Pick<CouponTemplate, 'claimable' | 'audience' | 'perMemberLimit'>,
  member: { paidOrders: number; claimedByMe: number },
  now: number,
): { ok: true } | { ok: false; code: ClaimRefusal } {
  if (tpl.claimable !== true) return { ok: false, code: 'COUPON_NOT_CLAIMABLE' };
  if (tpl.audience === 'new_member' && member.paidOrders > 0) return { ok: false, code: 'COUPON_NEW_MEMBERS_ONLY' };
  const issue = checkIssue(tpl, now);
  if (!issue.ok) return issue;
  if (member.claimedByMe >= claimCap(tpl)) return { ok: false, code: 'CLAIM_LIMIT_REACHED' };
  return { ok: true };
}

/** The cap of a member's claim counter (a template's 0 means no per-member limit). */
export const claimCap = (tpl: Pick<CouponTemplate, 'perMemberLimit'>): number =>
  tpl.perMemberLimit > 0 ? tpl.perMemberLimit : Number.MAX_SAFE_INTEGER;

/** The validity window of a coupon issued at `now`. */
export function validityWindow(v: CouponValidity, now: number): { validFrom: number; validTo: number } {
  if (v.type === 'fixed') return { validFrom: v.from, validTo: v.to };
  return { validFrom: now, validTo: now + v.days * 24 * 3600_000 };
}

/** The member coupon document for a template issued to `memberId` at `now`. */
export function issueCoupon(
  tpl: CouponTemplate,
  memberId: string,
  now: number,
  source: string,
): Omit<MemberCoupon, '_id'> {
  const rules =
    tpl.conditions && tpl.actions ? { conditions: tpl.conditions, actions: tpl.actions } : compileTemplate(tpl);
  return {
    memberId,
    templateId: tpl._id,
    name: tpl.name,
    desc: describeCoupon(tpl),
    kind: tpl.kind,
    threshold: tpl.threshold,
    amount: tpl.amount,
    percent: tpl.percent,
    cap: tpl.cap,
    scope: tpl.scope,
    ...rules,
    status: 'unused' as const,
    lockedBy: null,
    source,
    claimedAt: now,
    ...validityWindow(tpl.validity, now),
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

/** A validity period as the console's form sends it (the schema checks the fields, not which go together). */
export interface ValidityForm {
  type: CouponValidity['type'];
  from?: number;
  to?: number;
  days?: number;
}
/** The validity a form describes, or what is wrong with it. */
export function parseValidity(
  v: ValidityForm,
): { ok: true; validity: CouponValidity } | { ok: false; problem: string } {
  if (v.type === 'relative')
    return v.days
      ? { ok: true, validity: { type: 'relative', days: v.days } }
      : { ok: false, problem: '请设置领取后有效天数' };
  return v.from !== undefined && v.to !== undefined && v.from < v.to
    ? { ok: true, validity: { type: 'fixed', from: v.from, to: v.to } }
    : { ok: false, problem: '有效期结束时间必须晚于开始时间' };
}

/** A scope as the form sends it. */
export interface ScopeForm {
  type: CouponScope['type'];
  ids?: readonly string[];
}
/** The scope a form describes, or what is wrong with it. */
export function parseScope(s: ScopeForm): { ok: true; scope: CouponScope } | { ok: false; problem: string } {
  if (s.type === 'all') return { ok: true, scope: { type: 'all' } };
  return s.ids?.length
    ? { ok: true, scope: { type: s.type, ids: [...s.ids] } }
    : { ok: false, problem: '请选择适用的分类或商品' };
}

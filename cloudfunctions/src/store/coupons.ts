// Issuing coupons from templates. Every flow that issues (claim centre, points mall, campaigns and the tier
// birthday gift they carry) takes one unit of the template's total quota here: one conditional update, outside
// any member transaction (a template is shared by every member), given back if the issue does not land.
import type { Database } from 'wx-server-sdk';
import { checkIssue, CouponTemplate, IssueRefusal } from '../domain/coupons';
import type { Taken } from './holds';

/** Takes one coupon of `tpl`'s quota if the template may still issue at `now`; the refusal otherwise. */
export async function takeCouponQuota(
  db: Database,
  tpl: CouponTemplate,
  now: number,
): Promise<{ ok: true; taken: Taken } | { ok: false; code: IssueRefusal }> {
  const verdict = checkIssue(tpl, now);
  if (!verdict.ok) return verdict;
  const _ = db.command;
  const r = await db
    .collection('coupon_templates')
    .where({ _id: tpl._id, status: 'active', issued: _.lte(tpl.quota - 1) })
    .update({ data: { issued: _.inc(1) } });
  if (!r.stats.updated) return { ok: false, code: 'COUPON_SOLD_OUT' };
  return { ok: true, taken: { collection: 'coupon_templates', id: tpl._id, giveBack: { issued: -1 } } };
}

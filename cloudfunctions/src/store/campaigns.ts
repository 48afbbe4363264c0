// Campaign sending: each run walks its segment from a cursor in chunks inside a time budget,
// claims one touch per member per run (unique id, so nobody is ever touched twice by one run),
// keeps a random holdout, respects frequency caps, opt-outs and quiet hours, issues coupons under
// the template's quota (stopping cleanly when the budget runs out) and sends subscribe messages
// only against the member's remaining quota.
import * as cloud from 'wx-server-sdk';
import type { Database, Doc } from 'wx-server-sdk';
import {
  birthdayGiftId,
  Campaign,
  CampaignConfig,
  CampaignNature,
  CampaignRun,
  DEFAULT_CAMPAIGN_CONFIG,
  duePeriod,
} from '../domain/campaigns';
import { deliveryOutcome, heldOut, holdoutUntil, inQuietHours, natureOf } from '../domain/campaigns';
import { quietHoursEnd, touchBlock, TouchSubject } from '../domain/campaigns';
import { CouponTemplate, issueCoupon } from '../domain/coupons';
import { own } from '../domain/safe-keys';
import { segmentWhere } from '../domain/segments';
import { tierById } from '../domain/tiers';
import { getConfig } from './config';
import { takeCouponQuota } from './coupons';
import { isDuplicateKey } from './db-errors';
import { findById } from './docs';
import { loadTiers } from './members';

/** Template ids of subscribe messages, configured per environment (never in code). */
// A type alias (not an interface) so that it is a Record<string, string> for `own`.
export type SubscribeTemplates = {
  campaign: string;
  orderPaid: string;
  checkin: string;
  couponExpiring: string;
};
/** Placeholders used locally; production sets real template ids in config `subscribe_templates`. */
export const DEFAULT_TEMPLATES: SubscribeTemplates = {
  campaign: 'TMPL_CAMPAIGN',
  orderPaid: 'TMPL_ORDER_PAID',
  checkin: 'TMPL_CHECKIN',
  couponExpiring: 'TMPL_COUPON_EXPIRING',
};
/** The configured template ids. */
export const subscribeTemplates = (db: Database, now: number) =>
  getConfig<SubscribeTemplates>(db, 'subscribe_templates', DEFAULT_TEMPLATES, now);

/** The template id a campaign's message key names (a configured key or one of the configured ids), or null. */
export function templateIdOf(templates: SubscribeTemplates, key: string): string | null {
  const byName = own(templates, key);
  if (byName) return byName;
  return Object.values(templates).includes(key) ? key : null;
}

/** Sends one subscribe message against the member's remaining quota; updates the quota from WeChat's answer. */
export async function sendSubscribeMessage(
  db: Database,
  member: { _id: string; openid: string },
  templateId: string,
  page: string,
  data: Record<string, string>,
): Promise<'SENT' | 'NO_QUOTA' | 'REFUSED' | 'FAILED'> {
  const _ = db.command;
  const quotaId = `${member._id}:${templateId}`;
  const took = await db
    .collection('subscriptions')
    .where({ _id: quotaId, left: _.gte(1) })
    .update({ data: { left: _.inc(-1) } });
  if (!took.stats.updated) return 'NO_QUOTA';
  try {
    await cloud.openapi.subscribeMessage.send({
      touser: member.openid,
      templateId,
      page,
      miniprogramState: process.env.MINIPROGRAM_STATE ?? 'formal',
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { value: v }])),
    });
    return 'SENT';
  } catch (e) {
    const code = (e as { errCode?: number }).errCode;
    // 43101: WeChat says the user has no subscription left — our count was wrong; trust WeChat.
    if (code === 43101) {
      await db
        .collection('subscriptions')
        .doc(quotaId)
        .update({ data: { left: 0, refusedAt: Date.now() } });
      return 'REFUSED';
    }
    await db
      .collection('subscriptions')
      .doc(quotaId)
      .update({ data: { left: _.inc(1) } });
    return 'FAILED';
  }
}

const CHUNK = 200;
// What a run reads of each member: who to send to, their tier (gift), and what the caps, opt-out and holdouts look at.
const MEMBER_FIELDS = {
  _id: true,
  openid: true,
  tierId: true,
  nickname: true,
  mergedInto: true,
  lastMarketingAt: true,
  marketingOptOut: true,
  heldOutUntil: true,
};
const PARALLEL = 20;
const bump = (o: Record<string, number>, k: string) => {
  o[k] = (o[k] ?? 0) + 1;
};

/** Processes one run for up to `budgetMs`; returns the run as saved. */
export async function processRun(
  db: Database,
  c: Campaign,
  run: CampaignRun,
  now: number,
  budgetMs: number,
  chunk = CHUNK,
): Promise<CampaignRun> {
  const _ = db.command;
  const started = Date.now();
  const cfg = { ...DEFAULT_CAMPAIGN_CONFIG, ...c.config };
  if (c.message && inQuietHours(now, cfg.quietHours)) {
    run.status = 'paused';
    run.resumeAt = quietHoursEnd(now, cfg.quietHours);
    await saveRun(db, run);
    return run;
  }
  run.status = 'running';
  const [templates, tiers] = await Promise.all([subscribeTemplates(db, now), loadTiers(db)]);
  let tpl: CouponTemplate | null = null;
  if (c.offer.couponTemplateId) {
    const { data } = await db.collection('coupon_templates').where({ _id: c.offer.couponTemplateId }).limit(1).get();
    tpl = data[0] ?? null;
  }
  const where = segmentWhere(c.segment, _ as never);
  let first = true;
  while (run.status === 'running' && (first || Date.now() - started < budgetMs)) {
    first = false;
    const { data } = await db
      .collection('members')
      .where(_.and([where, { _id: _.gt(run.cursor) }]))
      .orderBy('_id', 'asc')
      .limit(chunk)
      .field(MEMBER_FIELDS)
      .get();
    // Members of a chunk are touched PARALLEL at a time: each touch is a handful of round trips, and
    // one after another a 60 s invocation would reach only a few hundred members.
    for (let i = 0; i < data.length && run.status === 'running'; i += PARALLEL) {
      const group = data.slice(i, i + PARALLEL);
      const outcomes = await Promise.all(group.map((m) => touchMember(db, c, run, m, now, cfg, tpl, templates, tiers)));
      const stop = outcomes.find((o) => o === 'BUDGET_EXHAUSTED' || o === 'COUPON_ENDED');
      if (stop) {
        run.status = 'stopped';
        run.stopReason = stop;
        break;
      }
      const tail = group[group.length - 1]; // never undefined: i < data.length
      if (tail) run.cursor = tail._id;
    }
    if (run.status === 'running' && data.length < chunk) {
      run.status = 'done';
      run.finishedAt = Date.now();
    }
    await saveRun(db, run);
  }
  return run;
}

// Reaches one member: claims the touch (one per member per run), then either skips them (not eligible), holds them
// out (and keeps other marketing away from them for the conversion window), or delivers. Only a delivery — a coupon
// issued or a message sent — is a touch; only a marketing touch starts the frequency cap.
type Tiers = Awaited<ReturnType<typeof loadTiers>>;

async function touchMember(
  db: Database,
  c: Campaign,
  run: CampaignRun,
  m: Doc,
  now: number,
  cfg: CampaignConfig,
  tpl: CouponTemplate | null,
  templates: SubscribeTemplates,
  tiers: Tiers,
): Promise<string> {
  run.counts.scanned++;
  const touchId = `${run._id}:${m._id}`;
  const nature = natureOf(c.offer);
  const block = touchBlock(m as TouchSubject, now, cfg, nature);
  const holdout = heldOut(c, m._id, cfg.holdoutPercent);
  const status = block ? 'skipped' : holdout ? 'holdout' : 'pending';
  const touches = db.collection('campaign_touches');
  // The claim: one touch document per member per run. A retried chunk finds it and moves on.
  try {
    await touches.add({
      data: {
        _id: touchId,
        campaignId: c._id,
        runId: run._id,
        memberId: m._id,
        nature,
        group: holdout ? 'holdout' : 'touched',
        status,
        reason: block,
        at: now,
      },
    });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    // A retry after a failure between the claim and the holdout mark: the mark is idempotent, so make sure of it.
    const claimed = holdout && !block ? await findById(db, 'campaign_touches', touchId) : null;
    if (claimed?.status === 'holdout') await holdBack(db, m._id, now, cfg);
    return 'ALREADY';
  }
  if (block) {
    bump(run.counts.skipped, block);
    return block;
  }
  if (holdout) {
    await holdBack(db, m._id, now, cfg);
    run.counts.holdout++;
    return 'HOLDOUT';
  }
  const gift = await deliverCoupon(db, c, run, m, now, nature, tpl, tiers, touchId);
  if (gift.refused === 'BUDGET_EXHAUSTED') {
    // Out of coupons: this member was not touched; the run stops and says how far it got.
    await touches.doc(touchId).update({ data: { status: 'not_sent', reason: 'BUDGET_EXHAUSTED' } });
    return 'BUDGET_EXHAUSTED';
  }
  if (gift.refused === 'ALREADY_GRANTED') {
    bump(run.counts.skipped, gift.refused);
    await touches.doc(touchId).update({ data: { status: 'skipped', reason: gift.refused } });
    return gift.refused;
  }
  const { couponId } = gift;
  // An entitlement's message is the gift's notice: sent only with a gift (not to those who opted out of marketing).
  let message: string | null = null;
  const notice = nature === 'marketing' || (couponId !== null && !m.marketingOptOut);
  if (c.message && notice) {
    const templateId = templateIdOf(templates, c.message.templateKey);
    const to = { _id: m._id, openid: String(m.openid) };
    const { page, data } = c.message;
    message = templateId ? await sendSubscribeMessage(db, to, templateId, page, data) : 'NO_TEMPLATE';
    if (message === 'SENT') run.counts.messages++;
    else bump(run.counts.messageFailures, message);
  }
  const outcome = deliveryOutcome({ couponId, message, noEntitlement: gift.refused === 'NO_ENTITLEMENT' });
  if (outcome.status === 'not_sent') {
    bump((run.counts.notSent ??= {}), outcome.reason);
    await touches.doc(touchId).update({ data: { status: 'not_sent', reason: outcome.reason, couponId, message } });
    return outcome.reason;
  }
  run.counts.touched++;
  await Promise.all([
    ...(nature === 'marketing'
      ? [
          db
            .collection('members')
            .doc(m._id)
            .update({ data: { lastMarketingAt: now } }),
        ]
      : []),
    touches.doc(touchId).update({ data: { status: 'touched', couponId, message } }),
  ]);
  return 'TOUCHED';
}

// Marks a member as held out until the conversion window ends (the latest of all their holdouts wins).
async function holdBack(db: Database, memberId: string, now: number, cfg: CampaignConfig): Promise<void> {
  const heldOutUntil = db.command.max(holdoutUntil(now, cfg));
  await db.collection('members').doc(memberId).update({ data: { heldOutUntil } });
}

type Refusal = 'NO_ENTITLEMENT' | 'ALREADY_GRANTED' | 'BUDGET_EXHAUSTED';
type Gift = { couponId: string | null; refused?: undefined } | { couponId: null; refused: Refusal };

// Issues the campaign's coupon, if it has one for this member: its id (null when the offer has no coupon), or why not.
// A birthday gift has one id per member and year, so it can never be given twice, by any campaign or retry.
async function deliverCoupon(
  db: Database,
  c: Campaign,
  run: CampaignRun,
  m: Doc,
  now: number,
  nature: CampaignNature,
  tpl: CouponTemplate | null,
  tiers: Tiers,
  touchId: string,
): Promise<Gift> {
  const refuse = (refused: Refusal): Gift => ({ couponId: null, refused });
  const _ = db.command;
  let template = tpl;
  if (c.offer.tierBirthdayCoupon) {
    const tid = tierById(String(m.tierId), tiers).birthdayCouponTemplateId;
    template = tid ? await findById(db, 'coupon_templates', tid) : null;
    if (!template) return refuse('NO_ENTITLEMENT');
  }
  if (!template) return { couponId: null };
  const couponId = nature === 'entitlement' ? birthdayGiftId(m._id, now) : `${touchId}:coupon`;
  if (nature === 'entitlement' && (await findById(db, 'member_coupons', couponId))) return refuse('ALREADY_GRANTED');
  // The template's own issuing rules (status, validity, quota) decide, as for every other issuer.
  const q = await takeCouponQuota(db, template, now);
  if (!q.ok) return refuse('BUDGET_EXHAUSTED');
  const doc = { _id: couponId, ...issueCoupon(template, m._id, now, `campaign:${c._id}`) };
  if (nature === 'entitlement') Object.assign(doc, { entitlement: 'birthday' });
  try {
    await db.collection('member_coupons').add({ data: doc });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    // Given at the same moment by another run: give the quota back.
    await db
      .collection('coupon_templates')
      .doc(template._id)
      .update({ data: { issued: _.inc(-1) } });
    return refuse('ALREADY_GRANTED');
  }
  run.counts.coupons++;
  return { couponId };
}

async function saveRun(db: Database, run: CampaignRun): Promise<void> {
  const { _id, ...rest } = run;
  await db
    .collection('campaign_runs')
    .doc(_id)
    .set({ data: JSON.parse(JSON.stringify(rest)) });
}

/** A fresh run for a campaign period. */
export function newRun(c: Campaign, period: string, now: number): CampaignRun {
  const counts = {
    scanned: 0,
    touched: 0,
    holdout: 0,
    skipped: {},
    coupons: 0,
    messages: 0,
    messageFailures: {},
    notSent: {},
  };
  const start = { status: 'running' as const, stopReason: null, cursor: '', resumeAt: 0, startedAt: now };
  return { _id: `${c._id}:${period}`, campaignId: c._id, period, ...start, finishedAt: null, counts };
}

/** The campaign timer: starts due runs and continues running or paused ones, inside the budget. */
export async function runCampaigns(
  db: Database,
  now: number,
  budgetMs = 45_000,
  chunk = CHUNK,
): Promise<{ runs: { id: string; status: string; touched: number }[] }> {
  const started = Date.now();
  const { data: active } = await db.collection('campaigns').where({ status: 'active' }).limit(100).get();
  const out: { id: string; status: string; touched: number }[] = [];
  for (const doc of active) {
    const c = doc;
    const period = duePeriod(c, now);
    if (!period) continue;
    const runId = `${c._id}:${period}`;
    const { data } = await db.collection('campaign_runs').where({ _id: runId }).limit(1).get();
    let run = data[0];
    if (run && (run.status === 'done' || run.status === 'stopped')) continue;
    if (run && run.status === 'paused' && run.resumeAt > now) continue;
    if (!run) {
      run = newRun(c, period, now);
      // The run document is the launch claim: two timers never start the same run twice.
      try {
        await db.collection('campaign_runs').add({ data: run });
      } catch (e) {
        if (isDuplicateKey(e)) continue;
        throw e;
      }
    }
    const left = budgetMs - (Date.now() - started);
    // The first due run always gets a turn, so a short budget still makes progress.
    if (left <= 0 && out.length > 0) break;
    const r = await processRun(db, c, run, now, Math.max(1, left), chunk);
    out.push({ id: r._id, status: r.status, touched: r.counts.touched });
  }
  return { runs: out };
}

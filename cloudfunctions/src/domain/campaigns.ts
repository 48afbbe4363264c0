// Campaign rules: who is touched, who is held out, when sending must wait (quiet hours), how often a
// member may be touched (frequency cap), what counts as a touch, how entitlements differ from marketing,
// and how lift is measured against the holdout group.
import { createHash } from 'crypto';
import type { SegmentDef } from './segments';
import { shanghaiDay, shanghaiHour, shanghaiYear } from './time';

import type { CampaignConfig } from './campaign-text';

const DAY = 24 * 3600_000;

// Declared with the texts (a module the client may import: this one needs Node's crypto).
export { DEFAULT_CAMPAIGN_CONFIG, type CampaignConfig } from './campaign-text';

/** A stable pseudo-random bucket 0–9999 for a member in a campaign (same answer on every retry). */
export function bucketOf(campaignId: string, memberId: string): number {
  return createHash('sha256').update(`${campaignId}:${memberId}`).digest().readUInt32BE(0) % 10000;
}

/** Whether a member is in the campaign's holdout group (gets nothing, measures lift). */
export const inHoldout = (campaignId: string, memberId: string, percent: number): boolean =>
  bucketOf(campaignId, memberId) < percent * 100;

/** The Shanghai hour of an instant. */

/** Whether `now` is inside quiet hours (a window may cross midnight, e.g. 22–8). */
export function inQuietHours(now: number, q: { start: number; end: number }): boolean {
  const h = shanghaiHour(now);
  if (q.start === q.end) return false;
  return q.start < q.end ? h >= q.start && h < q.end : h >= q.start || h < q.end;
}

/** The first instant after `now` when quiet hours are over. */
export function quietHoursEnd(now: number, q: { start: number; end: number }): number {
  const hourMs = 3600_000;
  let t = Math.floor(now / hourMs) * hourMs + hourMs;
  for (let i = 0; i < 25 && inQuietHours(t, q); i++) t += hourMs;
  return t;
}

/**
 * Marketing (coupons and messages a brand chooses to send) or an entitlement (a tier benefit the member is owed, such
 * as the birthday gift): an entitlement has no holdout, ignores frequency caps, holdouts and marketing opt-out, does
 * not start the frequency cap, and is given at most once per member per year.
 */
export type CampaignNature = 'marketing' | 'entitlement';

/** The nature of a campaign's offer: the tier birthday gift is an entitlement. */
export const natureOf = (offer: { tierBirthdayCoupon?: boolean }): CampaignNature =>
  offer.tierBirthdayCoupon ? 'entitlement' : 'marketing';

/** What the frequency cap, opt-out and holdouts look at on a member. */
export interface TouchSubject {
  lastMarketingAt?: number | null;
  marketingOptOut?: boolean;
  mergedInto?: string;
  heldOutUntil?: number | null;
}

/** Why a member is skipped. */
export type TouchBlock = 'MERGED' | 'UNSUBSCRIBED' | 'HELD_OUT' | 'FREQUENCY_CAP';

/**
 * Why a member is skipped, or null if they may be reached now. Eligibility is decided before the holdout split, so
 * the touched and holdout groups are drawn from the same eligible members. A member in any campaign's holdout is
 * left alone by every marketing campaign until that holdout's conversion window closes (its lift stays clean).
 */
export function touchBlock(
  m: TouchSubject,
  now: number,
  cfg: CampaignConfig,
  nature: CampaignNature = 'marketing',
): TouchBlock | null {
  if (m.mergedInto) return 'MERGED';
  if (nature === 'entitlement') return null;
  if (m.marketingOptOut) return 'UNSUBSCRIBED';
  if (m.heldOutUntil && now < m.heldOutUntil) return 'HELD_OUT';
  if (m.lastMarketingAt && now - m.lastMarketingAt < cfg.frequencyCapDays * DAY) return 'FREQUENCY_CAP';
  return null;
}

/** Whether a member is in this campaign's holdout: marketing only (an entitlement is never withheld). */
export const heldOut = (c: { _id: string; offer: { tierBirthdayCoupon?: boolean } }, member: string, pct: number) =>
  natureOf(c.offer) === 'marketing' && inHoldout(c._id, member, pct);

/** Until when a member put in a holdout at `at` is left alone by other marketing: the conversion window. */
export const holdoutUntil = (at: number, cfg: Pick<CampaignConfig, 'conversionDays'>): number =>
  at + cfg.conversionDays * DAY;

/** The outcome of reaching a member: a touch only when a coupon was issued or a message sent (nothing else). */
export function deliveryOutcome(d: {
  couponId: string | null;
  message: string | null;
  noEntitlement?: boolean;
}): { status: 'touched'; reason: null } | { status: 'not_sent'; reason: string } {
  if (d.couponId || d.message === 'SENT') return { status: 'touched', reason: null };
  return { status: 'not_sent', reason: d.noEntitlement ? 'NO_ENTITLEMENT' : (d.message ?? 'NOTHING_TO_SEND') };
}

/** A member's birthday gift id in the Shanghai year of `now`: the unique key that makes a second gift impossible. */
export const birthdayGiftId = (memberId: string, now: number): string =>
  `gift:birthday:${memberId}:${shanghaiYear(now)}`;

/** Conversion of touched vs holdout and the lift between them (percentage points and relative). */
export function lift(touched: { members: number; converted: number }, holdout: { members: number; converted: number }) {
  const rate = (g: { members: number; converted: number }) => (g.members ? g.converted / g.members : 0);
  const t = rate(touched);
  const h = rate(holdout);
  return { touchedRate: t, holdoutRate: h, liftPoints: t - h, liftRelative: h > 0 ? (t - h) / h : null };
}

/** When an invitee counts as a real person, so the join rewards are paid: a bound phone, or a first paid order. */
export type ReferralQualifier = 'phone' | 'first_order';

/** A member reached (or held out) at an instant. */
export interface MemberAt {
  memberId: string;
  at: number;
}

/** Holdout members another campaign's marketing reached inside their conversion window (the lift is not clean). */
export function contaminatedHoldouts(holdouts: MemberAt[], others: MemberAt[], conversionDays: number): Set<string> {
  const startOf = new Map(holdouts.map((t) => [t.memberId, t.at]));
  const hit = new Set<string>();
  for (const o of others) {
    const at = startOf.get(o.memberId);
    if (at !== undefined && o.at >= at && o.at <= at + conversionDays * DAY) hit.add(o.memberId);
  }
  return hit;
}

/** Referral reward rules. */
export interface ReferralRules {
  inviterPointsOnJoin: number;
  inviteePointsOnJoin: number;
  inviterPointsOnFirstOrder: number;
  dailyCapPerInviter: number;
  qualifyBy: ReferralQualifier;
}
/**
 * Defaults: 50 + 50 points once the invitee binds a phone (not on opening the app: fresh accounts cost nothing),
 * 200 points to the inviter on the invitee's first paid order, 10 rewarded invites a day.
 */
export const DEFAULT_REFERRAL_RULES: ReferralRules = {
  inviterPointsOnJoin: 50,
  inviteePointsOnJoin: 50,
  inviterPointsOnFirstOrder: 200,
  dailyCapPerInviter: 10,
  qualifyBy: 'phone',
};

/**
 * Whether an invitee's `event` makes them real under `rule`: a paid order always does, a bound phone if the
 * rule says.
 */
export const qualifiesReferral = (rule: ReferralQualifier, event: 'phone' | 'order'): boolean =>
  event === 'order' || rule === 'phone';

/** Whether an invite counts (the inviter's daily cap is then taken by a conditional update). */
export function checkReferral(input: {
  inviterId: string;
  inviteeId: string;
  inviteeIsNew: boolean;
  inviterExists: boolean;
  inviterInvitedBy?: string | null;
}): { ok: true } | { ok: false; code: 'SELF_INVITE' | 'NOT_NEW_MEMBER' | 'INVITER_NOT_FOUND' | 'REFERRAL_LOOP' } {
  if (input.inviterId === input.inviteeId) return { ok: false, code: 'SELF_INVITE' };
  if (!input.inviterExists) return { ok: false, code: 'INVITER_NOT_FOUND' };
  if (!input.inviteeIsNew) return { ok: false, code: 'NOT_NEW_MEMBER' };
  if (input.inviterInvitedBy && input.inviterInvitedBy === input.inviteeId) return { ok: false, code: 'REFERRAL_LOOP' };
  return { ok: true };
}

/** A campaign document. */
export interface Campaign {
  _id: string;
  name: string;
  kind: 'recall' | 'birthday' | 'member_day' | 'node' | 'custom';
  segment: SegmentDef;
  offer: { couponTemplateId: string | null; tierBirthdayCoupon?: boolean };
  message: { templateKey: string; page: string; data: Record<string, string> } | null;
  schedule:
    | { type: 'now' }
    | { type: 'at'; at: number }
    | { type: 'monthly'; day: number; hour: number }
    | { type: 'yearly'; month: number; day: number; hour: number };
  config: CampaignConfig;
  status: 'draft' | 'active' | 'stopped';
  createdAt: number;
  /** The operator who created it. */
  by?: string;
  /** The segment in words, as the console lists it. */
  summary?: string;
  updatedAt?: number;
}

/** Per-run progress, in `campaign_runs`. */
export interface CampaignRun {
  _id: string;
  campaignId: string;
  period: string;
  status: 'running' | 'paused' | 'done' | 'stopped';
  stopReason: string | null;
  cursor: string;
  resumeAt: number;
  counts: {
    scanned: number;
    touched: number;
    holdout: number;
    skipped: Record<string, number>;
    coupons: number;
    messages: number;
    messageFailures: Record<string, number>;
    /** Reached but nothing delivered (no quota, no entitlement): not a touch. Absent on runs before it was counted. */
    notSent?: Record<string, number>;
  };
  startedAt: number;
  finishedAt: number | null;
}

/** A schedule as the console's form sends it. */
export interface ScheduleForm {
  type: Campaign['schedule']['type'];
  at?: number;
  month?: number;
  day?: number;
  hour?: number;
}
/** The schedule a form describes, or what is wrong with it. */
export function parseSchedule(
  s: ScheduleForm,
): { ok: true; schedule: Campaign['schedule'] } | { ok: false; problem: string } {
  const { at, month, day, hour } = s;
  switch (s.type) {
    case 'now':
      return { ok: true, schedule: { type: 'now' } };
    case 'at':
      return at !== undefined ? { ok: true, schedule: { type: 'at', at } } : { ok: false, problem: '请设置发送时间' };
    case 'monthly':
      return day !== undefined && hour !== undefined
        ? { ok: true, schedule: { type: 'monthly', day, hour } }
        : { ok: false, problem: '请设置每月的日期和时间' };
    case 'yearly':
      return month !== undefined && day !== undefined && hour !== undefined
        ? { ok: true, schedule: { type: 'yearly', month, day, hour } }
        : { ok: false, problem: '请设置每年的月、日和时间' };
  }
}

/** The run period a schedule is due for at `now`, or null if none is due. */
export function duePeriod(c: Pick<Campaign, 'schedule'>, now: number): string | null {
  const s = c.schedule;
  const day = shanghaiDay(now);
  const hour = shanghaiHour(now);
  switch (s.type) {
    case 'now':
      return 'once';
    case 'at':
      return now >= s.at ? 'once' : null;
    case 'monthly':
      return Number(day.slice(8, 10)) === s.day && hour >= s.hour ? day.slice(0, 7) : null;
    case 'yearly':
      return Number(day.slice(5, 7)) === s.month && Number(day.slice(8, 10)) === s.day && hour >= s.hour
        ? day.slice(0, 4)
        : null;
  }
}

/** One member in one run (collection `campaign_touches`, id `<runId>:<memberId>`: the claim that makes it once). */
export type CampaignTouch = {
  _id: string;
  campaignId: string;
  runId: string;
  memberId: string;
  nature: CampaignNature;
  group: 'holdout' | 'touched';
  status: 'pending' | 'touched' | 'holdout' | 'skipped' | 'not_sent';
  /** Why it was skipped or not sent (a touch block, BUDGET_EXHAUSTED, NO_QUOTA …); null otherwise. */
  reason: string | null;
  at: number;
  couponId?: string | null;
  message?: string | null;
};

/**
 * A member's remaining sends of one subscribe-message template (collection `subscriptions`, id
 * `${memberId}:${templateId}`): each accepted request adds one, each send takes one (WeChat's one-time subscriptions).
 */
export type SubscribeQuota = {
  _id: string;
  memberId: string;
  templateId: string;
  left: number;
  acceptedAt: number;
  /** When WeChat said the member had none left (errCode 43101) though our count had some. */
  refusedAt?: number;
};

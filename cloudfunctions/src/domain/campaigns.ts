// Campaign rules: who is touched, who is held out, when sending must wait (quiet hours), how often a
// member may be touched (frequency cap), and how lift is measured against the holdout group.
import { createHash } from 'crypto';

/** A campaign as the operator configures it. */
export interface CampaignConfig {
  holdoutPercent: number;
  frequencyCapDays: number;
  quietHours: { start: number; end: number };
  conversionDays: number;
}

/** Defaults: 10% holdout, 1 marketing touch per 3 days, quiet 22:00–08:00 Shanghai, 7-day conversion. */
export const DEFAULT_CAMPAIGN_CONFIG: CampaignConfig = { holdoutPercent: 10, frequencyCapDays: 3, quietHours: { start: 22, end: 8 }, conversionDays: 7 };

/** A stable pseudo-random bucket 0–9999 for a member in a campaign (same answer on every retry). */
export function bucketOf(campaignId: string, memberId: string): number {
  return createHash('sha256').update(`${campaignId}:${memberId}`).digest().readUInt32BE(0) % 10000;
}

/** Whether a member is in the campaign's holdout group (gets nothing, measures lift). */
export const inHoldout = (campaignId: string, memberId: string, percent: number): boolean => bucketOf(campaignId, memberId) < percent * 100;

/** The Shanghai hour of an instant. */
export const shanghaiHour = (ms: number): number => new Date(ms + 8 * 3600_000).getUTCHours();

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

/** Why a member is skipped, or null if they may be touched now. */
export function touchBlock(m: { lastMarketingAt?: number | null; marketingOptOut?: boolean; mergedInto?: string }, now: number, cfg: CampaignConfig): 'UNSUBSCRIBED' | 'FREQUENCY_CAP' | 'MERGED' | null {
  if (m.mergedInto) return 'MERGED';
  if (m.marketingOptOut) return 'UNSUBSCRIBED';
  if (m.lastMarketingAt && now - m.lastMarketingAt < cfg.frequencyCapDays * 24 * 3600_000) return 'FREQUENCY_CAP';
  return null;
}

/** Conversion of touched vs holdout and the lift between them (percentage points and relative). */
export function lift(touched: { members: number; converted: number }, holdout: { members: number; converted: number }) {
  const rate = (g: { members: number; converted: number }) => (g.members ? g.converted / g.members : 0);
  const t = rate(touched);
  const h = rate(holdout);
  return { touchedRate: t, holdoutRate: h, liftPoints: t - h, liftRelative: h > 0 ? (t - h) / h : null };
}

/** Referral reward rules. */
export interface ReferralRules { inviterPointsOnJoin: number; inviteePointsOnJoin: number; inviterPointsOnFirstOrder: number; dailyCapPerInviter: number }
/** Defaults: 50 + 50 points on join, 200 points to the inviter on the invitee's first paid order, 10 invites a day. */
export const DEFAULT_REFERRAL_RULES: ReferralRules = { inviterPointsOnJoin: 50, inviteePointsOnJoin: 50, inviterPointsOnFirstOrder: 200, dailyCapPerInviter: 10 };

/** Whether an invite counts (the inviter's daily cap is then taken by a conditional update). */
export function checkReferral(input: { inviterId: string; inviteeId: string; inviteeIsNew: boolean; inviterExists: boolean; inviterInvitedBy?: string | null }):
  { ok: true } | { ok: false; code: 'SELF_INVITE' | 'NOT_NEW_MEMBER' | 'INVITER_NOT_FOUND' | 'REFERRAL_LOOP' } {
  if (input.inviterId === input.inviteeId) return { ok: false, code: 'SELF_INVITE' };
  if (!input.inviterExists) return { ok: false, code: 'INVITER_NOT_FOUND' };
  if (!input.inviteeIsNew) return { ok: false, code: 'NOT_NEW_MEMBER' };
  if (input.inviterInvitedBy && input.inviterInvitedBy === input.inviteeId) return { ok: false, code: 'REFERRAL_LOOP' };
  return { ok: true };
}

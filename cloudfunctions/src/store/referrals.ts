// Referral (裂变): one inviter per invitee (referrals keyed by the invitee), rewards on join and on
// the invitee's first paid order, daily caps per inviter, and the first-order reward reversed on refund.
import type { Database } from 'wx-server-sdk';
import { checkReferral, DEFAULT_REFERRAL_RULES, ReferralRules } from '../domain/campaigns';
import { earn, expiresAt, PointsBuckets, spend, bucketTotal } from '../domain/points';
import { shanghaiDay } from '../domain/time';
import { getConfig } from './config';
import { AlreadyApplied, memberTransaction } from './member-tx';
import { takeFromCounter } from './counters';
import { isDuplicateKey } from './db-errors';

/** Rules from config (operator-editable); read fresh, since joins are rare and caps must hold at once. */
export const referralRules = (db: Database, now: number) => getConfig<ReferralRules>(db, 'referral', DEFAULT_REFERRAL_RULES, now, 0);

async function grant(db: Database, memberId: string, points: number, source: string, refId: string, title: string, now: number): Promise<boolean> {
  if (points <= 0) return false;
  try {
    await memberTransaction(db, memberId, now, async (m) => ({
      points: { buckets: earn((m.pointsBuckets ?? {}) as PointsBuckets, points, now), source, refId, title, expireAt: expiresAt(now) },
      result: null,
    }));
    return true;
  } catch (e) {
    if (e instanceof AlreadyApplied) return false;
    throw e;
  }
}

/** Records a new member's inviter and pays the join rewards; returns why not when refused. */
export async function applyReferral(db: Database, invitee: { _id: string; created: boolean }, inviterId: string, now: number): Promise<{ ok: boolean; code?: string; rewarded?: boolean }> {
  const { data } = await db.collection('members').where({ _id: inviterId }).limit(1).get();
  const inviter = data[0];
  const check = checkReferral({ inviterId, inviteeId: invitee._id, inviteeIsNew: invitee.created, inviterExists: Boolean(inviter && !inviter.mergedInto), inviterInvitedBy: inviter?.source?.inviterId ?? null });
  if (!check.ok) return { ok: false, code: check.code };
  const rules = await referralRules(db, now);
  const day = shanghaiDay(now);
  // The inviter's daily cap: one conditional increment (or the first insert of the day).
  const withinCap = await takeFromCounter(db, 'referral_daily', `${inviterId}:${day}`, { inviterId, day }, 1, rules.dailyCapPerInviter);
  try {
    await db.collection('referrals').add({ data: { _id: invitee._id, inviterId, inviteeId: invitee._id, joinedAt: now, day, rewarded: withinCap, status: withinCap ? 'joined' : 'capped', firstOrderId: null, firstOrderRewarded: false } });
  } catch (e) {
    if (isDuplicateKey(e)) return { ok: false, code: 'ALREADY_INVITED' };
    throw e;
  }
  if (withinCap) {
    await grant(db, inviterId, rules.inviterPointsOnJoin, 'referral_join', invitee._id, '邀请好友注册奖励', now);
    await grant(db, invitee._id, rules.inviteePointsOnJoin, 'referral_welcome', inviterId, '受邀注册奖励', now);
  }
  return { ok: true, rewarded: withinCap };
}

// The referral flag and the inviter's points change in one transaction, so concurrent callers (the
// pay callback and the caller, WeChat's retries) see either nothing done or everything done.
async function flipReward(db: Database, inviteeId: string, now: number,
  decide: (ref: Record<string, unknown>, buckets: PointsBuckets) => { patch: Record<string, unknown>; buckets: PointsBuckets; source: string; refId: string; title: string } | null): Promise<boolean> {
  const { data } = await db.collection('referrals').where({ _id: inviteeId }).limit(1).get();
  if (!data[0]) return false;
  try {
    return await memberTransaction(db, String(data[0].inviterId), now, async (m, tx) => {
      const ref = (await tx.collection('referrals').doc(inviteeId).get()).data;
      const d = decide(ref, (m.pointsBuckets ?? {}) as PointsBuckets);
      if (!d) return { result: false };
      await tx.collection('referrals').doc(inviteeId).update({ data: d.patch });
      return { points: { buckets: d.buckets, source: d.source, refId: d.refId, title: d.title, expireAt: d.source === 'referral_order' ? expiresAt(now) : null }, result: true };
    });
  } catch (e) {
    if (e instanceof AlreadyApplied) return false;
    throw e;
  }
}

/** After an invitee's first paid order: reward the inviter once. */
export async function rewardFirstOrder(db: Database, inviteeId: string, orderId: string, now: number): Promise<boolean> {
  const rules = await referralRules(db, now);
  if (rules.inviterPointsOnFirstOrder <= 0) return false;
  return flipReward(db, inviteeId, now, (ref, buckets) => (ref.rewarded && !ref.firstOrderRewarded && !ref.firstOrderId
    ? { patch: { firstOrderRewarded: true, firstOrderId: orderId, firstOrderAt: now, firstOrderPoints: rules.inviterPointsOnFirstOrder }, buckets: earn(buckets, rules.inviterPointsOnFirstOrder, now), source: 'referral_order', refId: inviteeId, title: '好友首单奖励' }
    : null));
}

/** When that first order is refunded: take the inviter's reward back (as far as the balance allows). */
export async function reverseFirstOrderReward(db: Database, inviteeId: string, orderId: string, now: number): Promise<boolean> {
  return flipReward(db, inviteeId, now, (ref, buckets) => {
    if (!ref.firstOrderRewarded || ref.firstOrderId !== orderId) return null;
    const take = Math.min(Number(ref.firstOrderPoints ?? 0), bucketTotal(buckets));
    const s = take > 0 ? spend(buckets, take) : null;
    return { patch: { firstOrderRewarded: false, reversedAt: now, status: 'reversed' }, buckets: s && s.ok ? s.buckets : buckets, source: 'referral_reversal', refId: `${inviteeId}:${orderId}`, title: '好友订单退款，扣回奖励' };
  });
}

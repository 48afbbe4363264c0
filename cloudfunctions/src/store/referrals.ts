// Referral (裂变): one inviter per invitee (referrals keyed by the invitee), bound at join; the join rewards
// are paid only once the invitee proves real (a bound phone or a first paid order, by the operator's rule),
// exactly once, within the inviter's daily cap; the inviter's first-order reward is reversed on refund.
import { newReferral, REFERRAL_STATUS, ReferralDoc } from '../domain/referrals';
import type { Database, Doc } from 'wx-server-sdk';
import { checkReferral, DEFAULT_REFERRAL_RULES, qualifiesReferral, ReferralRules } from '../domain/campaigns';
import { bucketTotal, earn, expiresAt, LEDGER_TITLE, LedgerSource, PointsBuckets, spend } from '../domain/points';
import { shanghaiDay } from '../domain/time';
import { getConfig } from './config';
import { AlreadyApplied, memberTransaction } from './member-tx';
import { takeFromCounter } from './counters';
import { isDuplicateKey } from './db-errors';
import { findById } from './docs';

/** Rules from config (operator-editable); read fresh, since joins are rare and caps must hold at once. */
export const referralRules = (db: Database, now: number) =>
  getConfig<ReferralRules>(db, 'referral', DEFAULT_REFERRAL_RULES, now, 0);

async function grant(
  db: Database,
  memberId: string,
  points: number,
  source: LedgerSource,
  refId: string,
  title: string,
  now: number,
): Promise<boolean> {
  if (points <= 0) return false;
  try {
    await memberTransaction(db, memberId, now, async (m) => ({
      points: {
        buckets: earn(m.pointsBuckets ?? {}, points, now),
        source,
        refId,
        title,
        expireAt: expiresAt(now),
      },
      result: null,
    }));
    return true;
  } catch (e) {
    if (e instanceof AlreadyApplied) return false;
    throw e;
  }
}

/**
 * Records a new member's inviter (status `pending`). Nothing is paid yet: a farm of fresh accounts that only
 * open the app earns nothing; qualifyReferral pays when the invitee binds a phone or pays a first order.
 */
export async function applyReferral(
  db: Database,
  invitee: { _id: string; created: boolean },
  inviterId: string,
  now: number,
): Promise<{
  ok: boolean;
  code?: string;
  rewarded?: boolean;
  pending?: boolean;
  qualifyBy?: ReferralRules['qualifyBy'];
}> {
  const { data } = await db.collection('members').where({ _id: inviterId }).limit(1).get();
  const inviter = data[0];
  const check = checkReferral({
    inviterId,
    inviteeId: invitee._id,
    inviteeIsNew: invitee.created,
    inviterExists: Boolean(inviter && !inviter.mergedInto),
    inviterInvitedBy: inviter?.source?.inviterId ?? null,
  });
  if (!check.ok) return { ok: false, code: check.code };
  const rules = await referralRules(db, now);
  try {
    await db.collection('referrals').add({
      data: newReferral(inviterId, invitee._id, now, shanghaiDay(now)),
    });
  } catch (e) {
    if (isDuplicateKey(e)) return { ok: false, code: 'ALREADY_INVITED' };
    throw e;
  }
  return { ok: true, rewarded: false, pending: true, qualifyBy: rules.qualifyBy };
}

// A claim left in `qualifying` this long was abandoned (the instance died between steps): it may be taken again.
const STALE_CLAIM_MS = 60_000;

/**
 * The invitee did something only a real person does (`phone` bound, or a paid `order`): if the rule accepts it,
 * the one caller whose conditional update moves the referral out of `pending` takes the inviter's daily cap and
 * the join rewards are paid (ledger ids make them idempotent, so a retry after a crash pays what is missing,
 * never twice). Returns true if the rewards are paid now or were before.
 */
export async function qualifyReferral(
  db: Database,
  inviteeId: string,
  event: 'phone' | 'order',
  now: number,
  orderId: string | null = null,
): Promise<boolean> {
  const ref = await findById(db, 'referrals', inviteeId);
  if (!ref) return false;
  const rules = await referralRules(db, now);
  const stale = ref.status === REFERRAL_STATUS.qualifying && now - (ref.qualifiedAt ?? 0) > STALE_CLAIM_MS;
  if (ref.status === REFERRAL_STATUS.pending || stale) {
    if (!qualifiesReferral(rules.qualifyBy, event)) return false;
    const day = shanghaiDay(now);
    const claim = await db
      .collection('referrals')
      .where({
        _id: inviteeId,
        status: ref.status,
        ...(stale ? { qualifiedAt: ref.qualifiedAt } : {}),
      })
      .update({
        data: {
          status: REFERRAL_STATUS.qualifying,
          qualifiedBy: event,
          qualifiedAt: now,
          rewardDay: day,
          qualifiedByOrderId: orderId,
        },
      });
    if (claim.stats.updated === 1) {
      const inviterId = String(ref.inviterId);
      const withinCap = await takeFromCounter(
        db,
        'referral_daily',
        `${inviterId}:${day}`,
        { inviterId, day },
        1,
        rules.dailyCapPerInviter,
      );
      await db
        .collection('referrals')
        .where({ _id: inviteeId, status: REFERRAL_STATUS.qualifying })
        .update({
          data: { status: withinCap ? REFERRAL_STATUS.joined : REFERRAL_STATUS.capped, rewarded: withinCap },
        });
    }
  }
  return payJoinRewards(db, (await findById(db, 'referrals', inviteeId)) ?? ref, rules, now);
}

// Pays both join rewards of a qualified referral (each at most once, by ledger id) and marks them paid.
async function payJoinRewards(db: Database, ref: Doc, rules: ReferralRules, now: number): Promise<boolean> {
  if (!ref.rewarded) return false;
  if (ref.joinRewardsPaidAt) return true;
  const inviterId = String(ref.inviterId);
  const inviteeId = String(ref._id);
  await grant(db, inviterId, rules.inviterPointsOnJoin, 'referral_join', inviteeId, LEDGER_TITLE.referralJoin, now);
  await grant(
    db,
    inviteeId,
    rules.inviteePointsOnJoin,
    'referral_welcome',
    inviterId,
    LEDGER_TITLE.referralWelcome,
    now,
  );
  await db
    .collection('referrals')
    .doc(inviteeId)
    .update({ data: { joinRewardsPaidAt: now } });
  return true;
}

// The referral flag and the inviter's points change in one transaction, so concurrent callers (the
// pay callback and the caller, WeChat's retries) see either nothing done or everything done.
async function flipReward(
  db: Database,
  inviteeId: string,
  now: number,
  decide: (
    ref: ReferralDoc,
    buckets: PointsBuckets,
  ) => {
    patch: Partial<Omit<ReferralDoc, '_id'>>;
    buckets: PointsBuckets;
    source: LedgerSource;
    refId: string;
    title: string;
  } | null,
): Promise<boolean> {
  const { data } = await db.collection('referrals').where({ _id: inviteeId }).limit(1).get();
  if (!data[0]) return false;
  try {
    return await memberTransaction(db, String(data[0].inviterId), now, async (m, tx) => {
      const ref = (await tx.collection('referrals').doc(inviteeId).get()).data;
      const d = decide(ref, m.pointsBuckets ?? {});
      if (!d) return { result: false };
      await tx.collection('referrals').doc(inviteeId).update({ data: d.patch });
      return {
        points: {
          buckets: d.buckets,
          source: d.source,
          refId: d.refId,
          title: d.title,
          expireAt: d.source === 'referral_order' ? expiresAt(now) : null,
        },
        result: true,
      };
    });
  } catch (e) {
    if (e instanceof AlreadyApplied) return false;
    throw e;
  }
}

/** After an invitee's paid order: the invitee is real (join rewards, once), and the inviter's first-order reward. */
export async function rewardFirstOrder(
  db: Database,
  inviteeId: string,
  orderId: string,
  now: number,
): Promise<boolean> {
  await qualifyReferral(db, inviteeId, 'order', now, orderId);
  const rules = await referralRules(db, now);
  if (rules.inviterPointsOnFirstOrder <= 0) return false;
  return flipReward(db, inviteeId, now, (ref, buckets) =>
    ref.rewarded && !ref.firstOrderRewarded && !ref.firstOrderId
      ? {
          patch: {
            firstOrderRewarded: true,
            firstOrderId: orderId,
            firstOrderAt: now,
            firstOrderPoints: rules.inviterPointsOnFirstOrder,
          },
          buckets: earn(buckets, rules.inviterPointsOnFirstOrder, now),
          source: 'referral_order',
          refId: inviteeId,
          title: LEDGER_TITLE.referralOrder,
        }
      : null,
  );
}

// Takes points granted under `source` back from one member (as far as the balance allows), once by ledger id.
async function takeBack(db: Database, memberId: string, points: number, refId: string, now: number): Promise<void> {
  if (points <= 0) return;
  try {
    await memberTransaction(db, memberId, now, async (m) => {
      const buckets = m.pointsBuckets ?? {};
      const take = Math.min(points, bucketTotal(buckets));
      const s = take > 0 ? spend(buckets, take) : null;
      return {
        points: {
          buckets: s && s.ok ? s.buckets : buckets,
          source: 'referral_join_reversal',
          refId,
          title: LEDGER_TITLE.referralJoinReversal,
        },
        result: null,
      };
    });
  } catch (e) {
    if (!(e instanceof AlreadyApplied)) throw e;
  }
}

// A refund of the order that made the invitee count as real undoes the join rewards it paid (both sides):
// otherwise buying and refunding one cheap item would farm them. Each side once, by ledger id.
async function reverseJoinRewards(db: Database, inviteeId: string, orderId: string, now: number): Promise<void> {
  const ref = await findById(db, 'referrals', inviteeId);
  if (!ref || ref.qualifiedBy !== 'order' || ref.qualifiedByOrderId !== orderId || !ref.joinRewardsPaidAt) return;
  const { data } = await db
    .collection('points_ledger')
    .where({
      refId: db.command.in([inviteeId, String(ref.inviterId)]),
      source: db.command.in(['referral_join', 'referral_welcome']),
    })
    .limit(10)
    .get();
  const paid = (memberId: string, source: string) => data.find((e) => e.memberId === memberId && e.source === source);
  const inviterId = String(ref.inviterId);
  const toInviter = paid(inviterId, 'referral_join');
  const toInvitee = paid(inviteeId, 'referral_welcome');
  if (toInviter) await takeBack(db, inviterId, Number(toInviter.delta), `${inviteeId}:${orderId}:join`, now);
  if (toInvitee) await takeBack(db, inviteeId, Number(toInvitee.delta), `${inviterId}:${orderId}:welcome`, now);
  await db
    .collection('referrals')
    .where({ _id: inviteeId, joinRewardsPaidAt: db.command.exists(true) })
    .update({ data: { joinRewardsReversedAt: now, status: REFERRAL_STATUS.reversed, rewarded: false } });
}

/** When that first order is refunded: take the inviter's reward back (as far as the balance allows). */
export async function reverseFirstOrderReward(
  db: Database,
  inviteeId: string,
  orderId: string,
  now: number,
): Promise<boolean> {
  await reverseJoinRewards(db, inviteeId, orderId, now);
  return flipReward(db, inviteeId, now, (ref, buckets) => {
    if (!ref.firstOrderRewarded || ref.firstOrderId !== orderId) return null;
    const take = Math.min(Number(ref.firstOrderPoints ?? 0), bucketTotal(buckets));
    const s = take > 0 ? spend(buckets, take) : null;
    return {
      patch: { firstOrderRewarded: false, reversedAt: now, status: REFERRAL_STATUS.reversed },
      buckets: s && s.ok ? s.buckets : buckets,
      source: 'referral_reversal',
      refId: `${inviteeId}:${orderId}`,
      title: LEDGER_TITLE.referralReversal,
    };
  });
}

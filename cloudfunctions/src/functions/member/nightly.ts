// The member function's nightly job (timer trigger, 02:00 Shanghai): expires points whose year has
// ended and runs the yearly tier review for members whose review date has come. Works in chunks
// from a cursor inside a time budget, so it resumes on the next run if it cannot finish.
import type { Database } from 'wx-server-sdk';
import { expire, LEDGER_TITLE } from '../../domain/points';
import { GrowthState, reviewTier } from '../../domain/tiers';
import { shanghaiYear } from '../../domain/time';
import { AlreadyApplied, memberTransaction } from '../../store/member-tx';
import { loadTiers } from '../../store/members';

const BUDGET_MS = 45_000;
const CHUNK = 100;

/** Runs both passes; returns what it did. */
export async function runNightly(
  db: Database,
  now: number,
  budgetMs = BUDGET_MS,
): Promise<{ expiredMembers: number; expiredPoints: number; reviewed: number; downgraded: number; done: boolean }> {
  const started = Date.now();
  const inBudget = () => Date.now() - started < budgetMs;
  const _ = db.command;
  const year = String(shanghaiYear(now) - 1);
  // Normally only last year's bucket is due; looking back a few years catches runs that were missed.
  const due = _.or([1, 2, 3, 4, 5].map((n) => ({ [`pointsBuckets.${shanghaiYear(now) - n}`]: _.gt(0) })));
  let expiredMembers = 0;
  let expiredPoints = 0;
  // Points: members still holding a bucket of a year that has ended.
  let cursor = '';
  while (inBudget()) {
    const { data } = await db
      .collection('members')
      .where(_.and([due, { _id: _.gt(cursor) }]))
      .orderBy('_id', 'asc')
      .limit(CHUNK)
      .field({ _id: true })
      .get();
    const tail = data[data.length - 1];
    if (!tail) break;
    for (const { _id } of data) {
      try {
        const n = await memberTransaction(db, _id, now, async (m) => {
          const r = expire(m.pointsBuckets ?? {}, now);
          if (r.expired <= 0) return { result: 0 };
          return {
            points: {
              buckets: r.buckets,
              source: 'expire',
              refId: year,
              title: LEDGER_TITLE.expire(year),
              expireAt: null,
            },
            result: r.expired,
          };
        });
        if (n > 0) {
          expiredMembers++;
          expiredPoints += n;
        }
      } catch (e) {
        if (!(e instanceof AlreadyApplied)) throw e;
      }
    }
    cursor = tail._id;
  }
  // Tier review: members whose yearly review date has passed.
  const tiers = await loadTiers(db);
  let reviewed = 0;
  let downgraded = 0;
  cursor = '';
  while (inBudget()) {
    const { data } = await db
      .collection('members')
      .where({ tierReviewAt: _.lte(now), _id: _.gt(cursor) })
      .orderBy('_id', 'asc')
      .limit(CHUNK)
      .field({ _id: true, tierId: true, growth: true, growthByMonth: true, tierReviewAt: true })
      .get();
    const tail = data[data.length - 1];
    if (!tail) break;
    for (const m of data) {
      const r = reviewTier(
        {
          tierId: String(m.tierId),
          growth: Number(m.growth ?? 0),
          growthByMonth: (m.growthByMonth ?? {}) as Record<string, number>,
          tierReviewAt: Number(m.tierReviewAt),
        } as GrowthState,
        now,
        tiers,
      );
      // Conditional on the review date we read, so a concurrent run never reviews twice.
      const res = await db
        .collection('members')
        .where({ _id: m._id, tierReviewAt: m.tierReviewAt })
        .update({
          data: {
            tierId: r.tierId,
            growth: r.growth,
            growthByMonth: _.set(r.growthByMonth),
            tierReviewAt: r.tierReviewAt,
            ...(r.changed ? { tierChangedAt: now } : {}),
          },
        });
      if (res.stats.updated) {
        reviewed++;
        if (r.changed === 'down') downgraded++;
      }
    }
    cursor = tail._id;
  }
  return { expiredMembers, expiredPoints, reviewed, downgraded, done: inBudget() };
}

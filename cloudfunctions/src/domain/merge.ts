// ONE ID merge: when a member binds a phone that belongs to an earlier member, everything the merged member
// holds on its own document moves to the survivor — points, stored value, growth (and the tier it reaches),
// purchase aggregates, behaviour aggregates, manual tags, the guide binding, check-in state, profile gaps —
// and the merged member is left empty, pointing at the survivor.
import { emptyStats, mergeStats, PurchaseStats, sumCounts } from './orders';
import type { PointsBuckets } from './points';
import { rollingGrowth, Tier, tierById, tierFor, windowedGrowth } from './tiers';

type Doc = Record<string, unknown>;
type Months = Record<string, { n: number; amt: number }>;
type Behavior = Record<string, Record<string, Record<string, number>>>;
type ManualTag = { tag: string; by: string; at: number };

const YEAR_MS = 365 * 24 * 3600_000;

/** Adds per-month purchase aggregates. */
export function sumMonths(a: Months = {}, b: Months = {}): Months {
  const out: Months = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = { n: (out[k]?.n ?? 0) + v.n, amt: (out[k]?.amt ?? 0) + v.amt };
  return out;
}

/** Adds behaviour aggregates (type → category → day → count). */
export function sumBehavior(a: Behavior = {}, b: Behavior = {}): Behavior {
  const out: Behavior = structuredClone(a);
  for (const [type, cats] of Object.entries(b)) {
    for (const [cat, days] of Object.entries(cats)) (out[type] ??= {})[cat] = sumCounts(out[type]?.[cat], days);
  }
  return out;
}

const maxOf = (a: unknown, b: unknown): number | null => {
  const xs = [a, b].filter((x): x is number => typeof x === 'number');
  return xs.length ? Math.max(...xs) : null;
};
const blank = (v: unknown) => v === undefined || v === null || v === '' || v === 'unknown' || v === '微信用户';

/** The member document fields a merge writes on the survivor (plain values) and on the merged member. */
export interface MergePlan {
  to: Doc;
  from: Doc;
  points: number;
  balance: number;
}

/** Plans merging `from` into `to` at `now` (tags are recomputed by the caller from the merged aggregates). */
export function planMerge(from: Doc, to: Doc, now: number, tiers: Tier[]): MergePlan {
  const points = Number(from.points ?? 0);
  const balance = Number(from.balance ?? 0);
  const growthByMonth = windowedGrowth(
    sumCounts(to.growthByMonth as Record<string, number>, from.growthByMonth as Record<string, number>),
    now,
  );
  const growth = rollingGrowth(growthByMonth, now);
  // The higher of the two tiers is kept (each was earned or kept by its own review); combined growth may lift it.
  const [tTo, tFrom] = [tierById(String(to.tierId ?? ''), tiers), tierById(String(from.tierId ?? ''), tiers)];
  const held =
    tFrom.level > tTo.level
      ? { tier: tFrom, reviewAt: from.tierReviewAt ?? null }
      : { tier: tTo, reviewAt: to.tierReviewAt ?? null };
  const reached = tierFor(growth, tiers).tier;
  const tier = reached.level > held.tier.level ? { tier: reached, reviewAt: now + YEAR_MS } : held;
  const fs = (from.stats ?? {}) as Partial<PurchaseStats> & { months?: Months };
  const ts = (to.stats ?? {}) as Partial<PurchaseStats> & { months?: Months };
  const stats = { ...mergeStats(ts, fs), months: sumMonths(ts.months, fs.months) };
  const manual = new Map<string, ManualTag>();
  for (const t of [...((to.manualTags as ManualTag[]) ?? []), ...((from.manualTags as ManualTag[]) ?? [])])
    if (!manual.has(t.tag)) manual.set(t.tag, t);
  // The later check-in state wins, so the merged person cannot check in twice on one day.
  const ck = (m: Doc) => (m.checkin ?? { lastDay: null, streak: 0 }) as { lastDay: string | null; streak: number };
  const [ckTo, ckFrom] = [ck(to), ck(from)];
  const checkin =
    (ckFrom.lastDay ?? '') > (ckTo.lastDay ?? '') || (ckFrom.lastDay === ckTo.lastDay && ckFrom.streak > ckTo.streak)
      ? ckFrom
      : ckTo;
  const guide = to.guideId
    ? {}
    : from.guideId
      ? { guideId: from.guideId, storeId: from.storeId ?? null, boundAt: from.boundAt ?? null }
      : to.storeId
        ? {}
        : { storeId: from.storeId ?? null };
  const profile = Object.fromEntries(
    (['nickname', 'avatar', 'gender', 'birthday', 'city'] as const)
      .filter((k) => blank(to[k]) && !blank(from[k]))
      .map((k) => [k, from[k]]),
  );
  const toPatch: Doc = {
    points: Number(to.points ?? 0) + points,
    pointsBuckets: sumCounts(to.pointsBuckets as PointsBuckets, from.pointsBuckets as PointsBuckets),
    balance: Number(to.balance ?? 0) + balance,
    growth,
    growthByMonth,
    tierId: tier.tier._id,
    tierReviewAt: tier.reviewAt,
    stats,
    behavior: sumBehavior(to.behavior as Behavior, from.behavior as Behavior),
    manualTags: [...manual.values()],
    checkin,
    ...guide,
    ...profile,
    marketingOptOut: Boolean(to.marketingOptOut) || Boolean(from.marketingOptOut),
    lastActiveAt: maxOf(to.lastActiveAt, from.lastActiveAt),
  };
  const fromPatch: Doc = {
    mergedInto: String(to._id),
    mergedAt: now,
    points: 0,
    pointsBuckets: {},
    balance: 0,
    growth: 0,
    growthByMonth: {},
    stats: { ...emptyStats(), months: {} },
    behavior: {},
    manualTags: [],
    tags: [],
  };
  return { to: toPatch, from: fromPatch, points, balance };
}

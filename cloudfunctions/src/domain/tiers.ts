// Member tiers and growth value: growth is earned from paid spending (1 per yuan), kept per month
// for a rolling 12 months; a tier upgrades at once, is reviewed once a year, and keeps (保级) if the
// member's rolling growth still reaches the tier's keep threshold, else drops one level at most.
import { addMonths, shanghaiMonth } from './time';

/** A tier as configured by the operator. Percentages are integers (95 = 9.5折, 150 = 1.5x points). */
export type Tier = {
  _id: string;
  name: string;
  level: number;
  threshold: number;
  keepThreshold?: number;
  discount?: number;
  pointsMultiplier?: number;
  birthdayCouponTemplateId?: string | null;
};

/** The default ladder when the brand has not configured one. */
export const DEFAULT_TIERS: [Tier, ...Tier[]] = [
  {
    _id: 't_normal',
    name: '普通会员',
    level: 0,
    threshold: 0,
    keepThreshold: 0,
    discount: 100,
    pointsMultiplier: 100,
    birthdayCouponTemplateId: null,
  },
  {
    _id: 't_silver',
    name: '银卡会员',
    level: 1,
    threshold: 1000,
    keepThreshold: 600,
    discount: 98,
    pointsMultiplier: 120,
    birthdayCouponTemplateId: null,
  },
  {
    _id: 't_gold',
    name: '金卡会员',
    level: 2,
    threshold: 5000,
    keepThreshold: 3000,
    discount: 95,
    pointsMultiplier: 150,
    birthdayCouponTemplateId: null,
  },
  {
    _id: 't_diamond',
    name: '钻石会员',
    level: 3,
    threshold: 20000,
    keepThreshold: 12000,
    discount: 90,
    pointsMultiplier: 200,
    birthdayCouponTemplateId: null,
  },
];

/** The tiers lowest level first: the brand's, else the defaults, so never empty. */
function ladderOf(tiers: Tier[]): [Tier, ...Tier[]] {
  const [lowest, ...higher] = [...(tiers.length ? tiers : DEFAULT_TIERS)].sort((a, b) => a.level - b.level);
  return lowest ? [lowest, ...higher] : [...DEFAULT_TIERS];
}

/** The highest tier whose threshold `growth` reaches, and the gap to the next one (null at the top). */
export function tierFor(growth: number, tiers: Tier[]): { tier: Tier; next: Tier | null; gap: number | null } {
  const [lowest, ...higher] = ladderOf(tiers);
  let tier = lowest;
  let next: Tier | null = null;
  for (const t of higher) {
    if (growth < t.threshold) {
      next = t;
      break;
    }
    tier = t;
  }
  return { tier, next, gap: next ? next.threshold - growth : null };
}

/** A tier by id (falls back to the lowest). */
export function tierById(id: string | undefined, tiers: Tier[]): Tier {
  const ladder = ladderOf(tiers);
  return ladder.find((t) => t._id === id) ?? ladder[0];
}

/** Readable benefits of a tier, for the member center. */
export function benefitsOf(t: Tier): string[] {
  const out: string[] = [];
  // The tier discount applies on top of the member price (domain/pricing.ts), and says so.
  if (t.discount !== undefined && t.discount < 100)
    out.push(`会员价再享 ${t.discount % 10 === 0 ? t.discount / 10 : (t.discount / 10).toFixed(1)} 折`);
  if (t.pointsMultiplier !== undefined && t.pointsMultiplier > 100) out.push(`积分 ${t.pointsMultiplier / 100} 倍`);
  if (t.birthdayCouponTemplateId) out.push('生日礼券');
  if (out.length === 0) out.push('签到积分、积分商城兑换');
  return out;
}

/** What a member record keeps about growth and tier. */
export interface GrowthState {
  tierId: string;
  growth: number;
  growthByMonth: Record<string, number>;
  tierReviewAt: number | null;
}

const YEAR_MS = 365 * 24 * 3600_000;
const sum = (m: Record<string, number>) => Object.values(m).reduce((s, v) => s + v, 0);

/** The first month of the rolling growth window at `now`: the current Shanghai month and the 11 before it. */
export const growthWindowStart = (now: number): string => addMonths(shanghaiMonth(now), -11);

/** The months of `byMonth` still inside the rolling 12-month window at `now` (older and empty ones dropped). */
export function windowedGrowth(byMonth: Record<string, number>, now: number): Record<string, number> {
  const from = growthWindowStart(now);
  return Object.fromEntries(Object.entries(byMonth).filter(([m, v]) => m >= from && v !== 0));
}

/** Growth that counts at `now`: the sum over the rolling 12-month window only, never below 0. */
export const rollingGrowth = (byMonth: Record<string, number>, now: number): number =>
  Math.max(0, sum(windowedGrowth(byMonth, now)));

/** Growth value of a paid amount in fen: 1 per whole yuan. */
export const growthForPayment = (fen: number): number => Math.floor(fen / 100);

/**
 * Applies earned (delta > 0) or reversed (delta < 0, a refund) growth at `now`, booked in the month of `at`
 * (a reversal books in the month the growth was earned). Only the rolling 12-month window counts.
 */
export function applyGrowth(
  state: GrowthState,
  delta: number,
  now: number,
  tiers: Tier[],
  at = now,
): GrowthState & { changed: 'up' | 'down' | null } {
  if (!Number.isSafeInteger(delta)) throw new RangeError('growth delta must be an integer');
  const month = shanghaiMonth(at);
  const before = rollingGrowth(state.growthByMonth, now);
  const byMonth = windowedGrowth({ ...state.growthByMonth, [month]: (state.growthByMonth[month] ?? 0) + delta }, now);
  const growth = rollingGrowth(byMonth, now);
  const current = tierById(state.tierId, tiers);
  const target = tierFor(growth, tiers).tier;
  if (target.level > current.level)
    return { tierId: target._id, growth, growthByMonth: byMonth, tierReviewAt: now + YEAR_MS, changed: 'up' };
  // A refund that takes growth below the tier it bought drops the tier at once (no buy-upgrade-refund); a tier
  // held by its keep threshold while old months expired is left to the yearly review.
  if (delta < 0 && growth < current.threshold && before >= current.threshold) {
    return { tierId: target._id, growth, growthByMonth: byMonth, tierReviewAt: state.tierReviewAt, changed: 'down' };
  }
  return { ...state, growth, growthByMonth: byMonth, changed: null };
}

/** The yearly review: drops growth older than 12 months, then keeps, upgrades or drops one level. */
export function reviewTier(
  state: GrowthState,
  now: number,
  tiers: Tier[],
): GrowthState & { changed: 'up' | 'down' | null } {
  const byMonth = windowedGrowth(state.growthByMonth, now);
  const growth = rollingGrowth(byMonth, now);
  const ladder = ladderOf(tiers);
  const current = tierById(state.tierId, tiers);
  const target = tierFor(growth, tiers).tier;
  const next = { growth, growthByMonth: byMonth, tierReviewAt: now + YEAR_MS };
  if (target.level > current.level) return { ...next, tierId: target._id, changed: 'up' };
  if (target.level === current.level || growth >= (current.keepThreshold ?? current.threshold))
    return { ...next, tierId: current._id, changed: null };
  const oneDown = ladder.filter((t) => t.level < current.level).pop() ?? current;
  const landed = target.level > oneDown.level ? target : oneDown;
  return { ...next, tierId: landed._id, changed: 'down' };
}

// Daily check-in: one per Shanghai calendar day, streaks with bonus days, and make-up check-ins.
import { addDays, daysBetween, shanghaiDay } from './time';

/** Operator-configurable check-in rules. */
export interface CheckinRules {
  basePoints: number;
  /** Extra points on the Nth consecutive day, e.g. [{ day: 7, points: 20 }]. */
  bonuses: { day: number; points: number }[];
  /** Streak length after which the bonus cycle restarts (0 = never). */
  cycleDays: number;
  makeup: { enabled: boolean; costPoints: number; maxDaysBack: number };
}

/** The default rules: 5 points a day, +10 on day 3, +20 on day 7, weekly cycle, make-up for 20 points within 7 days. */
export const DEFAULT_CHECKIN_RULES: CheckinRules = {
  basePoints: 5,
  bonuses: [
    { day: 3, points: 10 },
    { day: 7, points: 20 },
  ],
  cycleDays: 7,
  makeup: { enabled: true, costPoints: 20, maxDaysBack: 7 },
};

/** What the member record keeps about check-ins. */
export interface CheckinState {
  lastDay: string | null;
  streak: number;
}

/** A day's check-in (collection `checkins`, id `${memberId}_${day}`: the unique key that allows one a day). */
export type CheckinDoc = {
  _id: string;
  memberId: string;
  /** Shanghai calendar day. */
  day: string;
  /** The streak this check-in made (0 for a make-up, whose streak is recomputed from all days). */
  streak: number;
  points: number;
  makeup: boolean;
  /** Points a make-up cost. */
  cost?: number;
  createdAt: number;
};

/** A check-in on `day` by a member. */
export function newCheckin(
  memberId: string,
  day: string,
  earned: { streak: number; points: number },
  now: number,
  makeupCost?: number,
): CheckinDoc {
  const base = { _id: `${memberId}_${day}`, memberId, day, points: earned.points, createdAt: now };
  return makeupCost === undefined
    ? { ...base, streak: earned.streak, makeup: false }
    : { ...base, streak: 0, makeup: true, cost: makeupCost };
}

/** The points a check-in that makes a streak of `streak` days earns. */
export function pointsForStreak(streak: number, rules: CheckinRules): { points: number; bonus: number } {
  const pos = rules.cycleDays > 0 ? ((streak - 1) % rules.cycleDays) + 1 : streak;
  const bonus = rules.bonuses.filter((b) => b.day === pos).reduce((s, b) => s + b.points, 0);
  return { points: rules.basePoints + bonus, bonus };
}

/** Today's check-in for a member, or the refusal. */
export function decideCheckin(
  state: CheckinState,
  now: number,
  rules: CheckinRules,
):
  | { ok: true; day: string; streak: number; points: number; bonus: number }
  | { ok: false; code: 'ALREADY_CHECKED_IN'; day: string } {
  const day = shanghaiDay(now);
  if (state.lastDay === day) return { ok: false, code: 'ALREADY_CHECKED_IN', day };
  const streak = state.lastDay === addDays(day, -1) ? state.streak + 1 : 1;
  return { ok: true, day, streak, ...pointsForStreak(streak, rules) };
}

/** The streak ending on `day` given the set of checked-in days. */
export function streakEndingOn(days: Set<string>, day: string): number {
  let n = 0;
  while (days.has(addDays(day, -n))) n++;
  return n;
}

/** The member's current streak: ending today, or yesterday if today is not checked in yet. */
export function currentStreak(days: Set<string>, now: number): number {
  const today = shanghaiDay(now);
  return days.has(today) ? streakEndingOn(days, today) : streakEndingOn(days, addDays(today, -1));
}

/** Whether a make-up check-in for `day` is allowed, and its cost. */
export function decideMakeup(
  day: string,
  checked: Set<string>,
  now: number,
  rules: CheckinRules,
):
  | { ok: true; cost: number; points: number }
  | { ok: false; code: 'MAKEUP_DISABLED' | 'MAKEUP_NOT_ALLOWED' | 'ALREADY_CHECKED_IN' } {
  if (!rules.makeup.enabled) return { ok: false, code: 'MAKEUP_DISABLED' };
  const back = daysBetween(day, shanghaiDay(now));
  if (back < 1 || back > rules.makeup.maxDaysBack) return { ok: false, code: 'MAKEUP_NOT_ALLOWED' };
  if (checked.has(day)) return { ok: false, code: 'ALREADY_CHECKED_IN' };
  // A make-up day earns the base points only; bonuses are for real streaks.
  return { ok: true, cost: rules.makeup.costPoints, points: rules.basePoints };
}

// Member tiers by growth value: which tier a member is in and what the next one needs.

/** A tier as configured by the operator. */
export interface Tier { _id: string; name: string; level: number; threshold: number }

/** The default ladder when the brand has not configured one. */
export const DEFAULT_TIERS: Tier[] = [
  { _id: 't_normal', name: '普通会员', level: 0, threshold: 0 },
  { _id: 't_silver', name: '银卡会员', level: 1, threshold: 1000 },
  { _id: 't_gold', name: '金卡会员', level: 2, threshold: 5000 },
  { _id: 't_diamond', name: '钻石会员', level: 3, threshold: 20000 },
];

/** The highest tier whose threshold `growth` reaches, and the gap to the next one (null at the top). */
export function tierFor(growth: number, tiers: Tier[]): { tier: Tier; next: Tier | null; gap: number | null } {
  const ladder = [...(tiers.length ? tiers : DEFAULT_TIERS)].sort((a, b) => a.threshold - b.threshold);
  let i = 0;
  while (i + 1 < ladder.length && growth >= ladder[i + 1].threshold) i++;
  const next = ladder[i + 1] ?? null;
  return { tier: ladder[i], next, gap: next ? next.threshold - growth : null };
}

// Lifecycle stage from the member's own purchase rhythm, and churn risk as a predicted tag.

/** Stages of the member journey (domain brief: before first order → after → loyal → lost). */
export type Stage = 'new' | 'first_order' | 'repurchase' | 'loyal' | 'at_risk' | 'lost';

/** Chinese names for the console. */
export const STAGE_TEXT: Record<Stage, string> = {
  new: '新客（未购）',
  first_order: '首单客',
  repurchase: '复购客',
  loyal: '忠诚客',
  at_risk: '流失预警',
  lost: '已流失',
};

/** What the stage is computed from (the member's own aggregates). */
export interface PurchaseRhythm {
  orderCount: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
}

const DAY = 24 * 3600_000;

/** The member's typical days between orders; a brand-level default for one-order members. */
export function intervalDays(p: PurchaseRhythm, defaultDays = 45): number {
  if (p.orderCount < 2 || !p.firstOrderAt || !p.lastOrderAt) return defaultDays;
  return Math.max(1, (p.lastOrderAt - p.firstOrderAt) / DAY / (p.orderCount - 1));
}

/** The stage at `now`: at risk past 2× the member's own interval, lost past 4× (and at least 90 days). */
export function stageOf(p: PurchaseRhythm, now: number, defaultDays = 45): Stage {
  if (p.orderCount <= 0 || !p.lastOrderAt) return 'new';
  const since = (now - p.lastOrderAt) / DAY;
  const interval = intervalDays(p, defaultDays);
  if (since > Math.max(90, 4 * interval)) return 'lost';
  if (since > Math.max(30, 2 * interval)) return 'at_risk';
  if (p.orderCount >= 4) return 'loyal';
  return p.orderCount >= 2 ? 'repurchase' : 'first_order';
}

/** Churn risk 0–100 from how overdue the next order is against the member's own rhythm. */
export function churnRisk(p: PurchaseRhythm, now: number, defaultDays = 45): number {
  if (!p.lastOrderAt) return 0;
  const overdue = (now - p.lastOrderAt) / DAY / intervalDays(p, defaultDays);
  return Math.max(0, Math.min(100, Math.round(((overdue - 1) / 3) * 100)));
}

import {
  applyGrowth,
  benefitsOf,
  DEFAULT_TIERS as T,
  GrowthState,
  Tier,
  growthForPayment,
  growthWindowStart,
  reviewTier,
  rollingGrowth,
  tierFor,
} from './tiers';

const at = (iso: string) => Date.parse(iso);
const defaultTier = (id: string): Tier => {
  const tier = T.find((t) => t._id === id);
  if (!tier) throw new Error(`no default tier ${id}`);
  return tier;
};
const state = (p: Partial<GrowthState> = {}): GrowthState => ({
  tierId: 't_normal',
  growth: 0,
  growthByMonth: {},
  tierReviewAt: null,
  ...p,
});

describe('tierFor', () => {
  it('puts a member at the highest threshold reached', () => {
    expect(tierFor(0, T).tier._id).toBe('t_normal');
    expect(tierFor(999, T).tier._id).toBe('t_normal');
    expect(tierFor(1000, T).tier._id).toBe('t_silver');
    expect(tierFor(25000, T).tier._id).toBe('t_diamond');
  });
  it('tells the gap to the next tier, none at the top', () => {
    expect(tierFor(800, T)).toMatchObject({ next: { _id: 't_silver' }, gap: 200 });
    expect(tierFor(20000, T)).toMatchObject({ next: null, gap: null });
  });
  it('does not depend on the order tiers are listed in', () => {
    const shuffled = ['t_gold', 't_normal', 't_diamond', 't_silver'].map(defaultTier);
    expect(tierFor(5000, shuffled).tier._id).toBe('t_gold');
  });
  it('describes benefits in Chinese', () => {
    expect(benefitsOf(defaultTier('t_gold'))).toEqual(['会员价再享 9.5 折', '积分 1.5 倍']);
    expect(benefitsOf(defaultTier('t_diamond'))[0]).toBe('会员价再享 9 折');
  });
});

describe('growth', () => {
  it('earns 1 growth per whole yuan paid', () => {
    expect(growthForPayment(12999)).toBe(129);
  });
  it('upgrades at once when a payment crosses a threshold', () => {
    const r = applyGrowth(
      state({ growth: 900, growthByMonth: { '2026-10': 900 } }),
      150,
      at('2026-11-25T02:00:00Z'),
      T,
    );
    expect(r).toMatchObject({ tierId: 't_silver', growth: 1050, changed: 'up' });
    expect(r.growthByMonth['2026-11']).toBe(150);
  });
  it('a refund that undoes the upgrade drops the tier again', () => {
    const up = applyGrowth(
      state({ growth: 900, growthByMonth: { '2026-10': 900 } }),
      150,
      at('2026-11-25T02:00:00Z'),
      T,
    );
    const back = applyGrowth(up, -150, at('2026-11-26T02:00:00Z'), T);
    expect(back).toMatchObject({ tierId: 't_normal', growth: 900, changed: 'down' });
  });
  it('a small refund that stays above the threshold keeps the tier', () => {
    const r = applyGrowth(
      state({ tierId: 't_silver', growth: 1500, growthByMonth: { '2026-10': 1500 } }),
      -100,
      at('2026-11-25T02:00:00Z'),
      T,
    );
    expect(r).toMatchObject({ tierId: 't_silver', growth: 1400, changed: null });
  });
});

describe('yearly review (保级)', () => {
  const now = at('2026-11-25T02:00:00Z');
  it('drops growth older than 12 months', () => {
    const r = reviewTier(state({ tierId: 't_silver', growthByMonth: { '2025-10': 1000, '2026-01': 700 } }), now, T);
    expect(r.growth).toBe(700);
  });
  it('reviews growth of the current Shanghai month and the 11 before it only', () => {
    const growthByMonth = { '2025-11': 300, '2025-12': 50, '2026-01': 400 };
    expect(reviewTier(state({ tierId: 't_silver', growthByMonth }), now, T).growth).toBe(450);
    // 1 Dec 2026 01:00 Shanghai is 30 Nov in UTC: the Shanghai month decides, so December 2025 is out.
    const early = reviewTier(state({ growthByMonth: { '2025-12': 5, '2026-01': 7 } }), at('2026-11-30T17:00:00Z'), T);
    expect(early.growth).toBe(7);
  });
  it('keeps the tier when rolling growth reaches the keep threshold', () => {
    expect(reviewTier(state({ tierId: 't_silver', growthByMonth: { '2026-03': 650 } }), now, T)).toMatchObject({
      tierId: 't_silver',
      changed: null,
    });
  });
  it('drops at most one level when growth falls short', () => {
    expect(reviewTier(state({ tierId: 't_diamond', growthByMonth: { '2026-03': 100 } }), now, T)).toMatchObject({
      tierId: 't_gold',
      changed: 'down',
    });
  });
  it('lands on the tier growth supports if that is higher than one level down', () => {
    expect(reviewTier(state({ tierId: 't_diamond', growthByMonth: { '2026-03': 11000 } }), now, T)).toMatchObject({
      tierId: 't_gold',
      changed: 'down',
    });
  });
  it('schedules the next review a year later', () => {
    expect(reviewTier(state(), now, T).tierReviewAt).toBe(now + 365 * 24 * 3600_000);
  });
});

describe('rolling 12-month growth', () => {
  const now = at('2026-11-25T02:00:00Z');
  it('growth older than 12 months does not count toward an upgrade', () => {
    // 2025-11 is 12 months back: outside the window (2025-12 … 2026-11).
    const r = applyGrowth(state({ growth: 900, growthByMonth: { '2025-11': 900 } }), 150, now, T);
    expect(r).toMatchObject({ tierId: 't_normal', growth: 150, changed: null });
    expect(r.growthByMonth).toEqual({ '2026-11': 150 });
  });
  it('the window is the current month and the 11 before it', () => {
    expect(growthWindowStart(now)).toBe('2025-12');
    expect(rollingGrowth({ '2025-11': 5000, '2025-12': 10, '2026-11': 5 }, now)).toBe(15);
  });
  it('a reversal books in the month the growth was earned', () => {
    const up = applyGrowth(state({ growthByMonth: { '2026-10': 900 } }), 150, at('2026-10-20T02:00:00Z'), T);
    const back = applyGrowth(up, -150, now, T, at('2026-10-20T02:00:00Z'));
    expect(back).toMatchObject({ tierId: 't_normal', growth: 900, changed: 'down', growthByMonth: { '2026-10': 900 } });
  });
  it('a refund does not drop a tier that was already held only by its keep threshold', () => {
    const r = applyGrowth(state({ tierId: 't_silver', growthByMonth: { '2026-03': 700 } }), -50, now, T);
    expect(r).toMatchObject({ tierId: 't_silver', growth: 650, changed: null });
  });
});

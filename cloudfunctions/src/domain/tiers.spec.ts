import { DEFAULT_TIERS, tierFor } from './tiers';

describe('tierFor', () => {
  it('puts a member at the highest threshold reached', () => {
    expect(tierFor(0, DEFAULT_TIERS).tier._id).toBe('t_normal');
    expect(tierFor(999, DEFAULT_TIERS).tier._id).toBe('t_normal');
    expect(tierFor(1000, DEFAULT_TIERS).tier._id).toBe('t_silver');
    expect(tierFor(25000, DEFAULT_TIERS).tier._id).toBe('t_diamond');
  });

  it('tells the gap to the next tier, none at the top', () => {
    expect(tierFor(800, DEFAULT_TIERS)).toMatchObject({ next: { _id: 't_silver' }, gap: 200 });
    expect(tierFor(20000, DEFAULT_TIERS)).toMatchObject({ next: null, gap: null });
  });

  it('does not depend on the order tiers are listed in', () => {
    const shuffled = [DEFAULT_TIERS[2], DEFAULT_TIERS[0], DEFAULT_TIERS[3], DEFAULT_TIERS[1]];
    expect(tierFor(5000, shuffled).tier._id).toBe('t_gold');
  });
});

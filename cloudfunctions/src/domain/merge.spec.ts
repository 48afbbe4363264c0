import { planMerge, sumBehavior } from './merge';
import { DEFAULT_TIERS as T } from './tiers';

const now = Date.parse('2026-11-25T02:00:00Z');
const to = {
  _id: 'A',
  points: 100,
  pointsBuckets: { 2027: 100 },
  balance: 500,
  tierId: 't_silver',
  tierReviewAt: 111,
  growthByMonth: { '2026-10': 1200 },
  stats: {
    orderCount: 2,
    paidTotal: 120000,
    firstOrderAt: 50,
    lastOrderAt: 60,
    categoryIds: ['cat_coffee'],
    categoryCounts: { cat_coffee: 2 },
    productOrders: { p_latte: 1 },
    months: { '2026-10': { n: 2, amt: 120000 } },
  },
  behavior: { product_view: { cat_coffee: { '2026-11-20': 2 } } },
  manualTags: [{ tag: '爱拿铁', by: 'guide_1', at: 1 }],
  checkin: { lastDay: '2026-11-20', streak: 3 },
  guideId: null,
  storeId: null,
  nickname: '微信用户',
  birthday: null,
  marketingOptOut: false,
};
const from = {
  _id: 'B',
  points: 40,
  pointsBuckets: { 2027: 30, 2026: 10 },
  balance: 300,
  tierId: 't_normal',
  growthByMonth: { '2026-11': 3900, '2025-01': 9999 },
  stats: {
    orderCount: 1,
    paidTotal: 390000,
    firstOrderAt: 10,
    lastOrderAt: 70,
    categoryIds: ['cat_beans'],
    productOrders: { p_latte: 1, p_beans: 1 },
    months: { '2026-10': { n: 1, amt: 390000 } },
  },
  behavior: { product_view: { cat_coffee: { '2026-11-20': 1 }, cat_beans: { '2026-11-21': 4 } } },
  manualTags: [
    { tag: '爱拿铁', by: 'guide_2', at: 2 },
    { tag: '靠窗', by: 'guide_2', at: 3 },
  ],
  checkin: { lastDay: '2026-11-25', streak: 1 },
  guideId: 'guide_2',
  storeId: 'store_1',
  boundAt: 5,
  nickname: '小王',
  birthday: '1990-01-02',
  marketingOptOut: true,
};

describe('ONE ID merge', () => {
  it('moves everything the merged member holds and leaves it empty', () => {
    const p = planMerge(from, to, now, T);
    expect([p.points, p.balance]).toEqual([40, 300]);
    expect(p.to).toMatchObject({
      points: 140,
      pointsBuckets: { 2027: 130, 2026: 10 },
      balance: 800,
      growth: 5100,
      growthByMonth: { '2026-10': 1200, '2026-11': 3900 },
      tierId: 't_gold',
      stats: {
        orderCount: 3,
        paidTotal: 510000,
        firstOrderAt: 10,
        lastOrderAt: 70,
        categoryIds: ['cat_beans', 'cat_coffee'],
        // Category counts survive the merge (the survivor's refunds then take back exactly one order each).
        categoryCounts: { cat_coffee: 2, cat_beans: 1 },
        productOrders: { p_latte: 2, p_beans: 1 },
        repeatProducts: ['p_latte'],
        months: { '2026-10': { n: 3, amt: 510000 } },
      },
      behavior: { product_view: { cat_coffee: { '2026-11-20': 3 }, cat_beans: { '2026-11-21': 4 } } },
      checkin: { lastDay: '2026-11-25', streak: 1 },
      guideId: 'guide_2',
      storeId: 'store_1',
      boundAt: 5,
      nickname: '小王',
      birthday: '1990-01-02',
      marketingOptOut: true,
    });
    expect(p.to.tierReviewAt).toBe(now + 365 * 24 * 3600_000);
    expect((p.to.manualTags as { tag: string; by: string }[]).map((t) => [t.tag, t.by])).toEqual([
      ['爱拿铁', 'guide_1'],
      ['靠窗', 'guide_2'],
    ]);
    expect(p.from).toMatchObject({
      mergedInto: 'A',
      points: 0,
      balance: 0,
      growth: 0,
      growthByMonth: {},
      manualTags: [],
      tags: [],
      stats: { orderCount: 0, categoryCounts: {}, productOrders: {}, repeatProducts: [], months: {} },
    });
  });
  it('keeps the survivor’s guide, and the higher tier with its own review date', () => {
    const p = planMerge(
      { ...from, tierId: 't_diamond', tierReviewAt: 999, growthByMonth: {} },
      { ...to, guideId: 'guide_1', storeId: 'store_1' },
      now,
      T,
    );
    expect([p.to.tierId, p.to.tierReviewAt, p.to.guideId]).toEqual(['t_diamond', 999, undefined]);
  });
  it('adds behaviour day by day', () => {
    expect(sumBehavior({ a: { c: { d1: 1 } } }, { a: { c: { d1: 2, d2: 1 } }, b: { c: { d1: 1 } } })).toEqual({
      a: { c: { d1: 3, d2: 1 } },
      b: { c: { d1: 1 } },
    });
  });
});

import {
  checkStorePurchase,
  DEFAULT_STORE_PURCHASE_RULES as RULES,
  purchaseEffects,
  purchaseSubject,
  reversalEffects,
  storeOrderId,
} from './store-purchase';
import { emptyStats } from './orders';
import { DEFAULT_TIERS as T } from './tiers';

const now = Date.parse('2026-11-25T02:00:00Z');
const silver = () =>
  purchaseSubject({
    tierId: 't_silver',
    growthByMonth: { '2026-10': 1200 },
    pointsBuckets: { 2027: 100 },
    stats: { orderCount: 3, paidTotal: 120000, firstOrderAt: 1, lastOrderAt: 2, categoryIds: ['cat_coffee'] },
  });

describe('recording an in-store purchase', () => {
  it('needs the guide’s own store and an amount within the cap', () => {
    const base = { amount: 3800, guideStoreId: 'store_1', memberStoreId: 'store_1', rules: RULES };
    expect(checkStorePurchase(base)).toEqual({ ok: true });
    expect(checkStorePurchase({ ...base, memberStoreId: 'store_2' })).toEqual({
      ok: false,
      code: 'NOT_STORE_CUSTOMER',
    });
    expect(checkStorePurchase({ ...base, memberStoreId: null })).toEqual({ ok: false, code: 'NOT_STORE_CUSTOMER' });
    expect(checkStorePurchase({ ...base, guideStoreId: null, memberStoreId: null })).toEqual({
      ok: false,
      code: 'NOT_STORE_CUSTOMER',
    });
    expect(checkStorePurchase({ ...base, amount: RULES.maxAmount })).toEqual({ ok: true });
    expect(checkStorePurchase({ ...base, amount: RULES.maxAmount + 1 })).toEqual({
      ok: false,
      code: 'PURCHASE_OVER_LIMIT',
    });
    // The case: ¥24,000 turning silver into diamond.
    expect(checkStorePurchase({ ...base, amount: 2_400_000 })).toEqual({ ok: false, code: 'PURCHASE_OVER_LIMIT' });
  });
  it('one order id per store and receipt number, never truncated into another', () => {
    expect(storeOrderId('store_1', 'A001')).toBe(storeOrderId('store_1', 'A001'));
    expect(storeOrderId('store_1', 'A001')).not.toBe(storeOrderId('store_2', 'A001'));
    const long = 'R'.repeat(32);
    expect(storeOrderId('store_1', `${long}1`)).not.toBe(storeOrderId('store_1', `${long}2`));
    expect(storeOrderId('s', 'x'.repeat(40))).toMatch(/^ST[0-9a-f]{30}$/);
  });
  it('earns points by tier, growth, and aggregates', () => {
    const e = purchaseEffects(silver(), 3800, ['cat_beans'], now, T);
    expect(e.earned).toEqual({ points: 45, growth: 38 });
    expect(e.buckets).toEqual({ 2027: 145 });
    expect(e.stats).toEqual({
      orderCount: 4,
      paidTotal: 123800,
      firstOrderAt: 1,
      lastOrderAt: now,
      categoryIds: ['cat_beans', 'cat_coffee'],
      categoryCounts: { cat_coffee: 1, cat_beans: 1 },
      productOrders: {},
      repeatProducts: [],
    });
    expect(e.growth.growthByMonth).toEqual({ '2026-10': 1200, '2026-11': 38 });
  });
});

describe('reversing one', () => {
  it('undoes points, growth (in its month), aggregates and the tier it bought', () => {
    const before = purchaseSubject({
      tierId: 't_normal',
      growthByMonth: { '2026-10': 900 },
      pointsBuckets: {},
      stats: {},
    });
    const paidAt = Date.parse('2026-10-20T02:00:00Z');
    const e = purchaseEffects(before, 20000, ['cat_beans'], paidAt, T);
    expect(e.growth.tierId).toBe('t_silver');
    const after = purchaseSubject({ ...e.growth, pointsBuckets: e.buckets, stats: e.stats });
    const r = reversalEffects(
      after,
      { paidAt, money: 20000, earned: e.earned, categoryIds: ['cat_beans'] },
      { firstPaidAt: null, lastPaidAt: null },
      now,
      T,
    );
    expect([r.pointsTaken, r.pointsShort, r.buckets]).toEqual([200, 0, {}]);
    expect(r.growth).toMatchObject({ tierId: 't_normal', growth: 900, growthByMonth: { '2026-10': 900 } });
    expect(r.stats).toEqual(emptyStats());
    expect(r.month).toBe('2026-10');
  });
  it('takes back only what is left and keeps categories and dates other orders still hold', () => {
    const m = purchaseSubject({
      tierId: 't_normal',
      pointsBuckets: { 2027: 30 },
      stats: {
        orderCount: 2,
        paidTotal: 9000,
        firstOrderAt: 10,
        lastOrderAt: 50,
        categoryIds: ['cat_beans', 'cat_coffee'],
        categoryCounts: { cat_coffee: 2, cat_beans: 1 },
      },
    });
    const r = reversalEffects(
      m,
      { paidAt: 50, money: 5000, earned: { points: 50, growth: 50 }, categoryIds: ['cat_coffee'] },
      { firstPaidAt: 10, lastPaidAt: 10 },
      now,
      T,
    );
    expect([r.pointsTaken, r.pointsShort]).toEqual([30, 20]);
    expect(r.stats).toMatchObject({
      orderCount: 1,
      paidTotal: 4000,
      firstOrderAt: 10,
      lastOrderAt: 10,
      categoryIds: ['cat_beans', 'cat_coffee'],
      categoryCounts: { cat_coffee: 1, cat_beans: 1 },
    });
  });
});

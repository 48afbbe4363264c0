import { allocate, PriceBreakdown, pricedFields, pointsLimit, priceOrder, tillPrice } from './pricing';
import { createCoupon, createLine, createOrder } from './test-factories';

// Invariant: every step of the breakdown adds up, per order and per line.
function expectTotalsAddUp(p: PriceBreakdown) {
  expect(p.listTotal - p.memberDiscount - p.tierDiscount - p.activityDiscount).toBe(p.goodsTotal);
  for (const v of [p.memberDiscount, p.tierDiscount, p.activityDiscount]) expect(v).toBeGreaterThanOrEqual(0);
  expect(p.goodsTotal - p.couponDiscount - p.pointsDeduction - p.balanceUsed).toBe(p.payAmount);
  expect(p.lines.reduce((s, l) => s + l.paid, 0)).toBe(p.payAmount);
  expect(p.lines.reduce((s, l) => s + l.couponShare, 0)).toBe(p.couponDiscount);
  for (const v of [p.payAmount, p.couponDiscount, p.pointsDeduction, p.balanceUsed, ...p.lines.map((l) => l.paid)]) {
    expect(Number.isInteger(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
  }
}

const price = (...a: Parameters<typeof createOrder>) => {
  const r = priceOrder(createOrder(...a));
  if (!r.ok) throw new Error(r.code);
  expectTotalsAddUp(r.price);
  return r.price;
};

describe('priceOrder', () => {
  it('charges list price with no benefits', () => {
    expect(price({ lines: [createLine({ qty: 2 })] })).toMatchObject({
      listTotal: 6000,
      goodsTotal: 6000,
      payAmount: 6000,
    });
  });

  it('applies the tier discount on top of the member price, each on its own line of the breakdown', () => {
    expect(price({ lines: [createLine({ memberPrice: 2800 })], tierPercent: 95 })).toMatchObject({
      goodsTotal: 2660,
      memberDiscount: 200,
      tierDiscount: 140,
    });
    expect(price({ lines: [createLine({ memberPrice: 2900, qty: 3 })], tierPercent: 90 })).toMatchObject({
      goodsTotal: 7830,
      memberDiscount: 300,
      tierDiscount: 870,
    });
    // Without a member price the tier discount applies to the list price; rounding is down to whole fen per unit.
    expect(price({ lines: [createLine({ listPrice: 1999 })], tierPercent: 95 })).toMatchObject({
      goodsTotal: 1899,
      memberDiscount: 0,
      tierDiscount: 100,
    });
    expect(price({ lines: [createLine({ memberPrice: 2800 })], tierPercent: 100 })).toMatchObject({
      goodsTotal: 2800,
      tierDiscount: 0,
    });
  });

  it('every tier below 100% pays less than the member price', () => {
    for (const tierPercent of [99, 98, 95, 90, 50]) {
      const p = price({ lines: [createLine({ listPrice: 2200, memberPrice: 1900 })], tierPercent });
      expect(p.goodsTotal).toBeLessThan(1900);
      expect(p.tierDiscount).toBeGreaterThan(0);
    }
  });

  it('an activity price replaces member and tier pricing and is reported as activity discount', () => {
    const p = price({ lines: [createLine({ activityPrice: 1990, memberPrice: 2500 })], tierPercent: 90 });
    expect(p).toMatchObject({ goodsTotal: 1990, activityDiscount: 1010, memberDiscount: 0, tierDiscount: 0 });
  });

  it('coupon thresholds are judged on the tier price, not the member price', () => {
    const coupon = createCoupon({ template: { threshold: 2800, amount: 300 } });
    const lines = [createLine({ memberPrice: 2800 })];
    expect(price({ lines, coupon }).couponDiscount).toBe(300);
    expect(priceOrder(createOrder({ lines, coupon, tierPercent: 95 }))).toEqual({
      ok: false,
      code: 'COUPON_THRESHOLD_NOT_MET',
    });
  });

  it('applies a threshold coupon on the eligible subtotal only', () => {
    const coupon = createCoupon({
      template: { threshold: 5000, amount: 1000, scope: { type: 'categories', ids: ['cat_beans'] } },
    });
    const lines = [
      createLine({ categoryId: 'cat_beans', productId: 'p_b', listPrice: 6000 }),
      createLine({ skuId: 's2', listPrice: 3000 }),
    ];
    const p = price({ lines, coupon });
    expect(p.couponDiscount).toBe(1000);
    expect(p.lines.map((l) => l.couponShare)).toEqual([1000, 0]);
  });

  it('refuses a coupon below its threshold, out of scope, expired, used, or of another member', () => {
    const base = { lines: [createLine({ listPrice: 3000 })] };
    expect(priceOrder(createOrder({ ...base, coupon: createCoupon() }))).toEqual({
      ok: false,
      code: 'COUPON_THRESHOLD_NOT_MET',
    });
    expect(
      priceOrder(
        createOrder({
          ...base,
          coupon: createCoupon({ template: { threshold: 0, scope: { type: 'products', ids: ['p_x'] } } }),
        }),
      ),
    ).toEqual({ ok: false, code: 'COUPON_NOT_APPLICABLE' });
    expect(
      priceOrder(createOrder({ ...base, coupon: createCoupon({ template: { threshold: 0 }, validTo: 10 }) })),
    ).toEqual({ ok: false, code: 'COUPON_EXPIRED' });
    expect(
      priceOrder(createOrder({ ...base, coupon: createCoupon({ template: { threshold: 0 }, status: 'used' }) })),
    ).toEqual({ ok: false, code: 'COUPON_USED' });
    expect(
      priceOrder(createOrder({ ...base, coupon: createCoupon({ template: { threshold: 0 }, memberId: 'm_2' }) })),
    ).toEqual({ ok: false, code: 'COUPON_NOT_OWNED' });
  });

  it('does not stack a coupon with an activity price unless the template allows it', () => {
    const lines = [createLine({ activityPrice: 9900, listPrice: 20000 })];
    expect(priceOrder(createOrder({ lines, coupon: createCoupon() }))).toEqual({
      ok: false,
      code: 'COUPON_NOT_STACKABLE',
    });
    expect(price({ lines, coupon: createCoupon({ template: { stackWithActivity: true } }) }).couponDiscount).toBe(1000);
  });

  it('caps a percentage coupon', () => {
    const coupon = createCoupon({ template: { kind: 'discount', threshold: 0, percent: 80, cap: 500 } });
    expect(price({ lines: [createLine({ listPrice: 10000 })], coupon }).couponDiscount).toBe(500);
    expect(price({ lines: [createLine({ listPrice: 2000 })], coupon }).couponDiscount).toBe(400);
  });

  it('deducts points (100 = 1 yuan) up to half the amount and the balance held', () => {
    const p = price({ lines: [createLine({ listPrice: 3000 })], pointsToUse: 100000, pointsBalance: 100000 });
    expect(p).toMatchObject({ pointsDeduction: 1500, pointsUsed: 1500, payAmount: 1500 });
    const q = price({ lines: [createLine({ listPrice: 3000 })], pointsToUse: 250, pointsBalance: 200 });
    expect(q).toMatchObject({ pointsDeduction: 200, pointsUsed: 200, payAmount: 2800 });
  });

  it('uses stored value last, and can pay the whole rest', () => {
    expect(price({ lines: [createLine({ listPrice: 3000 })], useBalance: true, balance: 1000 })).toMatchObject({
      balanceUsed: 1000,
      payAmount: 2000,
    });
    expect(price({ lines: [createLine({ listPrice: 3000 })], useBalance: true, balance: 99999 })).toMatchObject({
      balanceUsed: 3000,
      payAmount: 0,
    });
  });

  it('adds up across many lines and every benefit at once', () => {
    const lines = [1, 2, 3].map((i) =>
      createLine({ skuId: `s${i}`, productId: `p${i}`, listPrice: 1999 * i, qty: i, memberPrice: 1800 * i }),
    );
    price({
      lines,
      tierPercent: 95,
      coupon: createCoupon({ template: { kind: 'discount', threshold: 0, percent: 88, cap: null } }),
      pointsToUse: 777,
      pointsBalance: 777,
      useBalance: true,
      balance: 3333,
    });
  });

  it('rejects negative points', () => {
    expect(priceOrder(createOrder({ pointsToUse: -5 }))).toEqual({ ok: false, code: 'INVALID_POINTS' });
  });
});

describe('allocate', () => {
  it('splits exactly in proportion', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(allocate(7, [0, 10])).toEqual([0, 7]);
  });
});

describe('a purchase at the till', () => {
  it('is priced by the same function: one line, nothing off, the totals add up', () => {
    const p = tillPrice(4600, { _id: 'cat_bakery', name: '烘焙' }, 0);
    expect(p).toMatchObject({ listTotal: 4600, goodsTotal: 4600, payAmount: 4600, memberDiscount: 0, tierDiscount: 0 });
    expect(p.lines).toHaveLength(1);
    expect(p.lines[0]).toMatchObject({
      categoryId: 'cat_bakery',
      name: '门店消费（烘焙）',
      unitPrice: 4600,
      paid: 4600,
    });
    expect(p.goodsTotal - p.couponDiscount - p.pointsDeduction - p.balanceUsed).toBe(p.payAmount);
    expect(pricedFields(p)).toMatchObject({ total: 4600, payAmount: 4600, price: { goodsTotal: 4600 } });
  });
});

describe('points limit', () => {
  it('is the rule share of the amount, capped by what the balance buys, in whole fen', () => {
    const rule = { pointsPerYuan: 100, maxPercent: 50 };
    expect(pointsLimit(3001, 10_000, rule)).toEqual({ maxPoints: 1500, maxDeduction: 1500 });
    expect(pointsLimit(3000, 99, rule)).toEqual({ maxPoints: 99, maxDeduction: 99 });
    // An operator's rule changes it: 200 points a yuan, at most 20%.
    expect(pointsLimit(3000, 10_000, { pointsPerYuan: 200, maxPercent: 20 })).toEqual({
      maxPoints: 1200,
      maxDeduction: 600,
    });
    expect(pointsLimit(3000, 1, { pointsPerYuan: 200, maxPercent: 20 })).toEqual({ maxPoints: 0, maxDeduction: 0 });
  });
  it('is reported by priceOrder with the whole balance, whatever the member asked to use', () => {
    const r = priceOrder(createOrder({ pointsBalance: 5000, pointsToUse: 100 }));
    expect(r.ok && r.price.pointsLimit.maxPoints).toBeGreaterThan(100);
    expect(r.ok && r.price.pointsUsed).toBe(100);
  });
});

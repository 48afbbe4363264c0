import {
  allowedFrom,
  canTransition,
  checkRefund,
  DEFAULT_AFTERSALES_RULES as RULES,
  pointsForOrder,
  refundDeadline,
  statsAfterPayment,
  statsAfterRefund,
  paymentEvent,
  emptyStats,
  mergeStats,
  eventFields,
  NEW_ORDER_STATUS,
  ORDER_EVENTS,
  ORDER_STATUS_TEXT,
  OrderStatus,
  TILL_ORDER_STATUS,
  refundableBy,
  isUnfulfilled,
  afterEvent,
  newOrder,
} from './orders';
import { pricedFields, tillPrice } from './pricing';

const DAY = 24 * 3600_000;

describe('order lifecycle', () => {
  it('pays and cancels only unpaid orders', () => {
    expect(canTransition('created', 'pay')).toBe(true);
    expect(canTransition('cancelled', 'pay')).toBe(false);
    expect(canTransition('paid', 'cancel')).toBe(false);
  });
  it('refunds paid, grouping, fulfilled and completed orders (completed: see checkRefund)', () => {
    expect(allowedFrom('refund')).toEqual(['grouping', 'paid', 'shipped', 'ready', 'completed']);
    expect(canTransition('refunded', 'refund')).toBe(false);
    expect(canTransition('cancelled', 'refund')).toBe(false);
  });
  it('each event stamps its own time; every status is reachable and only refunded is final', () => {
    expect(eventFields('complete', 5)).toEqual({ status: 'completed', completedAt: 5 });
    expect(eventFields('refund', 5)).toEqual({ status: 'refunding' });
    // Walk the table from a new order: every status is reachable, and only the two ends have no way out.
    const seen = new Set<OrderStatus>([NEW_ORDER_STATUS, TILL_ORDER_STATUS]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of Object.values(ORDER_EVENTS)) {
        if (e.from.some((f) => seen.has(f)) && !seen.has(e.to)) {
          seen.add(e.to);
          grew = true;
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(ORDER_STATUS_TEXT).sort());
    const exits = (s: OrderStatus) =>
      Object.values(ORDER_EVENTS).filter((e) => (e.from as readonly OrderStatus[]).includes(s)).length;
    expect((Object.keys(ORDER_STATUS_TEXT) as OrderStatus[]).filter((s) => exits(s) === 0)).toEqual(['refunded']);
    expect(canTransition('completed', 'reverse')).toBe(true);
    expect(canTransition('refunded', 'reverse')).toBe(false);
  });
  it('group orders wait for the group', () => {
    expect(ORDER_EVENTS[paymentEvent('group')].to).toBe('grouping');
    expect(ORDER_EVENTS[paymentEvent('flash')].to).toBe('paid');
  });
  it('earns 1 point per whole yuan times the tier multiplier', () => {
    expect(pointsForOrder(12999, 100)).toBe(129);
    expect(pointsForOrder(12999, 150)).toBe(193);
    expect(pointsForOrder(99, 200)).toBe(0);
  });
});

describe('after-sales refunds', () => {
  const price = { payAmount: 100 };
  const done = (completedAt: number, extra: object = {}) => ({
    status: 'completed' as const,
    completedAt,
    price,
    ...extra,
  });

  it('a completed order may be refunded by buyer or operator for 7 days after completion by default', () => {
    const now = 100 * DAY;
    expect(checkRefund(done(now - 7 * DAY), 'buyer', now, RULES)).toEqual({ ok: true });
    expect(checkRefund(done(now - 7 * DAY), 'operator', now, RULES)).toEqual({ ok: true });
    expect(checkRefund(done(now - 7 * DAY - 1), 'buyer', now, RULES)).toEqual({
      ok: false,
      code: 'AFTERSALES_EXPIRED',
    });
    expect(checkRefund(done(now - 7 * DAY - 1), 'operator', now, RULES)).toEqual({
      ok: false,
      code: 'AFTERSALES_EXPIRED',
    });
    expect(checkRefund(done(now - 20 * DAY), 'operator', now, { refundDays: 30 })).toEqual({ ok: true });
    expect(checkRefund(done(now), 'buyer', now, { refundDays: 0 })).toEqual({ ok: true });
    expect(checkRefund(done(now - 1), 'buyer', now, { refundDays: 0 })).toEqual({
      ok: false,
      code: 'AFTERSALES_EXPIRED',
    });
    expect(refundDeadline(done(now), RULES)).toBe(now + 7 * DAY);
  });

  it('before completion: buyer before fulfilment, operator also after shipping, system for failed groups', () => {
    const o = (status: 'paid' | 'shipped' | 'ready' | 'grouping' | 'created' | 'cancelled') => ({ status, price });
    expect(checkRefund(o('paid'), 'buyer', 0, RULES)).toEqual({ ok: true });
    expect(checkRefund(o('shipped'), 'buyer', 0, RULES)).toEqual({ ok: false, code: 'ORDER_NOT_REFUNDABLE' });
    expect(checkRefund(o('shipped'), 'operator', 0, RULES)).toEqual({ ok: true });
    expect(checkRefund(o('grouping'), 'system', 0, RULES)).toEqual({ ok: true });
    expect(checkRefund(done(0), 'system', 0, RULES)).toEqual({ ok: false, code: 'ORDER_NOT_REFUNDABLE' });
    for (const by of ['buyer', 'operator'] as const) expect(checkRefund(o('created'), by, 0, RULES).ok).toBe(false);
    expect(checkRefund(o('cancelled'), 'operator', 0, RULES).ok).toBe(false);
  });

  it('an in-store purchase is refunded at the till by an operator; imported history is not refundable', () => {
    expect(checkRefund(done(0, { channel: 'store' }), 'buyer', 0, RULES)).toEqual({
      ok: false,
      code: 'REFUND_AT_STORE',
    });
    expect(checkRefund(done(0, { channel: 'store' }), 'operator', 0, RULES)).toEqual({ ok: true });
    expect(checkRefund({ status: 'completed', completedAt: 0 }, 'operator', 0, RULES)).toEqual({
      ok: false,
      code: 'ORDER_NOT_REFUNDABLE',
    });
  });
});

describe('purchase aggregates', () => {
  const order = (categoryIds: string[], money: number, at: number, productIds: string[] = []) => ({
    categoryIds,
    productIds,
    money,
    createdAt: at - 10,
    paidAt: at,
  });
  const none = { firstPaidAt: null, lastPaidAt: null };

  it('a refund takes back exactly what its payment added', () => {
    const a = order(['cat_coffee'], 2000, 1000);
    const b = order(['cat_gift', 'cat_gift'], 12800, 2000);
    const afterA = statsAfterPayment(undefined, a);
    const both = statsAfterPayment(afterA, b);
    expect(both).toEqual({
      orderCount: 2,
      paidTotal: 14800,
      firstOrderAt: 1000,
      lastOrderAt: 2000,
      categoryIds: ['cat_coffee', 'cat_gift'],
      categoryCounts: { cat_coffee: 1, cat_gift: 1 },
      productOrders: {},
      repeatProducts: [],
    });
    expect(statsAfterRefund(both, b, { firstPaidAt: 1000, lastPaidAt: 1000 })).toEqual(afterA);
    expect(statsAfterRefund(afterA, a, none)).toEqual(emptyStats());
  });

  it('a category bought in another order stays; first and last order times come from the other orders', () => {
    const s = [order(['c'], 100, 1000), order(['c', 'b'], 100, 2000), order(['c'], 100, 3000)].reduce(
      statsAfterPayment,
      undefined as never,
    );
    expect(s.categoryCounts).toEqual({ c: 3, b: 1 });
    const noMiddle = statsAfterRefund(s, order(['c', 'b'], 100, 2000), { firstPaidAt: 1000, lastPaidAt: 3000 });
    expect(noMiddle).toMatchObject({ orderCount: 2, categoryIds: ['c'], firstOrderAt: 1000, lastOrderAt: 3000 });
    expect(statsAfterRefund(s, order(['c'], 100, 3000), { firstPaidAt: 1000, lastPaidAt: 2000 })).toMatchObject({
      lastOrderAt: 2000,
      firstOrderAt: 1000,
    });
    expect(statsAfterRefund(s, order(['c'], 100, 1000), { firstPaidAt: 2000, lastPaidAt: 3000 })).toMatchObject({
      firstOrderAt: 2000,
      lastOrderAt: 3000,
    });
  });

  it('a member saved before category counts existed counts each category once', () => {
    const legacy = { orderCount: 2, paidTotal: 300, firstOrderAt: 10, lastOrderAt: 20, categoryIds: ['a', 'b'] };
    expect(statsAfterPayment(legacy, order(['a'], 100, 30)).categoryCounts).toEqual({ a: 2, b: 1 });
    expect(statsAfterRefund(legacy, order(['b'], 100, 20), { firstPaidAt: 10, lastPaidAt: 10 })).toMatchObject({
      categoryIds: ['a'],
      lastOrderAt: 10,
    });
  });

  it('the same product in two paid orders is a same-product repurchase; a refund takes it back', () => {
    const a = order(['cat_coffee'], 2000, 1000, ['p_latte', 'p_latte']);
    const b = order(['cat_coffee'], 2000, 2000, ['p_latte', 'p_mocha']);
    const one = statsAfterPayment(undefined, a);
    expect(one).toMatchObject({ productOrders: { p_latte: 1 }, repeatProducts: [] });
    const two = statsAfterPayment(one, b);
    expect(two).toMatchObject({ productOrders: { p_latte: 2, p_mocha: 1 }, repeatProducts: ['p_latte'] });
    expect(statsAfterRefund(two, b, { firstPaidAt: 1000, lastPaidAt: 1000 })).toEqual(one);
  });

  it('two members merged are one person: counts add up, a product each bought once is now repeated', () => {
    const x = statsAfterPayment(undefined, order(['c'], 100, 3000, ['p1']));
    const y = [order(['b'], 200, 1000, ['p1']), order(['c'], 300, 2000, ['p2'])].reduce(
      statsAfterPayment,
      emptyStats(),
    );
    const m = mergeStats(x, y);
    expect(m).toEqual({
      orderCount: 3,
      paidTotal: 600,
      firstOrderAt: 1000,
      lastOrderAt: 3000,
      categoryIds: ['b', 'c'],
      categoryCounts: { b: 1, c: 2 },
      productOrders: { p1: 2, p2: 1 },
      repeatProducts: ['p1'],
    });
    expect(mergeStats(undefined, emptyStats())).toEqual(emptyStats());
    // Refunding one of the merged person's orders then takes back exactly that order.
    expect(statsAfterRefund(m, order(['c'], 100, 3000, ['p1']), { firstPaidAt: 1000, lastPaidAt: 2000 })).toMatchObject(
      { categoryCounts: { b: 1, c: 1 }, productOrders: { p1: 1, p2: 1 }, repeatProducts: [], lastOrderAt: 2000 },
    );
  });
});

describe('who may refund what', () => {
  it('sends a buyer of a till purchase to the store, and lets an operator refund a shipped order', () => {
    expect(refundableBy({ status: 'completed', channel: 'store' }, 'buyer')).toBe(false);
    expect(refundableBy({ status: 'completed', channel: 'store' }, 'operator')).toBe(true);
    expect(refundableBy({ status: 'shipped' }, 'buyer')).toBe(false);
    expect(refundableBy({ status: 'shipped' }, 'operator')).toBe(true);
    expect(refundableBy({ status: 'created' }, 'operator')).toBe(false);
    expect(refundableBy({ status: 'ready' }, 'system')).toBe(false);
  });
  it('gives stock back only for goods not yet handed over', () => {
    expect((['paid', 'grouping'] as OrderStatus[]).every(isUnfulfilled)).toBe(true);
    expect((['shipped', 'ready', 'completed', 'created'] as OrderStatus[]).some(isUnfulfilled)).toBe(false);
  });
});

describe('order constructors', () => {
  const money = pricedFields(tillPrice(1_000, { _id: 'cat_coffee', name: '咖啡' }, 0));
  const base = newOrder({
    _id: 'OD1',
    member: { _id: 'm1', storeId: 'store_1', guideId: 'g1' },
    openid: 'u1',
    type: 'normal',
    activityId: null,
    groupId: null,
    money,
    couponId: null,
    input: {},
    defaultFulfilment: 'delivery',
    now: 1_000,
  });
  it("starts unpaid in the member's store with the bound guide", () => {
    expect(base).toMatchObject({ status: 'created', storeId: 'store_1', guideId: 'g1', fulfilment: 'delivery' });
    expect(base.expiresAt).toBeGreaterThan(base.createdAt);
  });
  it('moves only along the table, stamping each step', () => {
    const paid = afterEvent(base, 'pay', 2_000);
    expect(paid).toMatchObject({ status: 'paid', paidAt: 2_000 });
    expect(afterEvent(afterEvent(paid, 'ship', 3_000), 'complete', 4_000)).toMatchObject({
      status: 'completed',
      shippedAt: 3_000,
      completedAt: 4_000,
    });
    expect(() => afterEvent(base, 'complete', 2_000)).toThrow();
    expect(() => afterEvent(paid, 'pay', 2_500)).toThrow();
  });
});

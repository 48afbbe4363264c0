// Money, stock and trust holes in the trade area, over the local cloud: who may claim which coupon,
// after-sales refunds (exactly once, under concurrency), refunds that take back everything an order added,
// tier discounts that change the price, coupons on activity prices, and flash-sale `sold` with its stock.
import { shanghaiHour, shanghaiMonth as month } from '../../cloudfunctions/src/domain/time';
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';
import { createMember, expectPointsLedgerMatches } from '../helpers/members';

let cloud: RunningCloud;
let seq = 0;
const fresh = (p = 'ti') => `${p}_${Date.now().toString(36)}_${++seq}`;
const req = () => `req${Date.now().toString(36)}${++seq}xx`;
const DAY = 24 * 3600_000;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: true, consumers: 60 });
});
afterAll(async () => {
  await cloud?.stop();
});

const find = async (collection: string, query: object = {}) =>
  (await cloud.admin<{ data: any[] }>('/__admin/db/find', { collection, query, limit: 1000 })).data;
const one = async (collection: string, _id: string) => (await find(collection, { _id }))[0];
const put = (collection: string, docs: object[]) => cloud.admin('/__admin/db/put', { collection, docs });
const shop = (event: object, openid: string) => cloud.call('shop', event, openid);
const ops = (event: object) => cloud.call('ops', event, 'op_admin');
const pay = (outTradeNo: string, times = 1) => cloud.admin('/__sandbox/pay/confirm', { outTradeNo, times });
const pickup = { fulfilment: 'pickup', storeId: 'store_1' };

// A live flash sale on 冰美式 (stock = total, nothing sold), with overrides.
const flashSale = (now: number, o: { _id: string; title: string; stock: number } & Record<string, unknown>) => ({
  productId: 'p_001',
  skuId: 'p_001_1',
  categoryId: 'cat_coffee',
  name: '冰美式',
  listPrice: 2200,
  price: 990,
  sold: 0,
  perMemberLimit: 1,
  startAt: now - 1000,
  endAt: now + 3600_000,
  status: 'active',
  total: o.stock,
  ...o,
});
const newMember = (points = 0, launch?: object) => createMember(cloud, fresh(), { points, launch });
const expectLedgersMatch = (memberId: string) => expectPointsLedgerMatches(cloud, memberId);

// A paid normal order (pickup), optionally with a coupon.
async function paidOrder(openid: string, lines: object[], extra: object = {}) {
  const r = await shop({ action: 'placeOrder', requestId: req(), ...pickup, lines, ...extra }, openid);
  expect(r.ok).toBe(true);
  await pay(r.data.order._id);
  return (await one('orders', r.data.order._id)) as any;
}

// Ready for pickup (operator), then picked up (buyer): completed.
async function complete(orderId: string, openid: string) {
  expect((await ops({ action: 'readyForPickup', id: orderId })).ok).toBe(true);
  expect((await shop({ action: 'confirmReceipt', id: orderId }, openid)).ok).toBe(true);
  expect((await one('orders', orderId)).status).toBe('completed');
}

describe('claiming coupons', () => {
  it('gift coupons (birthday, recall) and the coupon the points mall sells cannot be claimed', async () => {
    const { openid, _id } = await newMember();
    for (const templateId of ['ct_birthday', 'ct_recall', 'ct_mall10']) {
      const before = await one('coupon_templates', templateId);
      const r = await shop({ action: 'claimCoupon', templateId }, openid);
      expect(r.ok ? 'claimed' : r.error.code).toBe('COUPON_NOT_CLAIMABLE');
      expect((await one('coupon_templates', templateId)).issued).toBe(before.issued);
    }
    expect(await find('member_coupons', { memberId: _id })).toHaveLength(0);
    const center = await shop({ action: 'couponCenter' }, openid);
    const listed = center.data.templates.map((t: any) => t._id);
    expect(listed).toEqual(expect.arrayContaining(['ct_new', 'ct_full100']));
    for (const hidden of ['ct_birthday', 'ct_recall', 'ct_mall10']) expect(listed).not.toContain(hidden);
  });

  it('新人专享 goes only to a member without a paid order, once', async () => {
    const buyer = await newMember();
    await paidOrder(buyer.openid, [{ skuId: 'p_002_1', qty: 1 }]);
    const r = await shop({ action: 'claimCoupon', templateId: 'ct_new' }, buyer.openid);
    expect(r.ok ? 'claimed' : r.error.code).toBe('COUPON_NEW_MEMBERS_ONLY');
    expect(await find('member_coupons', { memberId: buyer._id })).toHaveLength(0);
    const center = await shop({ action: 'couponCenter' }, buyer.openid);
    expect(center.data.templates.find((t: any) => t._id === 'ct_new')).toMatchObject({ canClaim: false });
    const newbie = await newMember();
    expect((await shop({ action: 'claimCoupon', templateId: 'ct_new' }, newbie.openid)).ok).toBe(true);
    expect((await shop({ action: 'claimCoupon', templateId: 'ct_new' }, newbie.openid)).error.code).toBe(
      'CLAIM_LIMIT_REACHED',
    );
  });

  it('the points mall counts its coupons against the template: used up or stopped, nothing is charged', async () => {
    const tpl = {
      name: '兑换券',
      kind: 'no_threshold',
      threshold: 0,
      amount: 300,
      percent: null,
      cap: null,
      scope: { type: 'all' },
      validity: { type: 'relative', days: 7 },
      issued: 0,
      perMemberLimit: 0,
      claimable: false,
    };
    await put('coupon_templates', [
      { ...tpl, _id: 'ct_mq', quota: 1, status: 'active' },
      { ...tpl, _id: 'ct_ms', quota: 9, status: 'stopped' },
    ]);
    const item = { type: 'coupon', pointsPrice: 10, stock: 10, perMemberLimit: 0, onShelf: true, redeemed: 0, sort: 9 };
    await put('mall_items', [
      { ...item, _id: 'mi_mq', name: '限量券', couponTemplateId: 'ct_mq' },
      { ...item, _id: 'mi_ms', name: '停发券', couponTemplateId: 'ct_ms' },
    ]);
    const a = await newMember(100);
    const b = await newMember(100);
    const redeem = (itemId: string, openid: string) =>
      cloud.call('member', { action: 'redeem', itemId, requestId: req() }, openid);
    expect((await redeem('mi_mq', a.openid)).ok).toBe(true);
    expect((await one('coupon_templates', 'ct_mq')).issued).toBe(1);
    const out = await redeem('mi_mq', b.openid);
    expect(out.ok ? 'redeemed' : out.error.code).toBe('SOLD_OUT');
    const stopped = await redeem('mi_ms', b.openid);
    expect(stopped.ok ? 'redeemed' : stopped.error.code).toBe('ITEM_OFF_SHELF');
    expect((await one('members', b._id)).points).toBe(100);
    expect(await find('member_coupons', { memberId: b._id })).toHaveLength(0);
    expect((await one('mall_items', 'mi_mq')).stock).toBe(9);
    expect((await one('mall_items', 'mi_ms')).stock).toBe(10);
    await expectLedgersMatch(b._id);
  });

  it('a campaign never issues a coupon whose template has ended', async () => {
    const now = Date.now();
    await put('coupon_templates', [
      {
        _id: 'ct_gone',
        name: '过期活动券',
        kind: 'no_threshold',
        threshold: 0,
        amount: 300,
        percent: null,
        cap: null,
        scope: { type: 'all' },
        validity: { type: 'fixed', from: now - 10 * DAY, to: now - DAY },
        quota: 100,
        issued: 0,
        perMemberLimit: 0,
        status: 'active',
      },
    ]);
    const m = await newMember();
    await put('members', [{ ...(await one('members', m._id)), tags: ['tt-gone'] }]);
    const hours = { start: (shanghaiHour(now) + 2) % 24, end: (shanghaiHour(now) + 3) % 24 };
    const saved = await cloud.call(
      'campaign',
      {
        action: 'saveCampaign',
        name: '过期券召回',
        kind: 'recall',
        segment: { tagsAll: ['tt-gone'] },
        offer: { couponTemplateId: 'ct_gone' },
        message: null,
        schedule: { type: 'now' },
        config: { holdoutPercent: 0, frequencyCapDays: 0, quietHours: hours, conversionDays: 7 },
      },
      'op_admin',
    );
    expect(saved.ok).toBe(true);
    expect((await cloud.call('campaign', { action: 'launchCampaign', id: saved.data._id }, 'op_admin')).ok).toBe(true);
    for (let i = 0; i < 3; i++) await cloud.admin('/__admin/trigger/campaign', { BudgetMs: 1, Chunk: 40 });
    expect(await find('member_coupons', { templateId: 'ct_gone' })).toHaveLength(0);
    expect((await one('coupon_templates', 'ct_gone')).issued).toBe(0);
  });
});

describe('after-sales refunds', () => {
  // An invited member's first order (with a coupon) completed: every reversal has something to reverse.
  async function completedFirstOrder() {
    const inviter = await newMember();
    const invitee = await newMember(0, { query: { i: inviter._id } });
    const claim = await shop({ action: 'claimCoupon', templateId: 'ct_new' }, invitee.openid);
    expect(claim.ok).toBe(true);
    const before = {
      invitee: await one('members', invitee._id),
      inviter: await one('members', inviter._id),
      sales: (await one('products', 'p_010')).sales,
    };
    const order = await paidOrder(invitee.openid, [{ skuId: 'p_010_1', qty: 2 }], { couponId: claim.data.coupon._id });
    expect((await one('members', inviter._id)).points).toBeGreaterThan(before.inviter.points);
    await complete(order._id, invitee.openid);
    return { inviter, invitee, order, couponId: claim.data.coupon._id as string, before };
  }

  async function expectReversed(c: Awaited<ReturnType<typeof completedFirstOrder>>) {
    const m = await one('members', c.invitee._id);
    expect(m.points).toBe(c.before.invitee.points);
    expect(m.growth).toBe(c.before.invitee.growth);
    expect(m.stats).toMatchObject({
      orderCount: 0,
      paidTotal: 0,
      firstOrderAt: null,
      lastOrderAt: null,
      categoryIds: [],
    });
    expect(m.tags).not.toContain('buyer');
    expect((await one('member_coupons', c.couponId)).status).toBe('unused');
    expect((await one('members', c.inviter._id)).points).toBe(c.before.inviter.points);
    expect((await one('products', 'p_010')).sales).toBe(c.before.sales);
    expect(await find('__sandbox_refunds', { outTradeNo: c.order._id })).toHaveLength(1);
    await expectLedgersMatch(c.invitee._id);
    await expectLedgersMatch(c.inviter._id);
  }

  it('the buyer refunds a completed order inside the window and everything it granted comes back', async () => {
    // Points, growth, coupon, stats and the inviter's referral reward all come back.
    const c = await completedFirstOrder();
    const r = await shop({ action: 'refund', id: c.order._id, reason: '不合口味' }, c.invitee.openid);
    expect(r.ok ? r.data.result : r.error.code).toBe('refunded');
    expect((await one('orders', c.order._id)).status).toBe('refunded');
    await expectReversed(c);
  });

  it('after the window both buyer and operator are refused; an operator can widen the window', async () => {
    const c = await completedFirstOrder();
    await put('orders', [{ ...(await one('orders', c.order._id)), completedAt: Date.now() - 8 * DAY }]);
    expect((await shop({ action: 'refund', id: c.order._id }, c.invitee.openid)).error.code).toBe('AFTERSALES_EXPIRED');
    expect((await ops({ action: 'refundOrder', id: c.order._id, reason: '售后' })).error.code).toBe(
      'AFTERSALES_EXPIRED',
    );
    expect((await ops({ action: 'saveAfterSalesRules', rules: { refundDays: -1 } })).error.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await ops({ action: 'saveAfterSalesRules', rules: { refundDays: 30 } })).ok).toBe(true);
    expect((await ops({ action: 'getAfterSalesRules' })).data.rules).toEqual({ refundDays: 30 });
    try {
      const r = await ops({ action: 'refundOrder', id: c.order._id, reason: '售后' });
      expect(r.ok ? r.data.result : r.error.code).toBe('refunded');
      await expectReversed(c);
    } finally {
      await ops({ action: 'saveAfterSalesRules', rules: { refundDays: 7 } });
    }
  });

  it('16 concurrent refund requests (buyer and operator) on a completed order reverse it exactly once', async () => {
    const c = await completedFirstOrder();
    // A second paid order: a double reversal would show in the counts instead of stopping at zero.
    const second = await paidOrder(c.invitee.openid, [{ skuId: 'p_002_1', qty: 1 }]);
    const paid = await one('members', c.invitee._id);
    // Warm instances first: what races here is the refund, not 16 cold starts on a busy machine.
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        i % 2
          ? shop({ action: 'orderDetail', id: c.order._id }, c.invitee.openid)
          : ops({ action: 'getAfterSalesRules' }),
      ),
    );
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        i % 2
          ? shop({ action: 'refund', id: c.order._id }, c.invitee.openid)
          : ops({ action: 'refundOrder', id: c.order._id, reason: '并发' }),
      ),
    );
    expect(results.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    expect((await one('orders', c.order._id)).status).toBe('refunded');
    expect(await find('__sandbox_refunds', { outTradeNo: c.order._id })).toHaveLength(1);
    expect(await find('points_ledger', { memberId: c.invitee._id, source: 'order_refund' })).toHaveLength(1);
    expect(await find('points_ledger', { memberId: c.inviter._id, source: 'referral_reversal' })).toHaveLength(1);
    expect(await find('events', { memberId: c.invitee._id, type: 'refund' })).toHaveLength(1);
    const m = await one('members', c.invitee._id);
    const money = c.order.payAmount;
    expect(m.stats.orderCount).toBe(paid.stats.orderCount - 1);
    expect(m.stats.paidTotal).toBe(paid.stats.paidTotal - money);
    expect(m.growth).toBe(paid.growth - Math.floor(money / 100));
    expect(m.stats.months[month(second.paidAt)].n).toBe(1);
    expect((await one('products', 'p_010')).sales).toBe(c.before.sales);
    expect((await one('member_coupons', c.couponId)).status).toBe('unused');
    await expectLedgersMatch(c.invitee._id);
    await expectLedgersMatch(c.inviter._id);
  }, 120000);
});

describe('a refund takes back everything the order added', () => {
  it('a refunded group order takes its category, tags and monthly aggregate with it', async () => {
    const m = await newMember();
    const coffee = await paidOrder(m.openid, [{ skuId: 'p_001_1', qty: 1 }]);
    const g = await shop({ action: 'openGroup', activityId: 'gb_gift', ...pickup }, m.openid);
    await pay(g.data.order._id);
    const both = await one('members', m._id);
    expect(both.tags).toEqual(
      expect.arrayContaining(['bought:cat_gift', 'bought:cat_coffee', 'multi-category', 'repurchase']),
    );
    const r = await shop({ action: 'refund', id: g.data.order._id }, m.openid);
    expect(r.ok ? r.data.result : r.error.code).toBe('refunded');
    const after = await one('members', m._id);
    expect(after.stats.categoryIds).toEqual(['cat_coffee']);
    expect(after.tags).toContain('bought:cat_coffee');
    for (const gone of ['bought:cat_gift', 'multi-category', 'repurchase']) expect(after.tags).not.toContain(gone);
    expect(after.stats.months[month(coffee.paidAt)]).toEqual({ n: 1, amt: coffee.payAmount });
    expect(after.stats).toMatchObject({ orderCount: 1, paidTotal: coffee.payAmount, lastOrderAt: coffee.paidAt });
  });

  it('a category bought in two orders stays when one of them is refunded', async () => {
    const m = await newMember();
    const first = await paidOrder(m.openid, [{ skuId: 'p_001_1', qty: 1 }]);
    const second = await paidOrder(m.openid, [
      { skuId: 'p_002_1', qty: 1 },
      { skuId: 'p_020_1', qty: 1 },
    ]);
    expect((await one('members', m._id)).tags).toEqual(expect.arrayContaining(['repurchase', 'multi-category']));
    const r = await ops({ action: 'refundOrder', id: second._id, reason: '缺货' });
    expect(r.ok ? r.data.result : r.error.code).toBe('refunded');
    const after = await one('members', m._id);
    expect(after.stats.categoryIds).toEqual(['cat_coffee']);
    expect(after.tags).toContain('bought:cat_coffee');
    for (const gone of ['bought:cat_beans', 'multi-category', 'repurchase']) expect(after.tags).not.toContain(gone);
    expect(after.stats).toMatchObject({ orderCount: 1, firstOrderAt: first.paidAt, lastOrderAt: first.paidAt });
  });

  it('a refunded flash-sale order gives back stock, sold, sales and its category', async () => {
    const now = Date.now();
    await put('flash_sales', [
      flashSale(now, {
        _id: 'fs_rf',
        title: '退款秒杀',
        productId: 'p_020',
        skuId: 'p_020_1',
        categoryId: 'cat_beans',
        name: '拼配豆',
        listPrice: 8800,
        price: 3990,
        stock: 5,
        perMemberLimit: 1,
      }),
    ]);
    const m = await newMember();
    const sales = (await one('products', 'p_020')).sales;
    const b = await shop({ action: 'flashBuy', saleId: 'fs_rf', requestId: req(), ...pickup }, m.openid);
    await pay(b.data.order._id);
    expect(await one('flash_sales', 'fs_rf')).toMatchObject({ stock: 4, sold: 1 });
    expect((await one('members', m._id)).tags).toContain('bought:cat_beans');
    const r = await shop({ action: 'refund', id: b.data.order._id }, m.openid);
    expect(r.ok ? r.data.result : r.error.code).toBe('refunded');
    expect(await one('flash_sales', 'fs_rf')).toMatchObject({ stock: 5, sold: 0 });
    expect((await one('products', 'p_020')).sales).toBe(sales);
    const after = await one('members', m._id);
    expect(after.tags).not.toContain('bought:cat_beans');
    expect(after.stats.categoryIds).toEqual([]);
  });

  it('an in-store purchase is refunded by the operator at the till; the buyer is sent to the store', async () => {
    // No WeChat refund is made.
    const m = await newMember();
    const code = (await cloud.call('member', { action: 'memberCode' }, m.openid)).data.code;
    const rec = await cloud.call(
      'guide',
      { action: 'recordPurchase', code, amount: 4600, categoryId: 'cat_bakery', receiptNo: req() },
      'guide_1',
    );
    expect(rec.ok).toBe(true);
    expect((await one('members', m._id)).tags).toEqual(expect.arrayContaining(['buyer', 'bought:cat_bakery']));
    expect((await shop({ action: 'refund', id: rec.data.orderId }, m.openid)).error.code).toBe('REFUND_AT_STORE');
    const r = await ops({ action: 'refundOrder', id: rec.data.orderId, reason: '门店退货' });
    expect(r.ok ? r.data.result : r.error.code).toBe('refunded');
    expect(await find('__sandbox_refunds', { outTradeNo: rec.data.orderId })).toHaveLength(0);
    const after = await one('members', m._id);
    expect(after.stats).toMatchObject({ orderCount: 0, paidTotal: 0, categoryIds: [] });
    expect(after.tags).not.toContain('buyer');
    expect(after.tags).not.toContain('bought:cat_bakery');
    expect(after.points).toBe(0);
    await expectLedgersMatch(m._id);
  });
});

describe('one model of purchase aggregates', () => {
  const health = async () => (await ops({ action: 'dashboard', charts: ['health'] })).data.health.data;

  it('the same product in two paid orders is a same-product repurchase; a refund takes it back', async () => {
    // Counted in the member's stats and on the dashboard's health chart.
    const m = await newMember();
    const before = await health();
    await paidOrder(m.openid, [{ skuId: 'p_001_1', qty: 1 }]);
    const again = await paidOrder(m.openid, [
      { skuId: 'p_001_1', qty: 1 },
      { skuId: 'p_002_1', qty: 1 },
    ]);
    const both = await one('members', m._id);
    expect(both.stats).toMatchObject({ productOrders: { p_001: 2, p_002: 1 }, repeatProducts: ['p_001'] });
    const mid = await health();
    expect(mid.sameProductRepurchasers - before.sameProductRepurchasers).toBe(1);
    expect(mid.repurchasers - before.repurchasers).toBe(1);
    expect((await ops({ action: 'refundOrder', id: again._id, reason: '测试' })).data.result).toBe('refunded');
    expect((await one('members', m._id)).stats).toMatchObject({ productOrders: { p_001: 1 }, repeatProducts: [] });
    expect((await health()).sameProductRepurchasers).toBe(before.sameProductRepurchasers);
  });

  it('an in-store purchase counts its category like any order; its refund takes away only its own count', async () => {
    // The online order's category stays: in categoryIds, categoryCounts and the bought: tag.
    const m = await newMember();
    await paidOrder(m.openid, [{ skuId: 'p_001_1', qty: 1 }]);
    const code = (await cloud.call('member', { action: 'memberCode' }, m.openid)).data.code;
    const rec = await cloud.call(
      'guide',
      { action: 'recordPurchase', code, amount: 3000, categoryId: 'cat_coffee', receiptNo: req() },
      'guide_1',
    );
    expect(rec.ok).toBe(true);
    expect((await one('members', m._id)).stats).toMatchObject({ orderCount: 2, categoryCounts: { cat_coffee: 2 } });
    expect((await ops({ action: 'refundOrder', id: rec.data.orderId, reason: '门店退货' })).data.result).toBe(
      'refunded',
    );
    const after = await one('members', m._id);
    expect(after.stats).toMatchObject({
      orderCount: 1,
      categoryIds: ['cat_coffee'],
      categoryCounts: { cat_coffee: 1 },
    });
    expect(after.tags).toContain('bought:cat_coffee');
  });
});

describe('tier discounts', () => {
  it('a gold member pays below the member price and the breakdown shows the tier line', async () => {
    const m = await newMember();
    await put('members', [{ ...(await one('members', m._id)), tierId: 't_gold' }]);
    const sku = await one('skus', 'p_010_1');
    const lines = [{ skuId: 'p_010_1', qty: 2 }];
    const pv = await shop({ action: 'preview', lines }, m.openid);
    const p = pv.data.price;
    expect(p.tierDiscount).toBe(2 * (sku.memberPrice - Math.floor((sku.memberPrice * 95) / 100)));
    expect(p.memberDiscount).toBe(2 * (sku.price - sku.memberPrice));
    expect(p.listTotal - p.memberDiscount - p.tierDiscount - p.activityDiscount).toBe(p.goodsTotal);
    expect(p.goodsTotal - p.couponDiscount - p.pointsDeduction - p.balanceUsed).toBe(p.payAmount);
    const r = await shop({ action: 'placeOrder', requestId: req(), ...pickup, lines }, m.openid);
    expect(r.data.order.price).toMatchObject({ tierDiscount: p.tierDiscount, payAmount: p.payAmount });
    expect(r.data.order.payAmount).toBeLessThan(2 * sku.memberPrice);
  });
});

describe('activity prices and coupons', () => {
  const tpl = {
    kind: 'no_threshold',
    threshold: 0,
    amount: 100,
    percent: null,
    cap: null,
    scope: { type: 'all' },
    validity: { type: 'relative', days: 7 },
    quota: 1000,
    issued: 0,
    perMemberLimit: 0,
    status: 'active',
    claimable: true,
  };

  async function withCoupons() {
    await put('coupon_templates', [
      { ...tpl, _id: 'ct_nostack', name: '普通券' },
      { ...tpl, _id: 'ct_stack', name: '活动同享券', stackWithActivity: true },
    ]);
    const m = await newMember();
    const plain = await shop({ action: 'claimCoupon', templateId: 'ct_nostack' }, m.openid);
    const stack = await shop({ action: 'claimCoupon', templateId: 'ct_stack' }, m.openid);
    expect([plain.ok, stack.ok]).toEqual([true, true]);
    return { m, plain: plain.data.coupon._id as string, stack: stack.data.coupon._id as string };
  }

  it('a flash-sale line takes a coupon only when its template stacks with activities', async () => {
    const now = Date.now();
    await put('flash_sales', [flashSale(now, { _id: 'fs_cp', title: '券秒杀', stock: 5, perMemberLimit: 2 })]);
    const { m, plain, stack } = await withCoupons();
    const refused = await shop(
      { action: 'flashBuy', saleId: 'fs_cp', requestId: req(), couponId: plain, ...pickup },
      m.openid,
    );
    expect(refused.ok ? 'bought' : refused.error.code).toBe('COUPON_NOT_STACKABLE');
    expect(await one('flash_sales', 'fs_cp')).toMatchObject({ stock: 5, sold: 0 });
    expect(await find('orders', { activityId: 'fs_cp' })).toHaveLength(0);
    const ok = await shop(
      { action: 'flashBuy', saleId: 'fs_cp', requestId: req(), couponId: stack, ...pickup },
      m.openid,
    );
    expect(ok.ok).toBe(true);
    expect(ok.data.order.price).toMatchObject({ goodsTotal: 990, couponDiscount: 100, payAmount: 890 });
    expect((await one('member_coupons', stack)).status).toBe('locked');
    expect((await shop({ action: 'cancel', id: ok.data.order._id }, m.openid)).ok).toBe(true);
    expect((await one('member_coupons', stack)).status).toBe('unused');
    expect(await one('flash_sales', 'fs_cp')).toMatchObject({ stock: 5, sold: 0 });
  });

  it('one coupon on 6 concurrent flash buys is used once; refused buys return stock, sold and the limit', async () => {
    const now = Date.now();
    await put('flash_sales', [flashSale(now, { _id: 'fs_race', title: '抢券秒杀', stock: 10, perMemberLimit: 10 })]);
    const { m, stack } = await withCoupons();
    const rs = await Promise.all(
      Array.from({ length: 6 }, () =>
        shop({ action: 'flashBuy', saleId: 'fs_race', requestId: req(), couponId: stack, ...pickup }, m.openid),
      ),
    );
    const ok = rs.filter((r) => r.ok);
    expect(ok).toHaveLength(1);
    for (const r of rs.filter((x) => !x.ok)) expect(r.error.code).toMatch(/^COUPON_/);
    expect(await one('flash_sales', 'fs_race')).toMatchObject({ stock: 9, sold: 1 });
    expect((await one('flash_counters', `fs_race:${m._id}`)).count).toBe(1);
    expect(await find('orders', { activityId: 'fs_race' })).toHaveLength(1);
    expect(await one('member_coupons', stack)).toMatchObject({ status: 'locked', lockedBy: ok[0].data.order._id });
  });

  it('a double tap on a flash buy (one request id, 5 at once) makes one order and takes one unit', async () => {
    const now = Date.now();
    await put('flash_sales', [flashSale(now, { _id: 'fs_tap', title: '连点', stock: 10, perMemberLimit: 5 })]);
    const m = await newMember();
    const requestId = req();
    const rs = await Promise.all(
      Array.from({ length: 5 }, () => shop({ action: 'flashBuy', saleId: 'fs_tap', requestId, ...pickup }, m.openid)),
    );
    expect(rs.every((r) => r.ok)).toBe(true);
    expect(new Set(rs.map((r) => r.data.order._id)).size).toBe(1);
    expect(await find('orders', { activityId: 'fs_tap' })).toHaveLength(1);
    expect(await one('flash_sales', 'fs_tap')).toMatchObject({ stock: 9, sold: 1 });
    expect((await one('flash_counters', `fs_tap:${m._id}`)).count).toBe(1);
  });

  it('a group buy takes a coupon only when its template stacks with activities', async () => {
    const { m, plain, stack } = await withCoupons();
    const refused = await shop({ action: 'openGroup', activityId: 'gb_latte', couponId: plain, ...pickup }, m.openid);
    expect(refused.ok ? 'opened' : refused.error.code).toBe('COUPON_NOT_STACKABLE');
    expect(await find('groups', { leaderId: m._id })).toHaveLength(0);
    const ok = await shop({ action: 'openGroup', activityId: 'gb_latte', couponId: stack, ...pickup }, m.openid);
    expect(ok.ok).toBe(true);
    expect(ok.data.order.price).toMatchObject({ couponDiscount: 100, payAmount: 1990 - 100 });
    await pay(ok.data.order._id);
    expect((await one('member_coupons', stack)).status).toBe('used');
  });
});

describe('flash-sale sold', () => {
  it('flash-sale sold comes down with the stock when an unpaid order is cancelled', async () => {
    const now = Date.now();
    await put('flash_sales', [flashSale(now, { _id: 'fs_sold', title: '已抢', stock: 3, perMemberLimit: 1 })]);
    const m = await newMember();
    const b = await shop({ action: 'flashBuy', saleId: 'fs_sold', requestId: req(), ...pickup }, m.openid);
    expect(await one('flash_sales', 'fs_sold')).toMatchObject({ stock: 2, sold: 1 });
    await put('orders', [{ ...(await one('orders', b.data.order._id)), expiresAt: Date.now() - 1 }]);
    await cloud.admin('/__admin/trigger/shop');
    expect((await one('orders', b.data.order._id)).status).toBe('cancelled');
    expect(await one('flash_sales', 'fs_sold')).toMatchObject({ stock: 3, sold: 0 });
  });
});

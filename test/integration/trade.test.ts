// Store and trade over the local cloud: server-side pricing, coupons, order lifecycle, payment
// callbacks, refunds, flash sales and group buys — including the abuse cases of the trade issue.
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';

let cloud: RunningCloud;
let seq = 0;
const fresh = (p = 'tr') => `${p}_${Date.now().toString(36)}_${++seq}`;
const req = () => `req${Date.now().toString(36)}${++seq}xx`;

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
const pay = (outTradeNo: string, times = 1) => cloud.admin('/__sandbox/pay/confirm', { outTradeNo, times });
const pickup = { fulfilment: 'pickup', storeId: 'store_1' };

async function newMember(points = 0, balance = 0) {
  const openid = fresh();
  const { _id } = (await cloud.call('member', { action: 'me' }, openid)).data.member;
  if (points || balance) {
    await put('members', [
      { ...(await one('members', _id)), points, pointsBuckets: points ? { 2099: points } : {}, balance },
    ]);
    const docs = [];
    if (points)
      docs.push(
        put('points_ledger', [
          {
            _id: `${_id}:grant:t`,
            memberId: _id,
            delta: points,
            balanceAfter: points,
            source: 'grant',
            refId: 't',
            createdAt: 1,
          },
        ]),
      );
    if (balance)
      docs.push(
        put('balance_ledger', [
          {
            _id: `${_id}:grant:t`,
            memberId: _id,
            delta: balance,
            balanceAfter: balance,
            source: 'grant',
            refId: 't',
            createdAt: 1,
          },
        ]),
      );
    await Promise.all(docs);
  }
  return { openid, _id };
}

async function expectLedgersMatch(memberId: string) {
  const m = await one('members', memberId);
  const pts = await find('points_ledger', { memberId });
  const bal = await find('balance_ledger', { memberId });
  expect(pts.reduce((s, e) => s + e.delta, 0)).toBe(m.points);
  expect(bal.reduce((s, e) => s + e.delta, 0)).toBe(m.balance);
  expect(Object.values(m.pointsBuckets ?? {}).reduce((s: number, v) => s + (v as number), 0)).toBe(m.points);
  expect(m.points).toBeGreaterThanOrEqual(0);
  expect(m.balance).toBeGreaterThanOrEqual(0);
}

describe('pricing and orders', () => {
  it('prices on the server: a tampered price in the payload is ignored', async () => {
    const { openid } = await newMember();
    const sku = await one('skus', 'p_001_1');
    const r = await shop(
      {
        action: 'placeOrder',
        requestId: req(),
        ...pickup,
        lines: [{ skuId: 'p_001_1', qty: 2, price: 1 }],
        payAmount: 1,
        price: { payAmount: 1 },
      },
      openid,
    );
    expect(r.ok).toBe(true);
    expect(r.data.order.payAmount).toBe(2 * Math.min(sku.memberPrice, sku.price));
    expect(r.data.order.lines[0].unitPrice).toBe(Math.min(sku.memberPrice, sku.price));
  });

  it.each([[0], [-1], [1.5], [100000], ['2']])('refuses quantity %p', async (qty) => {
    const { openid } = await newMember();
    const r = await shop(
      { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_001_1', qty }] },
      openid,
    );
    expect(r.error.code).toBe('INVALID_ARGUMENT');
  });

  it.each([[-100], [1.5], ['500'], [1e12]])('refuses pointsToUse %p and never writes an order', async (pointsToUse) => {
    const { openid, _id } = await newMember(1000);
    const r = await shop(
      { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_001_1', qty: 1 }], pointsToUse },
      openid,
    );
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(await find('orders', { memberId: _id })).toHaveLength(0);
    expect((await one('members', _id)).points).toBe(1000);
  });

  it.each([[-1], [0], [12.5], ['3800']])('a guide cannot record an in-store amount of %p', async (amount) => {
    const { openid } = await newMember();
    const code = (await cloud.call('member', { action: 'memberCode' }, openid)).data.code;
    const r = await cloud.call(
      'guide',
      { action: 'recordPurchase', code, amount, categoryId: 'cat_coffee', receiptNo: req() },
      'guide_1',
    );
    expect(r.error.code).toBe('INVALID_ARGUMENT');
  });

  it('a paid order grants points and growth exactly once, even when the callback comes 5 times', async () => {
    const { openid, _id } = await newMember();
    const before = await one('members', _id);
    const [productBefore, skuBefore] = [await one('products', 'p_010'), await one('skus', 'p_010_1')];
    const r = await shop(
      { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_010_1', qty: 3 }] },
      openid,
    );
    const order = r.data.order;
    const deliveries = await pay(order._id, 5);
    expect(deliveries.data.results.map((x: any) => x.errmsg)).toEqual([
      'paid',
      'already',
      'already',
      'already',
      'already',
    ]);
    const after = await one('members', _id);
    const earned = Math.floor(order.payAmount / 100);
    expect(after.points - before.points).toBe(earned);
    expect(after.growth - before.growth).toBe(earned);
    expect(after.stats.orderCount).toBe(1);
    expect(after.stats.paidTotal).toBe(order.payAmount);
    expect(await find('points_ledger', { memberId: _id, source: 'order_reward' })).toHaveLength(1);
    expect((await one('orders', order._id)).status).toBe('paid');
    expect((await one('products', 'p_010')).sales - productBefore.sales).toBe(3);
    expect((await one('skus', 'p_010_1')).sales - skuBefore.sales).toBe(3);
    await expectLedgersMatch(_id);
  });

  it('a double-tapped placeOrder (same requestId) makes one order', async () => {
    const { openid, _id } = await newMember();
    const requestId = req();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        shop({ action: 'placeOrder', requestId, ...pickup, lines: [{ skuId: 'p_002_1', qty: 1 }] }, openid),
      ),
    );
    expect(results.every((x) => x.ok)).toBe(true);
    expect(new Set(results.map((x) => x.data.order._id)).size).toBe(1);
    expect(await find('orders', { memberId: _id })).toHaveLength(1);
  });

  it('uses a coupon, points and stored value together and the breakdown adds up', async () => {
    const { openid, _id } = await newMember(1000, 500);
    const claim = await shop({ action: 'claimCoupon', templateId: 'ct_full100' }, openid);
    expect(claim.ok).toBe(true);
    const sku = await one('skus', 'p_010_1');
    const lines = [{ skuId: 'p_010_1', qty: Math.ceil(12000 / sku.memberPrice) }];
    const pv = await shop({ action: 'preview', lines, autoCoupon: true, pointsToUse: 1000, useBalance: true }, openid);
    expect(pv.data.couponId).toBe(claim.data.coupon._id);
    const p = pv.data.price;
    expect(p.goodsTotal - p.couponDiscount - p.pointsDeduction - p.balanceUsed).toBe(p.payAmount);
    const r = await shop(
      {
        action: 'placeOrder',
        requestId: req(),
        ...pickup,
        lines,
        couponId: claim.data.coupon._id,
        pointsToUse: 1000,
        useBalance: true,
      },
      openid,
    );
    expect(r.data.order.price).toMatchObject({ couponDiscount: 2000, pointsUsed: p.pointsUsed, balanceUsed: 500 });
    expect((await one('member_coupons', claim.data.coupon._id)).status).toBe('locked');
    await pay(r.data.order._id);
    expect((await one('member_coupons', claim.data.coupon._id)).status).toBe('used');
    await expectLedgersMatch(_id);
  });

  it("refuses another member's coupon, an expired one and an out-of-scope one", async () => {
    const a = await newMember();
    const b = await newMember();
    const claim = await shop({ action: 'claimCoupon', templateId: 'ct_new' }, a.openid);
    const lines = [{ skuId: 'p_010_1', qty: 1 }];
    expect(
      (
        await shop(
          { action: 'placeOrder', requestId: req(), ...pickup, lines, couponId: claim.data.coupon._id },
          b.openid,
        )
      ).error.code,
    ).toBe('COUPON_NOT_OWNED');
    await put('member_coupons', [{ ...claim.data.coupon, validTo: Date.now() - 1000 }]);
    expect(
      (
        await shop(
          { action: 'placeOrder', requestId: req(), ...pickup, lines, couponId: claim.data.coupon._id },
          a.openid,
        )
      ).error.code,
    ).toBe('COUPON_EXPIRED');
    const beans = await shop({ action: 'claimCoupon', templateId: 'ct_beans85' }, a.openid);
    const coffee = (await find('skus', {})).find((s) => s.productId && s._id.startsWith('p_001'));
    expect(
      (
        await shop(
          { action: 'preview', lines: [{ skuId: coffee._id, qty: 1 }], couponId: beans.data.coupon._id },
          a.openid,
        )
      ).error.code,
    ).toBe('COUPON_NOT_APPLICABLE');
    expect(await find('orders', { memberId: b._id })).toHaveLength(0);
  });

  it('the timer cancels an order unpaid for 15 minutes; stock, coupon, points and stored value come back', async () => {
    const { openid, _id } = await newMember(800, 300);
    const claim = await shop({ action: 'claimCoupon', templateId: 'ct_new' }, openid);
    const skuBefore = await one('skus', 'p_003_1');
    const r = await shop(
      {
        action: 'placeOrder',
        requestId: req(),
        ...pickup,
        lines: [{ skuId: 'p_003_1', qty: 2 }],
        couponId: claim.data.coupon._id,
        pointsToUse: 800,
        useBalance: true,
      },
      openid,
    );
    expect(r.ok).toBe(true);
    expect((await one('skus', 'p_003_1')).stock).toBe(skuBefore.stock - 2);
    await put('orders', [{ ...(await one('orders', r.data.order._id)), expiresAt: Date.now() - 1 }]);
    const t = await cloud.admin('/__admin/trigger/shop');
    expect(t.data.data.cancelled).toBeGreaterThanOrEqual(1);
    expect((await one('orders', r.data.order._id)).status).toBe('cancelled');
    expect((await one('skus', 'p_003_1')).stock).toBe(skuBefore.stock);
    expect((await one('member_coupons', claim.data.coupon._id)).status).toBe('unused');
    const m = await one('members', _id);
    expect([m.points, m.balance]).toEqual([800, 300]);
    await expectLedgersMatch(_id);
    // A payment that arrives after the cancel is refunded, not lost.
    const late = await pay(r.data.order._id);
    expect(late.data.results[0]).toMatchObject({ errcode: 0, errmsg: 'late' });
  });

  it("hides another member's order", async () => {
    const a = await newMember();
    const b = await newMember();
    const r = await shop(
      { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_002_1', qty: 1 }] },
      a.openid,
    );
    expect((await shop({ action: 'orderDetail', id: r.data.order._id }, b.openid)).error.code).toBe('NOT_FOUND');
    expect((await shop({ action: 'cancel', id: r.data.order._id }, b.openid)).error.code).toBe('NOT_FOUND');
  });
});

describe('one SKU, many buyers', () => {
  // Stock is one conditional update outside each member's transaction (store/holds.ts): concurrent orders on
  // one SKU never conflict with each other, and whatever cannot be served is refused cleanly, never INTERNAL.
  it('40 concurrent orders on one SKU: all succeed with stock to spare; 30 left: 30 orders, 10 SOLD_OUT', async () => {
    const sku = await one('skus', 'p_001_1');
    const members = await Promise.all(Array.from({ length: 40 }, () => newMember()));
    const order = (skuId: string, openid: string) =>
      shop({ action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId, qty: 1 }] }, openid);
    await put('skus', [{ ...sku, _id: 'p_001_race', spec: '压测', stock: 100, sales: 0 }]);
    const all = await Promise.all(members.map((m) => order('p_001_race', m.openid)));
    expect(all.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    expect((await one('skus', 'p_001_race')).stock).toBe(60);
    await put('skus', [{ ...sku, _id: 'p_001_race2', spec: '压测2', stock: 30, sales: 0 }]);
    const some = await Promise.all(members.map((m) => order('p_001_race2', m.openid)));
    expect(some.filter((r) => r.ok)).toHaveLength(30);
    expect(some.filter((r) => !r.ok).map((r) => r.error.code)).toEqual(Array(10).fill('SOLD_OUT'));
    expect((await one('skus', 'p_001_race2')).stock).toBe(0);
    expect(await find('orders', { 'lines.skuId': 'p_001_race2' })).toHaveLength(30);
  }, 120000);
});

describe('refunds', () => {
  it('a refund failing midway is retried by the timer with the same refund number and never paid twice', async () => {
    const { openid, _id } = await newMember();
    const r = await shop(
      { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_010_1', qty: 2 }] },
      openid,
    );
    const orderId = r.data.order._id;
    await pay(orderId);
    const paid = await one('members', _id);
    const salesPaid = (await one('products', 'p_010')).sales;
    await cloud.admin('/__sandbox/pay/fail-refunds', { n: 1 });
    const first = await cloud.call('ops', { action: 'refundOrder', id: orderId, reason: '顾客不想要了' }, 'op_admin');
    expect(first.data.result).toBe('refunding');
    expect((await one('orders', orderId)).status).toBe('refunding');
    await put('orders', [
      { ...(await one('orders', orderId)), refund: { ...(await one('orders', orderId)).refund, nextAttemptAt: 0 } },
    ]);
    await cloud.admin('/__admin/trigger/shop');
    await cloud.admin('/__admin/trigger/shop');
    expect((await one('orders', orderId)).status).toBe('refunded');
    // Asking again is answered with the refund already made, not a second one.
    expect(
      (await cloud.call('ops', { action: 'refundOrder', id: orderId, reason: 'again' }, 'op_admin')).data.result,
    ).toBe('refunded');
    const refunds = await find('__sandbox_refunds', { outTradeNo: orderId });
    expect(refunds).toHaveLength(1);
    expect(refunds[0].refundFee).toBe(r.data.order.payAmount);
    const m = await one('members', _id);
    expect(m.growth).toBe(paid.growth - Math.floor(r.data.order.payAmount / 100));
    expect(m.stats.orderCount).toBe(paid.stats.orderCount - 1);
    expect((await one('products', 'p_010')).sales).toBe(salesPaid - 2);
    await expectLedgersMatch(_id);
  });

  it('only operators refund through ops', async () => {
    const { openid } = await newMember();
    expect((await cloud.call('ops', { action: 'refundOrder', id: 'ODX', reason: 'x' }, openid)).error.code).toBe(
      'FORBIDDEN',
    );
    expect((await cloud.call('ops', { action: 'saveFlashSale', sale: {} }, 'guide_1')).error.code).toBe('FORBIDDEN');
  });
});

describe('coupons', () => {
  it('500 concurrent claims never pass the quota or the per-member limit', async () => {
    await put('coupon_templates', [
      {
        _id: 'ct_race',
        name: '抢券',
        kind: 'no_threshold',
        threshold: 0,
        amount: 300,
        percent: null,
        cap: null,
        scope: { type: 'all' },
        validity: { type: 'relative', days: 3 },
        quota: 50,
        issued: 0,
        perMemberLimit: 2,
        status: 'active',
        claimable: true,
      },
    ]);
    const members = await Promise.all(Array.from({ length: 100 }, () => newMember()));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => members) // 500 claims, round-robin over the 100 members
        .flat()
        .map((m) => shop({ action: 'claimCoupon', templateId: 'ct_race' }, m.openid)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    expect((await one('coupon_templates', 'ct_race')).issued).toBe(50);
    const issued = await find('member_coupons', { templateId: 'ct_race' });
    expect(issued).toHaveLength(50);
    const perMember = new Map<string, number>();
    for (const c of issued) perMember.set(c.memberId, (perMember.get(c.memberId) ?? 0) + 1);
    expect(Math.max(...perMember.values())).toBeLessThanOrEqual(2);
    expect(
      results.filter((r) => !r.ok).every((r) => ['COUPON_SOLD_OUT', 'CLAIM_LIMIT_REACHED'].includes(r.error.code)),
    ).toBe(true);
  });
});

describe('flash sale', () => {
  it('1,000 buys at once for 100 units: exactly 100 orders, stock never below 0, nobody over the limit', async () => {
    const now = Date.now();
    await put('flash_sales', [
      {
        _id: 'fs_race',
        title: '压测秒杀',
        productId: 'p_001',
        skuId: 'p_001_1',
        categoryId: 'cat_coffee',
        name: '冰美式',
        listPrice: 2200,
        price: 990,
        stock: 100,
        total: 100,
        sold: 0,
        perMemberLimit: 1,
        startAt: now - 1000,
        endAt: now + 3600_000,
        status: 'active',
      },
    ]);
    const members: { openid: string; _id: string }[] = [];
    for (let i = 0; i < 8; i++) members.push(...(await Promise.all(Array.from({ length: 100 }, () => newMember()))));
    // 800 members, 200 of whom fire twice: 1,000 requests at once.
    const shots = [...members, ...members.slice(0, 200)];
    const results = await Promise.all(
      shots.map((m) => shop({ action: 'flashBuy', saleId: 'fs_race', requestId: req(), ...pickup }, m.openid)),
    );
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(100);
    expect(results.filter((r) => !r.ok).every((r) => ['SOLD_OUT', 'LIMIT_EXCEEDED'].includes(r.error.code))).toBe(true);
    const sale = await one('flash_sales', 'fs_race');
    expect(sale.stock).toBe(0);
    const orders = await find('orders', { activityId: 'fs_race' });
    expect(orders).toHaveLength(100);
    const perMember = new Map<string, number>();
    for (const o of orders) perMember.set(o.memberId, (perMember.get(o.memberId) ?? 0) + 1);
    expect(Math.max(...perMember.values())).toBe(1);
  }, 120000);

  it('refuses before the window opens by server time, and an unpaid order gives its unit back', async () => {
    const now = Date.now();
    await put('flash_sales', [
      {
        _id: 'fs_soon',
        title: '未开始',
        productId: 'p_001',
        skuId: 'p_001_1',
        categoryId: 'cat_coffee',
        name: '冰美式',
        listPrice: 2200,
        price: 990,
        stock: 5,
        total: 5,
        perMemberLimit: 1,
        startAt: now + 3600_000,
        endAt: now + 7200_000,
        status: 'active',
      },
      {
        _id: 'fs_one',
        title: '一件',
        productId: 'p_001',
        skuId: 'p_001_1',
        categoryId: 'cat_coffee',
        name: '冰美式',
        listPrice: 2200,
        price: 990,
        stock: 1,
        total: 1,
        perMemberLimit: 1,
        startAt: now - 1000,
        endAt: now + 3600_000,
        status: 'active',
      },
    ]);
    const a = await newMember();
    const b = await newMember();
    expect((await shop({ action: 'flashBuy', saleId: 'fs_soon', requestId: req() }, a.openid)).error.code).toBe(
      'FLASH_NOT_STARTED',
    );
    const list = await shop({ action: 'flashSales' }, a.openid);
    expect(list.data.sales.find((s: any) => s._id === 'fs_soon')).toMatchObject({ phase: 'upcoming' });
    expect(Math.abs(list.data.serverTime - Date.now())).toBeLessThan(5000);
    const bought = await shop({ action: 'flashBuy', saleId: 'fs_one', requestId: req() }, a.openid);
    expect(bought.ok).toBe(true);
    expect((await shop({ action: 'flashBuy', saleId: 'fs_one', requestId: req() }, b.openid)).error.code).toBe(
      'SOLD_OUT',
    );
    await put('orders', [{ ...(await one('orders', bought.data.order._id)), expiresAt: Date.now() - 1 }]);
    await cloud.admin('/__admin/trigger/shop');
    expect((await one('flash_sales', 'fs_one')).stock).toBe(1);
    expect((await shop({ action: 'flashBuy', saleId: 'fs_one', requestId: req() }, b.openid)).ok).toBe(true);
    // The first buyer's limit came back with the unit: they may try again (and find it sold out).
    expect((await shop({ action: 'flashBuy', saleId: 'fs_one', requestId: req() }, a.openid)).error.code).toBe(
      'SOLD_OUT',
    );
  });
});

describe('group buy', () => {
  async function openPaidGroup(activityId: string) {
    const leader = await newMember();
    const g = await shop({ action: 'openGroup', activityId, ...pickup }, leader.openid);
    expect(g.ok).toBe(true);
    await pay(g.data.order._id);
    expect((await one('groups', g.data.groupId)).status).toBe('forming');
    return { leader, groupId: g.data.groupId as string, orderId: g.data.order._id as string };
  }

  it('20 members racing for the last seat: exactly one gets it; full and paid → success', async () => {
    const { groupId, orderId } = await openPaidGroup('gb_latte');
    const racers = await Promise.all(Array.from({ length: 20 }, () => newMember()));
    const results = await Promise.all(racers.map((m) => shop({ action: 'joinGroup', groupId, ...pickup }, m.openid)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => r.error.code === 'GROUP_FULL')).toBe(true);
    const g = await one('groups', groupId);
    expect(g.seats).toBe(2);
    expect(g.memberIds).toHaveLength(2);
    await pay(winners[0].data.order._id);
    expect((await one('groups', groupId)).status).toBe('success');
    expect((await one('orders', orderId)).status).toBe('paid');
    expect((await one('orders', winners[0].data.order._id)).status).toBe('paid');
  });

  it('a member joins a group once', async () => {
    const { groupId, leader } = await openPaidGroup('gb_gift');
    expect((await shop({ action: 'joinGroup', groupId, ...pickup }, leader.openid)).error.code).toBe(
      'ALREADY_IN_GROUP',
    );
    const m = await newMember();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => shop({ action: 'joinGroup', groupId, ...pickup }, m.openid)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await one('groups', groupId)).memberIds.filter((x: string) => x === m._id)).toHaveLength(1);
  });

  it('an expired group refunds every paid member automatically', async () => {
    const { groupId, orderId, leader } = await openPaidGroup('gb_gift');
    const m = await newMember();
    const joined = await shop({ action: 'joinGroup', groupId, ...pickup }, m.openid);
    await pay(joined.data.order._id);
    expect((await one('orders', orderId)).status).toBe('grouping');
    await put('groups', [{ ...(await one('groups', groupId)), expiresAt: Date.now() - 1 }]);
    const t = await cloud.admin('/__admin/trigger/shop');
    expect(t.data.data.groupsFailed).toBeGreaterThanOrEqual(1);
    expect((await one('groups', groupId)).status).toBe('failed');
    for (const id of [orderId, joined.data.order._id]) expect((await one('orders', id)).status).toBe('refunded');
    expect(await find('__sandbox_refunds', { outTradeNo: orderId })).toHaveLength(1);
    await cloud.admin('/__admin/trigger/shop');
    expect(await find('__sandbox_refunds', { outTradeNo: orderId })).toHaveLength(1);
    await expectLedgersMatch(leader._id);
  });

  it('virtual completion (模拟成团) succeeds an expired group that has paid members', async () => {
    const { groupId, orderId } = await openPaidGroup('gb_latte');
    await put('groups', [{ ...(await one('groups', groupId)), expiresAt: Date.now() - 1 }]);
    await cloud.admin('/__admin/trigger/shop');
    expect(await one('groups', groupId)).toMatchObject({ status: 'success', virtual: 1 });
    expect((await one('orders', orderId)).status).toBe('paid');
  });
});

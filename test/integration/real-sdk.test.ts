// What passed against the old imitation SDK but failed on CloudBase, over the local cloud with the real
// wx-server-sdk in every function: saving tiers (set without _id), WeChat Pay with the real env id,
// a failed read in the pay callback (WeChat must redeliver), and contention that must never reach a user
// as INTERNAL — 40 concurrent orders on one SKU, and one member's transactions racing each other.
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';
import { createMember, expectPointsLedgerMatches } from '../helpers/members';

let cloud: RunningCloud;
let seq = 0;
const fresh = (p = 'rs') => `${p}_${Date.now().toString(36)}_${++seq}`;
const req = () => `req${Date.now().toString(36)}${++seq}rs`;

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
const pickup = { fulfilment: 'pickup', storeId: 'store_1' };
// Business refusals a shopper may see under contention; anything else (INTERNAL above all) is a bug.
const CLEAN = ['SOLD_OUT', 'LIMIT_EXCEEDED', 'LIMIT_REACHED', 'CONFLICT', 'ALREADY_CHECKED_IN', 'INSUFFICIENT_POINTS'];

const newMember = (points = 0) => createMember(cloud, fresh(), { points });
const expectLedgerMatches = (memberId: string) => expectPointsLedgerMatches(cloud, memberId);

describe('what the real SDK refuses', () => {
  it('the operator saves tiers from the console (no _id inside set data)', async () => {
    const { data } = await cloud.call('ops', { action: 'listTiers' }, 'op_admin');
    const tiers = data.tiers.map((t: any) => ({
      _id: t._id,
      name: t.name,
      level: t.level,
      threshold: t.threshold,
      keepThreshold: t.keepThreshold,
      discount: t.discount,
      pointsMultiplier: t.pointsMultiplier,
      birthdayCouponTemplateId: t.birthdayCouponTemplateId ?? null,
    }));
    tiers[1].name = '银卡会员Ⅱ';
    const r = await cloud.call('ops', { action: 'saveTiers', tiers }, 'op_admin');
    expect(r).toMatchObject({ ok: true });
    expect((await one('tiers', tiers[1]._id)).name).toBe('银卡会员Ⅱ');
  });

  it('a top-up creates a WeChat Pay order in this environment, and its callback credits once', async () => {
    const { openid, _id } = await newMember();
    const t = await cloud.call('member', { action: 'topup', packageId: 'sv_100' }, openid);
    expect(t.ok).toBe(true);
    expect(
      (await one('__sandbox_pay', t.data.outTradeNo)).envId ?? (await one('__sandbox_pay', t.data.outTradeNo)).env_id,
    ).toBe('local');
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: t.data.outTradeNo, times: 2 });
    expect((await one('members', _id)).balance).toBeGreaterThan(0);
  });

  it('a failed read of the order in the pay callback makes WeChat redeliver; the redelivery pays once', async () => {
    const { openid, _id } = await newMember();
    const o = await cloud.call(
      'shop',
      { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_002_1', qty: 1 }] },
      openid,
    );
    expect(o.ok).toBe(true);
    await cloud.admin('/__sandbox/db/fail', { action: 'database.getDocument', collection: 'orders', times: 1 });
    const first = await cloud.admin<any>('/__sandbox/pay/confirm', { outTradeNo: o.data.order._id });
    expect(first.data.results[0].errcode).not.toBe(0);
    expect((await one('orders', o.data.order._id)).status).toBe('created');
    const again = await cloud.admin<any>('/__sandbox/pay/confirm', { outTradeNo: o.data.order._id, times: 2 });
    expect(again.data.results.map((x: any) => x.errcode)).toEqual([0, 0]);
    expect((await one('orders', o.data.order._id)).status).toBe('paid');
    await expectLedgerMatches(_id);
  });
});

describe('contention never reaches a user as INTERNAL', () => {
  it('40 concurrent orders on one well-stocked SKU all succeed; stock moves by exactly what they took', async () => {
    const buyers = await Promise.all(Array.from({ length: 40 }, () => newMember()));
    await put('skus', [{ ...(await one('skus', 'p_004_1')), stock: 1000 }]);
    const results = await Promise.all(
      buyers.map((b) =>
        cloud.call(
          'shop',
          { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_004_1', qty: 1 }] },
          b.openid,
        ),
      ),
    );
    const codes = results.filter((r) => !r.ok).map((r) => r.error.code);
    expect(codes.filter((c) => !CLEAN.includes(c))).toEqual([]);
    const ok = results.filter((r) => r.ok).length;
    expect(ok).toBe(40);
    expect((await one('skus', 'p_004_1')).stock).toBe(1000 - ok);
  });

  it('one member: pay callbacks, check-in, redemptions and referral grants at once keep the ledger exact', async () => {
    // All at once: pay callbacks for 3 orders (each twice), a check-in, 4 mall redemptions, 4 referral grants.
    const { openid, _id } = await newMember(5000);
    const orders = [];
    for (let i = 0; i < 3; i++) {
      const o = await cloud.call(
        'shop',
        { action: 'placeOrder', requestId: req(), ...pickup, lines: [{ skuId: 'p_002_1', qty: 1 }] },
        openid,
      );
      expect(o.ok).toBe(true);
      orders.push(o.data.order._id);
    }
    const jobs: Promise<any>[] = [
      ...orders.map((id) => cloud.admin<any>('/__sandbox/pay/confirm', { outTradeNo: id, times: 2 })),
      cloud.call('member', { action: 'checkin' }, openid),
      ...Array.from({ length: 4 }, (_x, i) =>
        cloud.call('member', { action: 'redeem', itemId: 'mi_coupon10', requestId: `req-rs-${seq}-${i}` }, openid),
      ),
      ...Array.from({ length: 4 }, () =>
        cloud.call('member', { action: 'me', launch: { query: { inviter: _id } } }, fresh('inv')),
      ),
    ];
    const results = await Promise.all(jobs);
    const payments = results.slice(0, 3);
    for (const p of payments) expect(p.data.results.every((x: any) => x.errcode === 0)).toBe(true);
    for (const r of results.slice(3)) {
      if (!r.ok) expect(CLEAN).toContain(r.error.code);
    }
    for (const id of orders) expect((await one('orders', id)).status).toBe('paid');
    await expectLedgerMatches(_id);
  });
});

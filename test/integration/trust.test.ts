// The "money, stock and trust holes" issue over the local cloud: impossible dates, rolling growth,
// wxacode scenes for app-created ids, in-store purchases, referral farming and account merges.
import { addMonths, shanghaiAt, shanghaiMonth } from '../../cloudfunctions/src/domain/time';
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';

let cloud: RunningCloud;
let seq = 0;
const fresh = (p = 'tr') => `${p}_${Date.now().toString(36)}_${++seq}`;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: true, consumers: 60 });
});
afterAll(async () => {
  await cloud?.stop();
});

const find = async (collection: string, query: object = {}) =>
  (await cloud.admin<{ data: any[] }>('/__admin/db/find', { collection, query, limit: 5000 })).data;
const one = async (collection: string, _id: string) => (await find(collection, { _id }))[0];
const put = (collection: string, docs: object[]) => cloud.admin('/__admin/db/put', { collection, docs });
const me = (openid: string, launch?: object) =>
  cloud.call('member', { action: 'me', ...(launch ? { launch } : {}) }, openid);
// A member made by the app itself: its id is CloudBase's 32-hex id, not a demo id like m_5.
const newMember = async (p = 'tr') => {
  const openid = fresh(p);
  const { _id } = (await me(openid)).data.member;
  return { openid, _id: _id as string };
};
const codeOf = async (openid: string) =>
  (await cloud.call('member', { action: 'memberCode' }, openid)).data.code as string;

describe('impossible dates', () => {
  it('a birthday or make-up day like 2026-13-45 is INVALID_ARGUMENT, never INTERNAL', async () => {
    const { openid, _id } = await newMember();
    for (const birthday of ['2026-13-45', '2026-02-30', '2026-00-01']) {
      const r = await cloud.call('member', { action: 'updateProfile', birthday }, openid);
      expect(r.error?.code).toBe('INVALID_ARGUMENT');
    }
    expect((await one('members', _id)).birthday).toBeNull();
    for (const day of ['2026-13-45', '2026-11-31']) {
      expect((await cloud.call('member', { action: 'makeup', day }, openid)).error?.code).toBe('INVALID_ARGUMENT');
    }
    expect((await cloud.call('member', { action: 'calendar', month: '2026-13' }, openid)).error?.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await cloud.call('member', { action: 'updateProfile', birthday: '1990-02-28' }, openid)).ok).toBe(true);
  });
});

// The Shanghai month `n` months before now, 'YYYY-MM'.
const monthsAgo = (n: number) => addMonths(shanghaiMonth(Date.now()), -n);

describe('rolling 12-month growth', () => {
  it('growth older than 12 months neither shows nor counts toward an upgrade', async () => {
    const { openid, _id } = await newMember();
    const m = await one('members', _id);
    await put('members', [{ ...m, growth: 999, growthByMonth: { [monthsAgo(12)]: 999 } }]);
    const view = (await me(openid)).data.member;
    expect([view.growth, view.growthToNext, view.tierName]).toEqual([0, 1000, '普通会员']);
    const order = await cloud.call(
      'shop',
      {
        action: 'placeOrder',
        requestId: `grow${Date.now().toString(36)}`,
        fulfilment: 'pickup',
        storeId: 'store_1',
        lines: [{ skuId: 'p_002_1', qty: 1 }],
      },
      openid,
    );
    expect(order.ok).toBe(true);
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: order.data.order._id });
    const after = await one('members', _id);
    const earned = Math.floor(order.data.order.payAmount / 100);
    expect(earned).toBeGreaterThan(0);
    expect([after.tierId, after.growth]).toEqual(['t_normal', earned]);
    expect(after.growthByMonth[monthsAgo(12)]).toBeUndefined();
  });
});

describe('a refund takes growth from the month it was earned', () => {
  it('an order paid last month and refunded now leaves no negative month behind', async () => {
    const { openid, _id } = await newMember();
    const order = await cloud.call(
      'shop',
      {
        action: 'placeOrder',
        requestId: `rfm${Date.now().toString(36)}`,
        fulfilment: 'pickup',
        storeId: 'store_1',
        lines: [{ skuId: 'p_002_1', qty: 1 }],
      },
      openid,
    );
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: order.data.order._id });
    const o = await one('orders', order.data.order._id);
    const g = o.earned.growth;
    // As if it had been paid a month ago.
    await put('orders', [{ ...o, paidAt: shanghaiAt(`${monthsAgo(1)}-15`, 12) }]);
    const m = await one('members', _id);
    await put('members', [{ ...m, growthByMonth: { [monthsAgo(1)]: 1000 + g }, growth: 1000 + g, tierId: 't_silver' }]);
    expect(
      (await cloud.call('ops', { action: 'refundOrder', id: o._id, reason: '测试退款' }, 'op_admin')).data.result,
    ).toBe('refunded');
    const after = await one('members', _id);
    expect(after.growthByMonth).toEqual({ [monthsAgo(1)]: 1000 });
    expect(after.growth).toBe(1000);
  });
});

describe('wxacode scenes fit 32 characters for ids the app makes', () => {
  it('an app-created member (32-hex id) gets an invite card, and a friend scanning it is bound to them', async () => {
    const inviter = await newMember('card');
    expect(inviter._id).toMatch(/^[0-9a-f]{32}$/);
    const card = await cloud.call('campaign', { action: 'inviteCard' }, inviter.openid);
    expect(card.ok).toBe(true);
    expect(card.data.scene.length).toBeLessThanOrEqual(32);
    expect(card.data.qr).toMatch(/^data:image\/png;base64,/);
    expect((await cloud.call('campaign', { action: 'inviteCard' }, inviter.openid)).data.scene).toBe(card.data.scene);
    // WeChat opens pages/index/index with query.scene = the encoded scene; the app passes it to member.me.
    const friend = fresh('scan');
    const joined = await me(friend, { scene: 1047, query: { scene: encodeURIComponent(card.data.scene) } });
    expect(joined.data.referral?.ok).toBe(true);
    const friendId = joined.data.member._id;
    expect((await one('referrals', friendId)).inviterId).toBe(inviter._id);
    expect((await one('members', friendId)).source).toMatchObject({ channel: 'referral', inviterId: inviter._id });
    // The share path carries the same code.
    const query = Object.fromEntries(new URLSearchParams(card.data.path.split('?')[1]));
    const viaShare = await me(fresh('share'), { scene: 1007, query });
    expect((await one('referrals', viaShare.data.member._id)).inviterId).toBe(inviter._id);
  });

  it('a guide with a long OPENID gets a QR code; a customer scanning it is bound to that guide and store', async () => {
    const openid = `oGd${'x'.repeat(25)}${Date.now().toString(36)}`.slice(0, 40);
    expect(
      (
        await cloud.call(
          'ops',
          { action: 'saveStaff', openid, name: '长号导购', role: 'guide', storeId: 'store_2' },
          'op_admin',
        )
      ).ok,
    ).toBe(true);
    const qr = await cloud.call('guide', { action: 'myCode' }, openid);
    expect(qr.ok).toBe(true);
    expect(qr.data.scene.length).toBeLessThanOrEqual(32);
    const customer = fresh('gq');
    await me(customer, { scene: 1047, query: { scene: encodeURIComponent(qr.data.scene) } });
    const [m] = await find('members', { openid: customer });
    expect([m.guideId, m.storeId, m.source.channel]).toEqual([openid, 'store_2', 'guide']);
  });

  it('links made before short codes (a raw id) still resolve', async () => {
    const inviter = await newMember('old');
    const joined = await me(fresh('oldlink'), { query: { inviter: inviter._id } });
    expect((await one('referrals', joined.data.member._id)).inviterId).toBe(inviter._id);
  });
});

// The ledger is the truth: its deltas sum to the member's balance, and so do the buckets.
async function expectLedgerMatches(memberId: string) {
  const m = await one('members', memberId);
  const entries = await find('points_ledger', { memberId });
  expect(entries.reduce((s, e) => s + e.delta, 0)).toBe(m.points);
  expect((Object.values(m.pointsBuckets ?? {}) as number[]).reduce((s, v) => s + v, 0)).toBe(m.points);
}

describe('in-store purchases', () => {
  const record = (guide: string, code: string, amount: number, receiptNo: string, categoryId = 'cat_coffee') =>
    cloud.call('guide', { action: 'recordPurchase', code, amount, categoryId, receiptNo }, guide);
  const receipt = () => `R${Date.now().toString(36)}${++seq}`;
  // A customer of store_1: an app-created member bound by guide_1's scan.
  async function store1Customer() {
    const c = await newMember('till');
    expect(
      (await cloud.call('guide', { action: 'scanMember', code: await codeOf(c.openid) }, 'guide_1')).data.bound,
    ).toBe(true);
    return c;
  }

  it("a guide cannot record for another store's customer, nor any amount: 银卡 → 钻石 is refused", async () => {
    const c = await store1Customer();
    const before = await one('members', c._id);
    await put('members', [{ ...before, tierId: 't_silver', growthByMonth: { [monthsAgo(1)]: 1200 }, growth: 1200 }]);
    const other = await record('guide_3', await codeOf(c.openid), 3800, receipt());
    expect(other.error?.code).toBe('NOT_STORE_CUSTOMER');
    const huge = await record('guide_1', await codeOf(c.openid), 2_400_000, receipt());
    expect(huge.error?.code).toBe('PURCHASE_OVER_LIMIT');
    const m = await one('members', c._id);
    expect([m.tierId, m.points]).toEqual(['t_silver', 0]);
    expect(await find('orders', { memberId: c._id })).toHaveLength(0);
  });

  it('the cap is the operator’s; each purchase is audited', async () => {
    const c = await store1Customer();
    expect(
      (await cloud.call('ops', { action: 'saveStorePurchaseRules', rules: { maxAmount: 5000 } }, 'op_admin')).ok,
    ).toBe(true);
    try {
      expect((await record('guide_1', await codeOf(c.openid), 5001, receipt())).error?.code).toBe(
        'PURCHASE_OVER_LIMIT',
      );
      const ok = await record('guide_1', await codeOf(c.openid), 5000, receipt());
      expect(ok.ok).toBe(true);
      const [entry] = await find('ops_log', { what: 'recordPurchase', ref: ok.data.orderId });
      expect(entry).toMatchObject({ by: 'guide_1', detail: { memberId: c._id, storeId: 'store_1', amount: 5000 } });
    } finally {
      await cloud.call('ops', { action: 'saveStorePurchaseRules', rules: { maxAmount: 200000 } }, 'op_admin');
    }
  });

  it('a receipt counts once per store; a member code is used up by a purchase but may identify again', async () => {
    const c = await store1Customer();
    const code = await codeOf(c.openid);
    const no = receipt();
    const first = await record('guide_1', code, 3800, no);
    expect(first.data.earned).toEqual({ points: 38, growth: 38 });
    // The till retries with a fresh code: the same purchase, not a second one.
    expect((await record('guide_2', await codeOf(c.openid), 3800, no)).data).toMatchObject({
      orderId: first.data.orderId,
      replayed: true,
    });
    expect((await record('guide_1', await codeOf(c.openid), 9900, no)).error?.code).toBe('RECEIPT_DUPLICATE');
    expect((await record('guide_1', code, 1200, receipt())).error?.code).toBe('MEMBER_CODE_USED');
    expect((await cloud.call('guide', { action: 'scanMember', code }, 'guide_1')).ok).toBe(true);
    // The same receipt number at another store is another receipt.
    const d = await newMember('till2');
    await cloud.call('guide', { action: 'scanMember', code: await codeOf(d.openid) }, 'guide_3');
    expect((await record('guide_3', await codeOf(d.openid), 3800, no)).ok).toBe(true);
    expect((await one('members', c._id)).points).toBe(38);
    await expectLedgerMatches(c._id);
  });

  it('10 concurrent recordings with one code: exactly one purchase; with one receipt: exactly one order', async () => {
    const c = await store1Customer();
    const code = await codeOf(c.openid);
    const byCode = await Promise.all(Array.from({ length: 10 }, () => record('guide_1', code, 1000, receipt())));
    expect(byCode.filter((r) => r.ok)).toHaveLength(1);
    expect(byCode.filter((r) => !r.ok).map((r) => r.error.code)).toEqual(Array(9).fill('MEMBER_CODE_USED'));
    const no = receipt();
    const codes = await Promise.all(Array.from({ length: 6 }, () => codeOf(c.openid)));
    const byReceipt = await Promise.all(codes.map((k) => record('guide_1', k, 2000, no)));
    expect(byReceipt.every((r) => r.ok)).toBe(true);
    expect(new Set(byReceipt.map((r) => r.data.orderId)).size).toBe(1);
    expect(byReceipt.filter((r) => !r.data.replayed)).toHaveLength(1);
    expect(await find('orders', { memberId: c._id })).toHaveLength(2);
    expect((await one('members', c._id)).points).toBe(30);
    await expectLedgerMatches(c._id);
  });

  it('an operator reverses a purchase: points, growth, tier, tags and stats come back exactly once', async () => {
    const c = await store1Customer();
    const start = await one('members', c._id);
    await put('members', [{ ...start, tierId: 't_silver', growthByMonth: { [monthsAgo(1)]: 4900 }, growth: 4900 }]);
    const before = await one('members', c._id);
    const r = await record('guide_1', await codeOf(c.openid), 20000, receipt(), 'cat_beans');
    expect(r.data.earned).toEqual({ points: 240, growth: 200 });
    const bought = await one('members', c._id);
    expect([bought.tierId, bought.points, bought.stats.orderCount]).toEqual(['t_gold', 240, 1]);
    expect(bought.tags).toEqual(expect.arrayContaining(['buyer', 'bought:cat_beans']));
    expect(
      (await cloud.call('ops', { action: 'reverseStorePurchase', id: r.data.orderId, reason: '测试' }, 'guide_1')).error
        .code,
    ).toBe('FORBIDDEN');
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        cloud.call('ops', { action: 'reverseStorePurchase', id: r.data.orderId, reason: '导购误录' }, 'op_admin'),
      ),
    );
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(results.filter((x) => !x.ok).map((x) => x.error.code)).toEqual(Array(4).fill('ALREADY_REVERSED'));
    expect(results.find((x) => x.ok).data).toMatchObject({ pointsTaken: 240, pointsShort: 0, growthTaken: 200 });
    const after = await one('members', c._id);
    expect([after.tierId, after.points, after.growth]).toEqual(['t_silver', 0, 4900]);
    expect(after.growthByMonth).toEqual(before.growthByMonth);
    expect(after.stats).toMatchObject({
      orderCount: 0,
      paidTotal: 0,
      firstOrderAt: null,
      lastOrderAt: null,
      categoryIds: [],
    });
    expect(Object.values(after.stats.months)).toEqual([{ n: 0, amt: 0 }]);
    expect(after.tags).not.toContain('buyer');
    expect(after.tags).not.toContain('bought:cat_beans');
    expect((await one('orders', r.data.orderId)).status).toBe('refunded');
    expect(await find('ops_log', { what: 'reverseStorePurchase', ref: r.data.orderId })).toHaveLength(1);
    await expectLedgerMatches(c._id);
    const list = await cloud.call('ops', { action: 'listStorePurchases', storeId: 'store_1' }, 'op_admin');
    expect(list.data.purchases.find((p: any) => p._id === r.data.orderId)).toMatchObject({
      status: 'refunded',
      reversal: { by: 'op_admin' },
    });
  });
});

describe('a guide record without a store', () => {
  it('acts as nobody: every guide action is FORBIDDEN and a scan records no visit', async () => {
    const openid = fresh('guide_nostore');
    await put('staff', [
      { _id: openid, openid, role: 'guide', storeId: null, name: '未分店导购', active: true, createdAt: 1 },
    ]);
    const c = await newMember('ns');
    const scan = await cloud.call('guide', { action: 'scanMember', code: await codeOf(c.openid) }, openid);
    const list = await cloud.call('guide', { action: 'customers' }, openid);
    const profile = await cloud.call('guide', { action: 'profile' }, openid);
    expect([scan.error?.code, list.error?.code, profile.error?.code]).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(await find('store_visits', { memberId: c._id })).toHaveLength(0);
    expect((await one('members', c._id)).guideId ?? null).toBeNull();
  });
});

describe('referral farming', () => {
  let phoneSeq = 0;
  const phone = () =>
    `135${String((Date.now() % 10_000_000) * 10 + (++phoneSeq % 10))
      .padStart(8, '0')
      .slice(-8)}`;
  const join = (inviterId: string) => me(fresh('farm'), { query: { inviter: inviterId } });
  const bindPhone = (openid: string, p: string) =>
    cloud.call('member', { action: 'bindPhone', code: `sandbox:${p}` }, openid);

  it('fresh accounts that only open the app earn nothing; the inviter is bound at join, the reward waits', async () => {
    const inviter = await newMember('farmer');
    const farm = await Promise.all(Array.from({ length: 6 }, () => join(inviter._id)));
    expect(farm.every((r) => r.data.referral.ok && r.data.referral.pending && !r.data.referral.rewarded)).toBe(true);
    expect(farm.every((r) => r.data.member.points === 0)).toBe(true);
    expect((await one('members', inviter._id)).points).toBe(0);
    const refs = await find('referrals', { inviterId: inviter._id });
    expect(refs.map((r) => r.status)).toEqual(Array(6).fill('pending'));
    expect(await find('points_ledger', { memberId: inviter._id })).toHaveLength(0);
    const board = await cloud.call('campaign', { action: 'leaderboard' }, inviter.openid);
    expect(board.data.leaders.find((l: any) => l.invites >= 6)).toBeUndefined();
  });

  it('binding a phone pays both join rewards exactly once, even when bound 6 times at once', async () => {
    const inviter = await newMember('inv');
    const friend = fresh('friend');
    await me(friend, { query: { inviter: inviter._id } });
    expect((await one('members', inviter._id)).points).toBe(0);
    const p = phone();
    const results = await Promise.all(Array.from({ length: 6 }, () => bindPhone(friend, p)));
    expect(results.every((r) => r.ok)).toBe(true);
    const friendId = results[0].data.memberId;
    expect([(await one('members', inviter._id)).points, (await one('members', friendId)).points]).toEqual([50, 50]);
    expect(await find('points_ledger', { memberId: inviter._id, source: 'referral_join' })).toHaveLength(1);
    expect(await find('points_ledger', { memberId: friendId, source: 'referral_welcome' })).toHaveLength(1);
    expect((await one('referrals', friendId)).status).toBe('joined');
    await expectLedgerMatches(inviter._id);
    await expectLedgerMatches(friendId);
  });

  it('an account whose phone belongs to an existing member is not a new person: no reward', async () => {
    const inviter = await newMember('inv2');
    const existing = await newMember('old');
    const p = phone();
    await bindPhone(existing.openid, p);
    const second = fresh('alt');
    await me(second, { query: { inviter: inviter._id } });
    expect((await bindPhone(second, p)).data).toMatchObject({ merged: true, referralRewarded: false });
    expect((await one('members', inviter._id)).points).toBe(0);
  });

  it('under the first-order rule a phone is not enough; the first paid order rewards exactly once', async () => {
    // The payment is confirmed 4 times below: the referral reward is still granted once.
    const rules = {
      inviterPointsOnJoin: 50,
      inviteePointsOnJoin: 50,
      inviterPointsOnFirstOrder: 200,
      dailyCapPerInviter: 10,
    };
    expect(
      (
        await cloud.call(
          'campaign',
          { action: 'saveReferralRules', rules: { ...rules, qualifyBy: 'first_order' } },
          'op_admin',
        )
      ).ok,
    ).toBe(true);
    try {
      const inviter = await newMember('inv3');
      const friend = fresh('buyer');
      const joined = await me(friend, { query: { inviter: inviter._id } });
      expect(joined.data.referral).toMatchObject({ pending: true, qualifyBy: 'first_order' });
      expect((await bindPhone(friend, phone())).data.referralRewarded).toBe(false);
      expect((await one('members', inviter._id)).points).toBe(0);
      const order = await cloud.call(
        'shop',
        {
          action: 'placeOrder',
          requestId: `farm${Date.now().toString(36)}`,
          fulfilment: 'pickup',
          storeId: 'store_1',
          lines: [{ skuId: 'p_002_1', qty: 1 }],
        },
        friend,
      );
      await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: order.data.order._id, times: 4 });
      expect((await one('members', inviter._id)).points).toBe(250);
      expect(await find('points_ledger', { memberId: inviter._id, source: 'referral_join' })).toHaveLength(1);
      expect(
        await find('points_ledger', { memberId: joined.data.member._id, source: 'referral_welcome' }),
      ).toHaveLength(1);
    } finally {
      await cloud.call(
        'campaign',
        { action: 'saveReferralRules', rules: { ...rules, qualifyBy: 'phone' } },
        'op_admin',
      );
    }
  });
});

describe('account merge (ONE ID) moves everything', () => {
  let phoneSeq = 0;
  const phone = () =>
    `133${String(Date.now() % 100_000_000)
      .padStart(8, '0')
      .slice(0, 7)}${++phoneSeq % 10}`;
  const bindPhone = (openid: string, p: string) =>
    cloud.call('member', { action: 'bindPhone', code: `sandbox:${p}` }, openid);
  const evId = () => `ev${Date.now().toString(36)}${++seq}`;
  const buy = async (openid: string, pay = true) => {
    const o = await cloud.call(
      'shop',
      {
        action: 'placeOrder',
        requestId: `mg${Date.now().toString(36)}${++seq}`,
        fulfilment: 'pickup',
        storeId: 'store_1',
        lines: [{ skuId: 'p_002_1', qty: 1 }],
      },
      openid,
    );
    expect(o.ok).toBe(true);
    if (pay) await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: o.data.order._id });
    return o.data.order;
  };

  it('moves coupons, orders and all other member data; a repeated bind changes nothing', async () => {
    // All of it: coupons, orders, behaviour, tags, guide binding, referrals, counters, check-ins and balances.
    const a = await newMember('owner');
    const p = phone();
    await bindPhone(a.openid, p);
    const b = await newMember('second');
    expect((await cloud.call('member', { action: 'checkin' }, b.openid)).ok).toBe(true);
    const coupon = await cloud.call('shop', { action: 'claimCoupon', templateId: 'ct_new' }, b.openid);
    expect(coupon.ok).toBe(true);
    const order = await buy(b.openid);
    const view = () => ({
      id: evId(),
      type: 'product_view',
      ts: Date.now(),
      productId: 'p_020',
      categoryId: 'cat_beans',
    });
    expect(
      (await cloud.call('crm', { action: 'track', events: [view(), view(), view()] }, b.openid)).data.tags,
    ).toContain('interest:cat_beans');
    await cloud.call('guide', { action: 'scanMember', code: await codeOf(b.openid) }, 'guide_1');
    expect((await cloud.call('guide', { action: 'tagCustomer', memberId: b._id, tag: '常点燕麦' }, 'guide_1')).ok).toBe(
      true,
    );
    await cloud.call('guide', { action: 'noteCustomer', memberId: b._id, text: '喜欢靠窗' }, 'guide_1');
    const friend = fresh('bfriend');
    const friendId = (await me(friend, { query: { inviter: b._id } })).data.member._id;
    const topup = await cloud.call('member', { action: 'topup', packageId: 'sv_100' }, b.openid);
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: topup.data.outTradeNo });
    const unpaid = await buy(b.openid, false);
    const before = await one('members', b._id);
    expect(before.points).toBeGreaterThan(0);

    const merged = await bindPhone(b.openid, p);
    expect(merged.data).toMatchObject({ memberId: a._id, merged: true });
    const check = async () => {
      const m = await one('members', a._id);
      expect([m.points, m.balance, m.growth]).toEqual([before.points, 10000, before.growth]);
      expect(m.stats).toMatchObject({
        orderCount: 1,
        paidTotal: order.payAmount,
        categoryIds: before.stats.categoryIds,
      });
      expect(Object.values(m.stats.months)).toEqual([{ n: 1, amt: order.payAmount }]);
      expect(m.behavior).toEqual(before.behavior);
      expect(m.tags).toEqual(expect.arrayContaining(['buyer', 'interest:cat_beans', 'manual:常点燕麦']));
      expect(m.manualTags.map((t: any) => t.tag)).toEqual(['常点燕麦']);
      expect([m.guideId, m.storeId]).toEqual(['guide_1', 'store_1']);
      expect(m.checkin.lastDay).toBe(before.checkin.lastDay);
      const gone = await one('members', b._id);
      expect([gone.mergedInto, gone.points, gone.balance, gone.stats.orderCount, gone.tags]).toEqual([
        a._id,
        0,
        0,
        0,
        [],
      ]);
      for (const c of ['member_coupons', 'orders', 'checkins', 'customer_notes', 'sv_orders']) {
        expect(await find(c, { memberId: b._id })).toHaveLength(0);
        expect((await find(c, { memberId: a._id })).length).toBeGreaterThan(0);
      }
      expect((await one('referrals', friendId)).inviterId).toBe(a._id);
      await expectLedgerMatches(a._id);
      await expectLedgerMatches(b._id);
      const balances = await find('balance_ledger', { memberId: a._id });
      expect(balances.reduce((s, e) => s + e.delta, 0)).toBe(10000);
    };
    await check();
    // The new-member coupon was claimed by B: the person cannot claim it again as A.
    // (B's paid order moved over too, so the new-member audience rule may refuse first.)
    expect(['CLAIM_LIMIT_REACHED', 'COUPON_NEW_MEMBERS_ONLY']).toContain(
      (await cloud.call('shop', { action: 'claimCoupon', templateId: 'ct_new' }, a.openid)).error?.code,
    );
    // The merged person sees B's coupon and orders from either OPENID.
    expect((await cloud.call('shop', { action: 'myCoupons' }, a.openid)).data.coupons.map((c: any) => c._id)).toContain(
      coupon.data.coupon._id,
    );
    // Binding again (a retry) changes nothing.
    expect((await bindPhone(b.openid, p)).ok).toBe(true);
    await check();
    // An order B placed before the merge and pays after it lands on the survivor.
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: unpaid._id });
    const after = await one('members', a._id);
    expect(after.stats.orderCount).toBe(2);
    expect(after.points).toBeGreaterThan(before.points);
    expect((await one('members', b._id)).points).toBe(0);
    await expectLedgerMatches(a._id);
  });

  it('two accounts merging into one member at once, and one account binding 5 times at once, stay exact', async () => {
    const owner = await newMember('own2');
    const p = phone();
    await bindPhone(owner.openid, p);
    const others = await Promise.all([newMember('x'), newMember('y')]);
    for (const o of others) expect((await cloud.call('member', { action: 'checkin' }, o.openid)).ok).toBe(true);
    const expected = (await Promise.all(others.map((o) => one('members', o._id)))).reduce((s, m) => s + m.points, 0);
    const results = await Promise.all([
      ...others.map((o) => bindPhone(o.openid, p)),
      ...Array.from({ length: 4 }, () => bindPhone(others[0].openid, p)),
    ]);
    expect(results.every((r) => r.ok && r.data.memberId === owner._id)).toBe(true);
    expect((await one('members', owner._id)).points).toBe(expected);
    expect(await find('points_ledger', { memberId: owner._id, source: 'merge_in' })).toHaveLength(2);
    // They checked in today: the merged person cannot check in a second time today.
    expect((await cloud.call('member', { action: 'checkin' }, owner.openid)).error?.code).toBe('ALREADY_CHECKED_IN');
    await expectLedgerMatches(owner._id);
    for (const o of others) await expectLedgerMatches(o._id);
  });
});

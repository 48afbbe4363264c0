// Membership over the local cloud: ONE ID, check-in, points, mall, stored value, member code,
// roles — including the abuse cases of the membership issue.
import { issueMemberCode } from '../../cloudfunctions/src/domain/member-code';
import { shanghaiYear } from '../../cloudfunctions/src/domain/time';
import { LOCAL_ONLY_SECRET } from '../../cloudfunctions/src/lib/secrets';
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';

let cloud: RunningCloud;
let seq = 0;
const fresh = (p = 'it') => `${p}_${Date.now().toString(36)}_${++seq}`;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: true, consumers: 60 });
});
afterAll(async () => {
  await cloud?.stop();
});

const find = async (collection: string, query: object = {}) =>
  (await cloud.admin<{ data: any[] }>('/__admin/db/find', { collection, query, limit: 1000 })).data;
const put = (collection: string, docs: object[]) => cloud.admin('/__admin/db/put', { collection, docs });
const member = (openid: string) => cloud.call('member', { action: 'me' }, openid);

// The ledger is the truth: its deltas sum to the member's balance, and balanceAfter chains.
async function expectLedgerMatches(memberId: string) {
  const [m] = await find('members', { _id: memberId });
  const entries = (await find('points_ledger', { memberId })).sort((a, b) => a.createdAt - b.createdAt);
  expect(entries.reduce((s, e) => s + e.delta, 0)).toBe(m.points);
  const buckets = Object.values(m.pointsBuckets ?? {}) as number[];
  expect(buckets.reduce((s, v) => s + v, 0)).toBe(m.points);
  expect(m.points).toBeGreaterThanOrEqual(0);
}

describe('ONE ID', () => {
  it('creates one member per OPENID on first call and records the join source', async () => {
    const openid = fresh();
    const r = await cloud.call(
      'member',
      { action: 'me', launch: { scene: 1047, query: { scene: encodeURIComponent('g=guide_3') } } },
      openid,
    );
    expect(r.ok).toBe(true);
    expect(r.data.created).toBe(true);
    const [m] = await find('members', { openid });
    expect(m.source).toMatchObject({ channel: 'guide', guideId: 'guide_3', storeId: 'store_2' });
    expect(m.guideId).toBe('guide_3');
    const again = await member(openid);
    expect(again.data.created).toBe(false);
    expect(again.data.member._id).toBe(r.data.member._id);
  });

  it('drops a forged guide id from the join source', async () => {
    const openid = fresh();
    await cloud.call('member', { action: 'me', launch: { query: { guide: 'guide_999' } } }, openid);
    const [m] = await find('members', { openid });
    expect(m.source.channel).toBe('direct');
    expect(m.guideId).toBeNull();
  });

  it('a second OPENID binding the same phone merges into the first member, points and all', async () => {
    const a = fresh('phoneA');
    const b = fresh('phoneB');
    const phone = `139${String(Date.now()).slice(-8)}`;
    const ma = (await member(a)).data.member;
    expect((await cloud.call('member', { action: 'bindPhone', code: `sandbox:${phone}` }, a)).data).toEqual({
      memberId: ma._id,
      merged: false,
      referralRewarded: false,
    });
    const mb = (await member(b)).data.member;
    expect(mb._id).not.toBe(ma._id);
    expect((await cloud.call('member', { action: 'checkin' }, b)).ok).toBe(true);
    const earnedByB = (await member(b)).data.member.points;
    expect(earnedByB).toBeGreaterThan(0);
    const merged = await cloud.call('member', { action: 'bindPhone', code: `sandbox:${phone}` }, b);
    expect(merged.data).toEqual({ memberId: ma._id, merged: true, referralRewarded: false });
    const nowB = (await member(b)).data.member;
    expect(nowB._id).toBe(ma._id);
    expect(nowB.points).toBe(earnedByB);
    await expectLedgerMatches(ma._id);
    await expectLedgerMatches(mb._id);
    expect(await find('members', { openid: { $in: [a, b] }, mergedInto: { $exists: false } })).toHaveLength(1);
  });

  it('refuses a phone code that WeChat did not issue', async () => {
    const openid = fresh();
    await member(openid);
    const r = await cloud.call('member', { action: 'bindPhone', code: '13800138000' }, openid);
    expect(r.error.code).toBe('PHONE_CODE_INVALID');
  });
});

describe('check-in', () => {
  it('checks in once a day; the second is refused', async () => {
    const openid = fresh();
    await member(openid);
    const first = await cloud.call('member', { action: 'checkin' }, openid);
    expect(first).toMatchObject({ ok: true, data: { streak: 1, points: 5 } });
    const second = await cloud.call('member', { action: 'checkin' }, openid);
    expect(second.error.code).toBe('ALREADY_CHECKED_IN');
    const cal = await cloud.call('member', { action: 'calendar' }, openid);
    expect(cal.data.days).toContain(first.data.day);
    expect(cal.data.checkedInToday).toBe(true);
  });

  it('50 concurrent check-ins by one member: exactly one succeeds, balance exact', async () => {
    const openid = fresh();
    const { _id } = (await member(openid)).data.member;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cloud.call('member', { action: 'checkin' }, openid)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => r.error.code === 'ALREADY_CHECKED_IN')).toBe(true);
    expect(await find('checkins', { memberId: _id })).toHaveLength(1);
    const [m] = await find('members', { _id });
    expect(m.points).toBe(results.find((r) => r.ok).data.points);
    await expectLedgerMatches(_id);
  });

  it('make-up check-in costs points and refuses when points are short', async () => {
    const openid = fresh();
    const { _id } = (await member(openid)).data.member;
    const today = (await cloud.call('member', { action: 'calendar' }, openid)).data.today as string;
    const twoDaysAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 2 * 86400000).toISOString().slice(0, 10);
    const poor = await cloud.call('member', { action: 'makeup', day: twoDaysAgo }, openid);
    expect(poor.error.code).toBe('INSUFFICIENT_POINTS');
    expect(await find('checkins', { memberId: _id })).toHaveLength(0);
    await put('members', [{ ...(await find('members', { _id }))[0], points: 100, pointsBuckets: { 2099: 100 } }]);
    await put('points_ledger', [
      {
        _id: `${_id}:grant:test`,
        memberId: _id,
        delta: 100,
        balanceAfter: 100,
        source: 'grant',
        refId: 'test',
        createdAt: 1,
      },
    ]);
    const ok = await cloud.call('member', { action: 'makeup', day: twoDaysAgo }, openid);
    expect(ok).toMatchObject({ ok: true, data: { cost: 20, points: 5 } });
    expect((await member(openid)).data.member.points).toBe(85);
    await expectLedgerMatches(_id);
    expect((await cloud.call('member', { action: 'makeup', day: today }, openid)).error.code).toBe(
      'MAKEUP_NOT_ALLOWED',
    );
  });
});

describe('points mall', () => {
  async function memberWithPoints(points: number) {
    const openid = fresh();
    const { _id } = (await member(openid)).data.member;
    const [m] = await find('members', { _id });
    await put('members', [{ ...m, points, pointsBuckets: { 2099: points } }]);
    await put('points_ledger', [
      {
        _id: `${_id}:grant:test`,
        memberId: _id,
        delta: points,
        balanceAfter: points,
        source: 'grant',
        refId: 'test',
        createdAt: 1,
      },
    ]);
    return { openid, _id };
  }

  it('redeems a coupon: points down, stock down, coupon issued; a replayed request does not charge twice', async () => {
    const { openid, _id } = await memberWithPoints(1000);
    const [before] = await find('mall_items', { _id: 'mi_coupon10' });
    const r = await cloud.call(
      'member',
      { action: 'redeem', itemId: 'mi_coupon10', requestId: 'req-coupon-0001' },
      openid,
    );
    expect(r).toMatchObject({ ok: true, data: { points: 300, balance: 700 } });
    const again = await cloud.call(
      'member',
      { action: 'redeem', itemId: 'mi_coupon10', requestId: 'req-coupon-0001' },
      openid,
    );
    expect(again.data.replayed).toBe(true);
    expect((await find('mall_items', { _id: 'mi_coupon10' }))[0].stock).toBe(before.stock - 1);
    expect(await find('member_coupons', { memberId: _id })).toHaveLength(1);
    expect((await member(openid)).data.member.points).toBe(700);
    await expectLedgerMatches(_id);
  });

  it('50 concurrent redemptions of a limit-1 item by one member: exactly one', async () => {
    const { openid, _id } = await memberWithPoints(100000);
    const [before] = await find('mall_items', { _id: 'mi_mug' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        cloud.call(
          'member',
          { action: 'redeem', itemId: 'mi_mug', requestId: `req-mug-${String(i).padStart(4, '0')}` },
          openid,
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => r.error.code === 'LIMIT_REACHED')).toBe(true);
    expect((await find('mall_items', { _id: 'mi_mug' }))[0].stock).toBe(before.stock - 1);
    expect((await member(openid)).data.member.points).toBe(100000 - 1200);
    await expectLedgerMatches(_id);
  });

  it('30 members redeeming one item at once all succeed (its stock is never in their transactions)', async () => {
    const members = await Promise.all(Array.from({ length: 30 }, () => memberWithPoints(1000)));
    const [before] = await find('mall_items', { _id: 'mi_coupon10' });
    const redeem = (openid: string, i: number) =>
      cloud.call(
        'member',
        { action: 'redeem', itemId: 'mi_coupon10', requestId: `req-many-${String(i).padStart(4, '0')}` },
        openid,
      );
    const results = await Promise.all(members.map((m, i) => redeem(m.openid, i)));
    expect(results.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    const [after] = await find('mall_items', { _id: 'mi_coupon10' });
    expect([after.stock, after.redeemed]).toEqual([before.stock - 30, before.redeemed + 30]);
    for (const m of members.slice(0, 3)) await expectLedgerMatches(m._id);
  });

  it('refuses with insufficient points and writes nothing', async () => {
    const { openid, _id } = await memberWithPoints(100);
    const [before] = await find('mall_items', { _id: 'mi_bag' });
    const r = await cloud.call('member', { action: 'redeem', itemId: 'mi_bag', requestId: 'req-bag-00001' }, openid);
    expect(r.error.code).toBe('INSUFFICIENT_POINTS');
    expect((await find('mall_items', { _id: 'mi_bag' }))[0].stock).toBe(before.stock);
    expect(await find('redemptions', { memberId: _id })).toHaveLength(0);
    expect(await find('points_ledger', { memberId: _id })).toHaveLength(1);
  });

  it('refuses unknown items', async () => {
    const { openid } = await memberWithPoints(100);
    expect(
      (await cloud.call('member', { action: 'redeem', itemId: 'nope', requestId: 'req-nope-0001' }, openid)).error.code,
    ).toBe('NOT_FOUND');
  });
});

describe('stored value', () => {
  it('a top-up credits pay + bonus once, even when the callback is delivered 5 times', async () => {
    const openid = fresh();
    const { _id } = (await member(openid)).data.member;
    const t = await cloud.call('member', { action: 'topup', packageId: 'sv_500' }, openid);
    expect(t).toMatchObject({ ok: true, data: { pay: 50000, credit: 55000 } });
    expect(t.data.payment.package).toMatch(/^prepay_id=/);
    const confirm = await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: t.data.outTradeNo, times: 5 });
    expect(confirm.data.results.every((r: any) => r.errcode === 0)).toBe(true);
    expect((await member(openid)).data.member.balance).toBe(55000);
    const ledger = await find('balance_ledger', { memberId: _id });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ delta: 55000, balanceAfter: 55000, source: 'topup' });
  });

  it('a client cannot fake the pay callback', async () => {
    const openid = fresh();
    await member(openid);
    const t = await cloud.call('member', { action: 'topup', packageId: 'sv_100' }, openid);
    const forged = await cloud.call(
      'pay',
      { returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: t.data.outTradeNo, totalFee: 10000 },
      openid,
    );
    expect(forged.errcode).not.toBe(0);
    expect((await member(openid)).data.member.balance).toBe(0);
  });

  it('refuses unknown or off-shelf packages', async () => {
    const openid = fresh();
    await member(openid);
    expect((await cloud.call('member', { action: 'topup', packageId: 'sv_nope' }, openid)).error.code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('member code', () => {
  it('a guide scanning a fresh code sees the member; forged and expired codes are refused', async () => {
    const openid = fresh();
    const { _id } = (await member(openid)).data.member;
    const mc = await cloud.call('member', { action: 'memberCode' }, openid);
    expect(mc.data.qr).toMatch(/^data:image\/png;base64,/);
    expect(mc.data.expiresAt - Date.now()).toBeLessThanOrEqual(60_000);
    const scan = await cloud.call('guide', { action: 'scanMember', code: mc.data.code }, 'guide_1');
    expect(scan).toMatchObject({ ok: true, data: { member: { _id }, bound: true, boundToMe: true } });
    const [, exp, sig] = mc.data.code.split('.');
    expect((await cloud.call('guide', { action: 'scanMember', code: `m_1.${exp}.${sig}` }, 'guide_1')).error.code).toBe(
      'MEMBER_CODE_INVALID',
    );
    const old = issueMemberCode(_id, Date.now() - 61_000, LOCAL_ONLY_SECRET).code;
    expect((await cloud.call('guide', { action: 'scanMember', code: old }, 'guide_1')).error.code).toBe(
      'MEMBER_CODE_EXPIRED',
    );
  });

  it('the first guide keeps the customer', async () => {
    const openid = fresh();
    await member(openid);
    const code = async () => (await cloud.call('member', { action: 'memberCode' }, openid)).data.code;
    expect((await cloud.call('guide', { action: 'scanMember', code: await code() }, 'guide_1')).data.bound).toBe(true);
    const second = await cloud.call('guide', { action: 'scanMember', code: await code() }, 'guide_3');
    expect(second.data).toMatchObject({ bound: false, boundToMe: false });
  });
});

describe('bad input and roles', () => {
  it('rejects strings where numbers belong, negative and huge values, with every problem listed', async () => {
    const openid = fresh();
    await member(openid);
    const r = await cloud.call('member', { action: 'pointsLedger', limit: '10', before: -1 }, openid);
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(r.error.details.length).toBe(2);
    expect((await cloud.call('member', { action: 'pointsLedger', limit: 100000 }, openid)).error.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      (await cloud.call('member', { action: 'redeem', itemId: 'mi_mug', requestId: 'x' }, openid)).error.code,
    ).toBe('INVALID_ARGUMENT');
    expect((await cloud.call('member', { action: 'makeup', day: '2026-02-30' }, openid)).error.code).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await cloud.call('member', { action: 'nope' }, openid)).error.code).toBe('UNKNOWN_ACTION');
  });

  it("ignores another member's id in the payload: identity comes only from the context", async () => {
    const openid = fresh();
    const mine = (await member(openid)).data.member;
    const victim = (await find('members', { _id: 'm_2' }))[0];
    const r = await cloud.call('member', { action: 'checkin', memberId: 'm_2', openid: victim.openid }, openid);
    expect(r.ok).toBe(true);
    expect(await find('checkins', { memberId: mine._id })).toHaveLength(1);
    expect((await find('members', { _id: 'm_2' }))[0].points).toBe(victim.points);
  });

  it('consumers cannot call guide or operator actions', async () => {
    const openid = fresh();
    await member(openid);
    expect((await cloud.call('guide', { action: 'scanMember', code: 'a.b.c' }, openid)).error.code).toBe('FORBIDDEN');
    expect((await cloud.call('ops', { action: 'listTiers' }, openid)).error.code).toBe('FORBIDDEN');
    expect((await cloud.call('ops', { action: 'listTiers' }, 'guide_1')).error.code).toBe('FORBIDDEN');
    expect((await cloud.call('ops', { action: 'listTiers' }, 'op_admin')).ok).toBe(true);
  });

  it('operators configure tiers with validation', async () => {
    const bad = await cloud.call(
      'ops',
      {
        action: 'saveTiers',
        tiers: [
          { _id: 't_normal', name: '普通', level: 0, threshold: 10 },
          { _id: 't_x', name: 'X', level: 1, threshold: 5 },
        ],
      },
      'op_admin',
    );
    expect(bad.error.code).toBe('INVALID_ARGUMENT');
    expect(bad.error.details.length).toBeGreaterThanOrEqual(2);
  });
});

describe('nightly job', () => {
  it('expires points whose year has ended and leaves the ledger consistent', async () => {
    const openid = fresh();
    const { _id } = (await member(openid)).data.member;
    const [m] = await find('members', { _id });
    const lastYear = shanghaiYear(Date.now()) - 1;
    await put('members', [{ ...m, points: 80, pointsBuckets: { [lastYear]: 50, 2099: 30 } }]);
    await put('points_ledger', [
      {
        _id: `${_id}:grant:old`,
        memberId: _id,
        delta: 50,
        balanceAfter: 50,
        source: 'grant',
        refId: 'old',
        createdAt: 1,
      },
      {
        _id: `${_id}:grant:new`,
        memberId: _id,
        delta: 30,
        balanceAfter: 80,
        source: 'grant',
        refId: 'new',
        createdAt: 2,
      },
    ]);
    const r = await cloud.admin('/__admin/trigger/member');
    expect(r.data.ok).toBe(true);
    const after = (await find('members', { _id }))[0];
    expect(after.points).toBe(30);
    expect(after.pointsBuckets).toEqual({ 2099: 30 });
    await expectLedgerMatches(_id);
    // Running it again changes nothing.
    await cloud.admin('/__admin/trigger/member');
    expect((await find('members', { _id }))[0].points).toBe(30);
  });
});

describe('ledger paging', () => {
  it('pages through entries that share a millisecond without skipping or repeating any', async () => {
    const openid = fresh();
    const { _id } = (await member(openid)).data.member;
    const at = Date.now() - 1000;
    await put(
      'points_ledger',
      Array.from({ length: 7 }, (_, i) => ({
        _id: `${_id}:grant:same${i}`,
        memberId: _id,
        delta: 1,
        balanceAfter: i + 1,
        source: 'grant',
        refId: `same${i}`,
        createdAt: at,
      })),
    );
    const seen: string[] = [];
    let cursor: { before?: number; beforeId?: string } = {};
    for (let i = 0; i < 10; i++) {
      const page = (await cloud.call('member', { action: 'pointsLedger', limit: 3, ...cursor }, openid)).data;
      seen.push(...page.items.map((e: any) => e._id));
      if (page.nextBefore === null) break;
      cursor = { before: page.nextBefore, beforeId: page.nextBeforeId };
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });
});

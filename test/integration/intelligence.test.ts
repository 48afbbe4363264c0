// Customer intelligence and store guides over the local cloud: tracker, tags, RFM nightly job,
// segments, guide flows and their security — including the abuse cases of the issue.
import { issueMemberCode } from '../../cloudfunctions/src/domain/member-code';
import { addMonthsAt, shanghaiMonth } from '../../cloudfunctions/src/domain/time';
import { LOCAL_ONLY_SECRET } from '../../cloudfunctions/src/lib/secrets';
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';

let cloud: RunningCloud;
let seq = 0;
const fresh = (p = 'ci') => `${p}_${Date.now().toString(36)}_${++seq}`;
const evId = () => `ev${Date.now().toString(36)}${++seq}`;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: true, consumers: 200 });
});
afterAll(async () => {
  await cloud?.stop();
});

const find = async (collection: string, query: object = {}) =>
  (await cloud.admin<{ data: any[] }>('/__admin/db/find', { collection, query, limit: 5000 })).data;
const one = async (collection: string, _id: string) => (await find(collection, { _id }))[0];
const put = (collection: string, docs: object[]) => cloud.admin('/__admin/db/put', { collection, docs });
const track = (openid: string, events: object[]) => cloud.call('crm', { action: 'track', events }, openid);
const newMember = async () => {
  const openid = fresh();
  const { _id } = (await cloud.call('member', { action: 'me' }, openid)).data.member;
  return { openid, _id };
};
const codeOf = async (openid: string) =>
  (await cloud.call('member', { action: 'memberCode' }, openid)).data.code as string;

describe('behavior tracker', () => {
  it('stores valid events once, rejects unknown types, server-only types and future timestamps', async () => {
    const { openid, _id } = await newMember();
    const now = Date.now();
    const batch = [
      { id: evId(), type: 'page_view', ts: now, page: 'pages/index/index', dwellMs: 3000 },
      { id: evId(), type: 'product_view', ts: now, productId: 'p_001', categoryId: 'cat_coffee' },
      { id: evId(), type: 'purchase', ts: now },
      { id: evId(), type: 'teleport', ts: now },
      { id: evId(), type: 'share', ts: now + 3600_000 },
    ];
    const r = await track(openid, batch);
    expect(r.data.accepted).toBe(2);
    expect(r.data.rejected.map((x: any) => x.reason)).toEqual(['SERVER_ONLY_TYPE', 'UNKNOWN_TYPE', 'FUTURE_TIMESTAMP']);
    const again = await track(openid, batch.slice(0, 2));
    expect(again.data).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await find('events', { memberId: _id, origin: 'client' })).toHaveLength(2);
  });

  it('tags interest:X after 3 views of a category, incrementally', async () => {
    const { openid, _id } = await newMember();
    const view = () => ({
      id: evId(),
      type: 'product_view',
      ts: Date.now(),
      productId: 'p_020',
      categoryId: 'cat_beans',
    });
    await track(openid, [view(), view()]);
    expect((await one('members', _id)).tags ?? []).not.toContain('interest:cat_beans');
    const r = await track(openid, [view()]);
    expect(r.data.tags).toContain('interest:cat_beans');
    expect((await one('members', _id)).tags).toContain('interest:cat_beans');
  });

  it('rate-limits a flood from one member without slowing anyone else', async () => {
    const flooder = await newMember();
    const other = await newMember();
    const batch = () =>
      Array.from({ length: 50 }, () => ({ id: evId(), type: 'page_view', ts: Date.now(), page: 'p' }));
    const firstMinute = Math.floor(Date.now() / 60_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => track(flooder.openid, batch())));
    // The limit is per clock minute: a run that happens to straddle a minute gets one budget per minute.
    const minutes = Math.floor(Date.now() / 60_000) - firstMinute + 1;
    const limited = results.filter((r) => !r.ok);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((r) => r.error.code === 'RATE_LIMITED')).toBe(true);
    expect(results.filter((r) => r.ok).reduce((s, r) => s + r.data.accepted, 0)).toBeLessThanOrEqual(120 * minutes);
    const calm = await track(other.openid, [{ id: evId(), type: 'page_view', ts: Date.now(), page: 'p' }]);
    expect(calm).toMatchObject({ ok: true, data: { accepted: 1 } });
  });
});

describe('untrusted keys', () => {
  const view = (categoryId: string) => ({
    id: evId(),
    type: 'product_view',
    ts: Date.now(),
    productId: 'p_001',
    categoryId,
  });
  const refused = (r: any) => expect(r.error?.code).toBe('INVALID_ARGUMENT');
  const categories = async (memberId: string) => Object.keys((await one('members', memberId)).behavior.product_view);

  it('a __proto__ / constructor category is refused with nothing written; the tracker keeps working', async () => {
    const bad = await newMember();
    const before = await one('members', bad._id);
    for (const key of ['__proto__', 'constructor', 'prototype', 'toString']) {
      refused(await track(bad.openid, [view(key)]));
    }
    // A forbidden key anywhere in the payload, even in a field the schema would drop, is refused too.
    const ev = `{"id":"${evId()}","type":"page_view","ts":${Date.now()},"page":"p","__proto__":{"polluted":1}}`;
    refused((await cloud.raw('crm', `{"action":"track","events":[${ev}]}`, bad.openid)).body);
    const dotted = `{"id":"${evId()}","type":"page_view","ts":${Date.now()},"a.b":1}`;
    refused((await cloud.raw('crm', `{"action":"track","events":[${dotted}]}`, bad.openid)).body);
    expect(await find('events', { memberId: bad._id })).toHaveLength(0);
    expect(await one('members', bad._id)).toEqual(before);
    // The next callers (same warm instances) are served normally.
    for (let i = 0; i < 3; i++) {
      const next = await newMember();
      const r = await track(next.openid, [view('cat_coffee'), view('cat_coffee'), view('cat_coffee')]);
      expect(r).toMatchObject({ ok: true, data: { accepted: 3 } });
      expect(r.data.tags).toContain('interest:cat_coffee');
      expect(await categories(next._id)).toEqual(['cat_coffee']);
    }
  });

  it('an unknown category is rejected per event, never stored as a new field', async () => {
    const { openid, _id } = await newMember();
    const r = await track(openid, [view('cat_coffee'), view('cat_made_up')]);
    expect(r.data.accepted).toBe(1);
    expect(r.data.rejected).toEqual([expect.objectContaining({ reason: 'UNKNOWN_CATEGORY' })]);
    expect(await categories(_id)).toEqual(['cat_coffee']);
  });

  it('tag names, segment values, message keys and template keys are checked in guide, ops and campaign', async () => {
    const c = (await find('members', { storeId: 'store_1' }))[1];
    const logs = (await find('ops_log', {})).length;
    const campaigns = (await find('campaigns', {})).length;
    for (const tag of ['__proto__', 'constructor', 'a.b', '$where', ' constructor ']) {
      refused(await cloud.call('guide', { action: 'tagCustomer', memberId: c._id, tag }, 'guide_1'));
    }
    expect((await one('members', c._id)).manualTags ?? []).toEqual(c.manualTags ?? []);
    const defs = [{ tagsAll: ['constructor'] }, { tagsAny: ['__proto__'] }, { stages: ['constructor'] }];
    defs.push({ tierIds: ['toString'] } as never);
    for (const def of defs) {
      refused(await cloud.call('ops', { action: 'previewSegment', def }, 'op_admin'));
      refused(await cloud.call('ops', { action: 'saveSegment', name: '坏人群', def }, 'op_admin'));
    }
    const base = { action: 'saveCampaign', name: '坏活动', kind: 'recall', segment: {}, schedule: { type: 'now' } };
    Object.assign(base, { offer: { couponTemplateId: null } });
    const bad = [
      { ...base, message: { templateKey: 'constructor', page: 'pages/index/index', data: { thing1: 'x' } } },
      { ...base, message: { templateKey: 'campaign', page: 'pages/index/index', data: { 'a.b': 'x' } } },
      { ...base, message: { templateKey: 'campaign', page: 'pages/index/index', data: { $set: 'x' } } },
      { ...base, message: null, offer: { couponTemplateId: 'ct_new' }, schedule: { type: 'now', 'x.y': 1 } },
    ];
    for (const c2 of bad) refused(await cloud.call('campaign', c2, 'op_admin'));
    const consumer = (await newMember()).openid;
    refused(await cloud.call('campaign', { action: 'subscribed', results: { constructor: 'accept' } }, consumer));
    expect((await find('ops_log', {})).length).toBe(logs);
    expect((await find('campaigns', {})).length).toBe(campaigns);
    // Everything still answers normally afterwards.
    expect((await cloud.call('guide', { action: 'customers' }, 'guide_1')).ok).toBe(true);
    const seg = await cloud.call('ops', { action: 'previewSegment', def: { tagsAny: ['buyer'] } }, 'op_admin');
    expect(seg.data.summary).toBe('任一标签：已购');
    expect((await cloud.call('campaign', { action: 'listCampaigns' }, 'op_admin')).ok).toBe(true);
  });
});

describe('nightly RFM, stage and tags', () => {
  it('scores every buyer into one of the 8 layers, monotonic in monetary value, resuming from a cursor', async () => {
    const job = await one('jobs', 'crm-nightly');
    await put('jobs', [{ ...job, day: '2000-01-01' }]);
    // Chunks of 50 with a tiny budget: one chunk per invocation, resumed from the saved cursor.
    let r: any;
    let invocations = 0;
    do {
      r = (await cloud.admin('/__admin/trigger/crm', { BudgetMs: 1, Chunk: 50 })).data.data;
      invocations++;
    } while (r.phase !== 'done' && invocations < 50);
    expect(r.phase).toBe('done');
    expect(invocations).toBeGreaterThan(4);
    const members = (await find('members', {})).filter((m) => !m.mergedInto);
    const buyers = members.filter((m) => m.rfm);
    expect(buyers.length).toBeGreaterThan(50);
    expect(new Set(buyers.map((m) => m.rfm.layer)).size).toBeGreaterThanOrEqual(6);
    const byMoney = [...buyers].sort((a, b) => a.rfm.m - b.rfm.m);
    const monthsTotal = (m: any) =>
      Object.values(m.stats.months ?? {}).reduce((s: number, v: any) => s + v.amt, 0) as number;
    for (let i = 1; i < byMoney.length; i++)
      if (byMoney[i].rfm.m > byMoney[i - 1].rfm.m)
        expect(monthsTotal(byMoney[i])).toBeGreaterThanOrEqual(monthsTotal(byMoney[i - 1]) * 0.9);
    for (const m of members) {
      expect(m.tags).toContain(`stage:${m.stage}`);
      if ((m.stats?.orderCount ?? 0) >= 2) expect(m.tags).toContain('repurchase');
    }
  });

  it('the window is the 12 calendar months ending now: a buyer from early in the first month has a layer', async () => {
    const now = Date.now();
    const start = addMonthsAt(now, -12);
    const buyer = (id: string, at: number) => ({
      _id: id,
      openid: `${id}_openid`,
      nickname: '窗口',
      tierId: 't_normal',
      storeId: 'store_1',
      tags: [],
      stats: {
        orderCount: 1,
        paidTotal: 3000,
        firstOrderAt: at,
        lastOrderAt: at,
        categoryIds: ['cat_coffee'],
        months: { [shanghaiMonth(at)]: { n: 1, amt: 3000 } },
      },
    });
    await put('members', [buyer('win_inside', start + 2 * 3600_000), buyer('win_outside', start - 2 * 3600_000)]);
    const job = await one('jobs', 'crm-nightly');
    await put('jobs', [{ ...job, day: '2000-01-01' }]);
    let r: any;
    for (let i = 0; i < 20 && r?.phase !== 'done'; i++) r = (await cloud.admin('/__admin/trigger/crm', {})).data.data;
    expect(r.phase).toBe('done');
    expect((await one('members', 'win_inside')).rfm?.layer).toEqual(expect.any(String));
    expect((await one('members', 'win_outside')).rfm ?? null).toBeNull();
    // Every seeded buyer whose last order is inside the window has one of the 8 layers, nobody else has one.
    const members = (await find('members', {})).filter((m) => !m.mergedInto);
    const inWindow = (m: any) => (m.stats?.lastOrderAt ?? 0) >= addMonthsAt(Date.now(), -12);
    expect(members.filter((m) => inWindow(m) && !m.rfm).map((m) => m._id)).toEqual([]);
    expect(members.filter((m) => !inWindow(m) && m.rfm && m._id !== 'win_inside').map((m) => m._id)).toEqual([]);
  });

  it('a paid order updates the buyer aggregates and business tags at once', async () => {
    const { openid, _id } = await newMember();
    const r = await cloud.call(
      'shop',
      {
        action: 'placeOrder',
        requestId: `req${Date.now().toString(36)}x1`,
        fulfilment: 'pickup',
        storeId: 'store_1',
        lines: [{ skuId: 'p_001_1', qty: 1 }],
      },
      openid,
    );
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: r.data.order._id });
    const m = await one('members', _id);
    expect(m.tags).toEqual(expect.arrayContaining(['buyer', 'bought:cat_coffee']));
    expect(Object.values(m.stats.months)).toEqual([{ n: 1, amt: r.data.order.payAmount }]);
    expect(await find('events', { memberId: _id, type: 'purchase', origin: 'server' })).toHaveLength(1);
  });
});

describe('segments', () => {
  it('counts and samples in the database, matching an independent count', async () => {
    const def = { rfmLayers: ['重要挽留客户', '重要保持客户'], storeIds: ['store_1', 'store_2'] };
    const r = await cloud.call('ops', { action: 'previewSegment', def }, 'op_admin');
    const expected = (await find('members', {})).filter(
      (m) =>
        !m.mergedInto && !m.staffAccount && def.rfmLayers.includes(m.rfm?.layer) && def.storeIds.includes(m.storeId),
    );
    expect(r.data.count).toBe(expected.length);
    expect(r.data.sample.length).toBe(Math.min(10, expected.length));
    const saved = await cloud.call('ops', { action: 'saveSegment', name: '重要挽留', def }, 'op_admin');
    expect(saved.data.count).toBe(expected.length);
    expect(
      (await cloud.call('ops', { action: 'previewSegment', def: { minOrders: 'many' } }, 'op_admin')).error.code,
    ).toBe('INVALID_ARGUMENT');
  });
});

describe('store guides', () => {
  it('a consumer calling guide or operator actions is FORBIDDEN', async () => {
    const { openid } = await newMember();
    for (const [fn, action] of [
      ['guide', 'customers'],
      ['guide', 'myCode'],
      ['ops', 'previewSegment'],
      ['ops', 'listStaff'],
      ['ops', 'reassignCustomer'],
    ] as const) {
      expect((await cloud.call(fn, { action, def: {}, memberId: 'm_1', guideId: 'guide_1' }, openid)).error.code).toBe(
        'FORBIDDEN',
      );
    }
  });

  it('a guide sees only their store’s customers', async () => {
    const list = await cloud.call('guide', { action: 'customers' }, 'guide_1');
    expect(list.data.total).toBeGreaterThan(0);
    const storeOf = new Map((await find('members', {})).map((m) => [m._id, m.storeId]));
    expect(list.data.customers.every((c: any) => storeOf.get(c._id) === 'store_1')).toBe(true);
    const other = (await find('members', { storeId: 'store_2' }))[0];
    expect((await cloud.call('guide', { action: 'customer', memberId: other._id }, 'guide_1')).error.code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await cloud.call('guide', { action: 'tagCustomer', memberId: other._id, tag: '爱喝拿铁' }, 'guide_1')).error
        .code,
    ).toBe('NOT_FOUND');
    expect((await cloud.call('guide', { action: 'customer', memberId: other._id }, 'guide_3')).ok).toBe(true);
  });

  it('the guide QR binds a new customer; the first guide keeps them until an operator reassigns', async () => {
    const qr = await cloud.call('guide', { action: 'myCode' }, 'guide_2');
    expect(qr.data.scene).toMatch(/^g=[0-9A-Za-z]{10}$/);
    expect(qr.data.qr).toMatch(/^data:image\/png;base64,/);
    const openid = fresh();
    await cloud.call('member', { action: 'me', launch: { scene: 1047, query: { scene: qr.data.scene } } }, openid);
    const m = (await find('members', { openid }))[0];
    expect([m.guideId, m.storeId]).toEqual(['guide_2', 'store_1']);
    const scan = await cloud.call('guide', { action: 'scanMember', code: await codeOf(openid) }, 'guide_3');
    expect(scan.data).toMatchObject({ bound: false, boundToMe: false });
    expect((await one('members', m._id)).guideId).toBe('guide_2');
    const moved = await cloud.call(
      'ops',
      { action: 'reassignCustomer', memberId: m._id, guideId: 'guide_3' },
      'op_admin',
    );
    expect(moved.data).toMatchObject({ guideId: 'guide_3', storeId: 'store_2' });
    expect(await find('ops_log', { what: 'reassignCustomer', ref: m._id })).toHaveLength(1);
  });

  it("shows a customer's recent orders with what was paid for each (from the order's price breakdown)", async () => {
    const buyer = (await find('members', { storeId: 'store_1' })).find((m: any) => m.stats?.orderCount > 0);
    const page = await cloud.call('guide', { action: 'customer', memberId: buyer._id }, 'guide_1');
    expect(page.ok).toBe(true);
    expect(page.data.orders.length).toBeGreaterThan(0);
    expect(page.data.orders.some((o: any) => o.payAmount > 0)).toBe(true);
    for (const o of page.data.orders) {
      const stored = await one('orders', o._id);
      expect(o).toEqual({
        _id: stored._id,
        status: stored.status,
        payAmount: stored.price.payAmount,
        createdAt: stored.createdAt,
        lines: stored.lines.map((l: any) => ({ name: l.name, qty: l.qty })),
      });
    }
    expect(page.data.customer.nickname).not.toBe('');
  });

  it('manual tags record who and when and are visible to segments at once', async () => {
    const c = (await find('members', { storeId: 'store_1' }))[0];
    const r = await cloud.call('guide', { action: 'tagCustomer', memberId: c._id, tag: '爱喝燕麦拿铁' }, 'guide_1');
    expect(r.data.manualTags.find((t: any) => t.tag === '爱喝燕麦拿铁')).toMatchObject({ by: 'guide_1' });
    const seg = await cloud.call(
      'ops',
      { action: 'previewSegment', def: { tagsAll: ['manual:爱喝燕麦拿铁'] } },
      'op_admin',
    );
    expect(seg.data.count).toBe(1);
    await cloud.call('guide', { action: 'untagCustomer', memberId: c._id, tag: '爱喝燕麦拿铁' }, 'guide_1');
    expect((await one('members', c._id)).tags).not.toContain('manual:爱喝燕麦拿铁');
    const note = await cloud.call(
      'guide',
      { action: 'noteCustomer', memberId: c._id, text: '周末常来，喜欢靠窗位置' },
      'guide_1',
    );
    expect(note.ok).toBe(true);
    expect((await cloud.call('guide', { action: 'customer', memberId: c._id }, 'guide_1')).data.notes[0].text).toBe(
      '周末常来，喜欢靠窗位置',
    );
  });

  it('records an in-store purchase for points once, refusing forged and expired codes', async () => {
    const { openid, _id } = await newMember();
    const code = await codeOf(openid);
    const receiptNo = `till${Date.now().toString(36)}`;
    const r = await cloud.call(
      'guide',
      { action: 'recordPurchase', code, amount: 3800, categoryId: 'cat_coffee', receiptNo },
      'guide_1',
    );
    expect(r.data.earned).toEqual({ points: 38, growth: 38 });
    const again = await cloud.call(
      'guide',
      { action: 'recordPurchase', code, amount: 3800, categoryId: 'cat_coffee', receiptNo },
      'guide_1',
    );
    expect(again.data.replayed).toBe(true);
    expect((await one('members', _id)).points).toBe(38);
    const expired = issueMemberCode(_id, Date.now() - 120_000, LOCAL_ONLY_SECRET).code;
    expect(
      (
        await cloud.call(
          'guide',
          {
            action: 'recordPurchase',
            code: expired,
            amount: 100,
            categoryId: 'cat_coffee',
            receiptNo: 'till-expired-1',
          },
          'guide_1',
        )
      ).error.code,
    ).toBe('MEMBER_CODE_EXPIRED');
    expect(
      (
        await cloud.call(
          'guide',
          {
            action: 'recordPurchase',
            code: `${_id}.zzz.forged`,
            amount: 100,
            categoryId: 'cat_coffee',
            receiptNo: 'till-forged-1',
          },
          'guide_1',
        )
      ).error.code,
    ).toBe('MEMBER_CODE_INVALID');
  });
});

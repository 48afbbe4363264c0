// Campaigns, referral, subscribe messages and dashboards over the local cloud — including the abuse
// cases of the issue. Dashboard numbers are recomputed here independently from the raw documents.
import { shanghaiHour } from '../../cloudfunctions/src/domain/time';
import { RunningCloud, startLocalCloud } from '../helpers/local-cloud';

let cloud: RunningCloud;
let seq = 0;
const fresh = (p = 'cp') => `${p}_${Date.now().toString(36)}_${++seq}`;

beforeAll(async () => {
  cloud = await startLocalCloud({ seed: true, consumers: 300 });
});
afterAll(async () => {
  await cloud?.stop();
});

const find = async (collection: string, query: object = {}) =>
  (await cloud.admin<{ data: any[] }>('/__admin/db/find', { collection, query, limit: 10000 })).data;
const one = async (collection: string, _id: string) => (await find(collection, { _id }))[0];
const put = (collection: string, docs: object[]) => cloud.admin('/__admin/db/put', { collection, docs });
const op = (event: object) => cloud.call('campaign', event, 'op_admin');
const ops = (event: object) => cloud.call('ops', event, 'op_admin');
// Runs the campaign timer until no run is left running (each call is one invocation).
async function drain(extra: object = {}) {
  let last: any;
  for (let i = 0; i < 30; i++) {
    last = (await cloud.admin('/__admin/trigger/campaign', { BudgetMs: 1, Chunk: 40, ...extra })).data.data;
    if (!last.runs.some((r: any) => r.status === 'running')) break;
  }
  return last;
}
// Quiet hours never include the test's own clock hour, so sending proceeds whenever the suite runs.
const openHours = () => {
  const h = shanghaiHour(Date.now());
  return { start: (h + 2) % 24, end: (h + 3) % 24 };
};

async function campaign(segment: object, extra: object = {}) {
  const saved = await op({
    action: 'saveCampaign',
    name: `召回-${++seq}`,
    kind: 'recall',
    segment,
    offer: { couponTemplateId: 'ct_new' },
    message: { templateKey: 'campaign', page: 'pages/index/index', data: { thing1: '老朋友专享券已到账' } },
    schedule: { type: 'now' },
    config: { holdoutPercent: 10, frequencyCapDays: 3, quietHours: openHours(), conversionDays: 7 },
    ...extra,
  });
  expect(saved.ok).toBe(true);
  return saved.data._id as string;
}

describe('recall campaigns', () => {
  it('touches the segment once each, holds out ~10%, sends only with quota, and cannot launch twice', async () => {
    const segment = { storeIds: ['store_1'] };
    const audience = await find('members', { storeId: 'store_1', mergedInto: { $exists: false } });
    // Some members subscribed (quota on our side and on WeChat's), one of them unsubscribed from marketing.
    const withQuota = audience.slice(0, 20);
    await put(
      'subscriptions',
      withQuota.map((m) => ({ _id: `${m._id}:TMPL_CAMPAIGN`, memberId: m._id, templateId: 'TMPL_CAMPAIGN', left: 1 })),
    );
    for (const m of withQuota.slice(0, 15))
      await cloud.admin('/__sandbox/subscribe', { openid: m.openid, templateId: 'TMPL_CAMPAIGN' });
    await put('members', [{ ...audience[1], marketingOptOut: true }]);
    const id = await campaign(segment);
    const preview = await op({ action: 'previewCampaign', id });
    expect(preview.data.audience).toBe(audience.length);
    expect((await op({ action: 'launchCampaign', id })).ok).toBe(true);
    expect((await op({ action: 'launchCampaign', id })).error.code).toBe('CAMPAIGN_ALREADY_LAUNCHED');
    // A member joins the segment while sending: they may be touched, but never twice.
    await drain();
    await drain();
    const touches = await find('campaign_touches', { campaignId: id });
    expect(new Set(touches.map((t) => t.memberId)).size).toBe(touches.length);
    expect(touches.length).toBe(audience.length);
    const holdout = touches.filter((t) => t.group === 'holdout');
    expect(holdout.length).toBeGreaterThan(audience.length * 0.03);
    expect(holdout.length).toBeLessThan(audience.length * 0.2);
    expect(
      await find('member_coupons', { memberId: { $in: holdout.map((t) => t.memberId) }, source: `campaign:${id}` }),
    ).toHaveLength(0);
    // Eligibility comes before the holdout split: an opted-out member is in neither group.
    const optedOut = touches.find((t) => t.memberId === audience[1]._id);
    expect(optedOut).toMatchObject({ status: 'skipped', reason: 'UNSUBSCRIBED' });
    const touched = touches.filter((t) => t.status === 'touched');
    expect(await find('member_coupons', { source: `campaign:${id}` })).toHaveLength(touched.length);
    // Messages: only members with quota got one; WeChat's 43101 zeroes our count for the others.
    const sent = touched.filter((t) => t.message === 'SENT').map((t) => t.memberId);
    const outbox = await (await fetch(`${cloud.url}/__admin/outbox`)).json();
    const openidOf = new Map(audience.map((m) => [m._id, m.openid]));
    expect(
      outbox.data
        .filter((o: any) => o.templateId === 'TMPL_CAMPAIGN')
        .map((o: any) => o.touser)
        .sort(),
    ).toEqual(sent.map((m) => openidOf.get(m)).sort());
    for (const t of touched.filter((x) => x.message === 'REFUSED'))
      expect((await one('subscriptions', `${t.memberId}:TMPL_CAMPAIGN`)).left).toBe(0);
    expect(
      touched.filter((t) => !withQuota.some((m) => m._id === t.memberId)).every((t) => t.message === 'NO_QUOTA'),
    ).toBe(true);
  });

  it('a segment changing mid-send: leavers not yet reached are skipped, joiners are touched once', async () => {
    await put(
      'members',
      Array.from({ length: 30 }, (_, i) => ({
        _id: `seg_${String(i).padStart(3, '0')}`,
        openid: `seg_user_${i}`,
        nickname: '测试',
        tierId: 't_normal',
        storeId: 'store_1',
        tags: ['seg-test'],
        stats: { orderCount: 0 },
      })),
    );
    const id = await campaign(
      { tagsAll: ['seg-test'] },
      { message: null, config: { holdoutPercent: 0, frequencyCapDays: 0, quietHours: openHours(), conversionDays: 7 } },
    );
    await op({ action: 'launchCampaign', id });
    // One invocation, one chunk of 10 members: seg_000 … seg_009.
    await cloud.admin('/__admin/trigger/campaign', { BudgetMs: 1, Chunk: 10 });
    const leaver = await one('members', 'seg_020');
    await put('members', [
      { ...leaver, tags: [] },
      {
        _id: 'seg_999',
        openid: 'seg_user_999',
        nickname: '新加入',
        tierId: 't_normal',
        storeId: 'store_1',
        tags: ['seg-test'],
        stats: { orderCount: 0 },
      },
    ]);
    await drain({ Chunk: 10 });
    await drain({ Chunk: 10 });
    const touched = (await find('campaign_touches', { campaignId: id })).map((t) => t.memberId);
    expect(new Set(touched).size).toBe(touched.length);
    expect(touched).not.toContain('seg_020');
    expect(touched).toContain('seg_999');
    expect(touched).toHaveLength(30);
  });

  it('respects the 3-day frequency cap across campaigns', async () => {
    const segment = { storeIds: ['store_2'] };
    const first = await campaign(segment, { message: null });
    await op({ action: 'launchCampaign', id: first });
    await drain();
    const second = await campaign(segment, { message: null });
    await op({ action: 'launchCampaign', id: second });
    await drain();
    const touchedFirst = (await find('campaign_touches', { campaignId: first, status: 'touched' })).map(
      (t) => t.memberId,
    );
    expect(touchedFirst.length).toBeGreaterThan(0);
    const secondTouches = new Map((await find('campaign_touches', { campaignId: second })).map((t) => [t.memberId, t]));
    // Nobody the first campaign reached is reached again inside 3 days; those the second one meets are capped.
    for (const id of touchedFirst) expect(secondTouches.get(id)?.status).not.toBe('touched');
    const capped = touchedFirst.filter((id) => secondTouches.get(id)?.reason === 'FREQUENCY_CAP');
    expect(capped.length).toBeGreaterThan(touchedFirst.length / 2);
  });

  it('pauses inside quiet hours and schedules the resume for when they end', async () => {
    const h = shanghaiHour(Date.now());
    const id = await campaign(
      { storeIds: ['store_3'] },
      {
        config: {
          holdoutPercent: 10,
          frequencyCapDays: 3,
          quietHours: { start: (h + 23) % 24, end: (h + 2) % 24 },
          conversionDays: 7,
        },
      },
    );
    await op({ action: 'launchCampaign', id });
    const r = await drain();
    expect(r.runs.find((x: any) => x.id.startsWith(id))).toMatchObject({ status: 'paused', touched: 0 });
    const run = (await find('campaign_runs', { campaignId: id }))[0];
    expect(run.resumeAt).toBeGreaterThan(Date.now());
    expect(await find('campaign_touches', { campaignId: id })).toHaveLength(0);
  });

  it('stops cleanly when the coupon budget runs out mid-campaign and reports how far it got', async () => {
    await put('coupon_templates', [
      {
        _id: 'ct_budget',
        name: '预算券',
        kind: 'no_threshold',
        threshold: 0,
        amount: 500,
        percent: null,
        cap: null,
        scope: { type: 'all' },
        validity: { type: 'relative', days: 7 },
        quota: 5,
        issued: 0,
        perMemberLimit: 1,
        status: 'active',
      },
    ]);
    const id = await campaign(
      { storeIds: ['store_1', 'store_2', 'store_3'] },
      {
        offer: { couponTemplateId: 'ct_budget' },
        message: null,
        config: { holdoutPercent: 0, frequencyCapDays: 0, quietHours: openHours(), conversionDays: 7 },
      },
    );
    await op({ action: 'launchCampaign', id });
    await drain();
    const run = (await find('campaign_runs', { campaignId: id }))[0];
    expect(run).toMatchObject({ status: 'stopped', stopReason: 'BUDGET_EXHAUSTED' });
    expect(run.counts.coupons).toBe(5);
    expect((await one('coupon_templates', 'ct_budget')).issued).toBe(5);
    expect(await find('member_coupons', { templateId: 'ct_budget' })).toHaveLength(5);
    // Running the timer again does not restart a stopped run.
    await drain();
    expect(await find('member_coupons', { templateId: 'ct_budget' })).toHaveLength(5);
  });

  it('results show conversion of touched vs holdout and the lift', async () => {
    const id = await campaign(
      { storeIds: ['store_1'] },
      {
        message: null,
        config: { holdoutPercent: 30, frequencyCapDays: 0, quietHours: openHours(), conversionDays: 7 },
      },
    );
    await op({ action: 'launchCampaign', id });
    await drain();
    const touches = await find('campaign_touches', { campaignId: id, status: 'touched' });
    // Two touched members buy after the touch.
    for (const t of touches.slice(0, 2)) {
      const m = await one('members', t.memberId);
      const r = await cloud.call(
        'shop',
        {
          action: 'placeOrder',
          requestId: `conv${Date.now().toString(36)}${++seq}`,
          fulfilment: 'pickup',
          storeId: 'store_1',
          lines: [{ skuId: 'p_002_1', qty: 1 }],
        },
        m.openid,
      );
      await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: r.data.order._id });
    }
    const res = await op({ action: 'campaignResults', id });
    expect(res.data.groups.touched).toMatchObject({ members: touches.length, converted: 2 });
    expect(res.data.groups.holdout.converted).toBe(0);
    expect(res.data.liftPoints).toBeCloseTo(2 / touches.length, 5);
  });

  it('non-operators cannot call any console action', async () => {
    for (const openid of [fresh(), 'guide_1']) {
      if (openid !== 'guide_1') await cloud.call('member', { action: 'me' }, openid);
      for (const action of [
        'saveCampaign',
        'launchCampaign',
        'stopCampaign',
        'listCampaigns',
        'campaignResults',
        'saveReferralRules',
      ]) {
        expect((await cloud.call('campaign', { action, id: 'x' }, openid)).error.code).toBe('FORBIDDEN');
      }
      expect((await cloud.call('ops', { action: 'dashboard' }, openid)).error.code).toBe('FORBIDDEN');
    }
  });
});

// Fresh members for one test, tagged so only that test's campaigns reach them.
async function cohort(tag: string, n: number, extra: (i: number) => object = () => ({})) {
  const docs: any[] = Array.from({ length: n }, (_, i) => ({
    _id: `${tag}_${String(i).padStart(3, '0')}`,
    openid: `${tag}_user_${i}`,
    nickname: '测试',
    tierId: 't_normal',
    storeId: 'store_1',
    tags: [tag],
    stats: { orderCount: 0 },
    ...extra(i),
  }));
  await put('members', docs);
  return docs;
}
const open0 = (extra: object = {}) => ({
  holdoutPercent: 0,
  frequencyCapDays: 3,
  quietHours: openHours(),
  conversionDays: 7,
  ...extra,
});

describe('only a real delivery is a touch', () => {
  it('a message nobody can receive touches no one and starts no frequency cap', async () => {
    const members = await cohort('empty', 12);
    const id = await campaign({ tagsAll: ['empty'] }, { offer: { couponTemplateId: null }, config: open0() });
    await op({ action: 'launchCampaign', id });
    await drain();
    const touches = await find('campaign_touches', { campaignId: id });
    expect(touches).toHaveLength(members.length);
    expect(touches.every((t) => t.status === 'not_sent' && t.reason === 'NO_QUOTA')).toBe(true);
    const run = (await find('campaign_runs', { campaignId: id }))[0];
    expect(run.counts).toMatchObject({ touched: 0, messages: 0, notSent: { NO_QUOTA: members.length } });
    for (const m of members) expect((await one('members', m._id)).lastMarketingAt ?? null).toBeNull();
    // So the next campaign (3-day cap) still reaches every one of them.
    const next = await campaign({ tagsAll: ['empty'] }, { message: null, config: open0() });
    await op({ action: 'launchCampaign', id: next });
    await drain();
    const reached = await find('campaign_touches', { campaignId: next, status: 'touched' });
    expect(reached).toHaveLength(members.length);
    expect(await find('member_coupons', { source: `campaign:${next}` })).toHaveLength(members.length);
  });
});

describe('entitlements are not marketing', () => {
  it('the birthday gift reaches capped and opted-out members, starts no cap, and is never given twice', async () => {
    const now = Date.now();
    const members = await cohort('gift', 6, (i) => ({
      tierId: i < 5 ? 't_silver' : 't_normal',
      lastMarketingAt: i < 3 ? now - 3600_000 : null,
      marketingOptOut: i === 3,
    }));
    const birthday = (config: object) =>
      campaign(
        { tagsAll: ['gift'] },
        {
          kind: 'birthday',
          offer: { couponTemplateId: null, tierBirthdayCoupon: true },
          config: { ...open0(), ...config },
        },
      );
    // A 10% holdout setting does not withhold an entitlement.
    const first = await birthday({ holdoutPercent: 50 });
    await op({ action: 'launchCampaign', id: first });
    await drain();
    const touches = await find('campaign_touches', { campaignId: first });
    for (const m of members.slice(0, 5)) {
      expect(touches.find((t) => t.memberId === m._id)).toMatchObject({ status: 'touched', group: 'touched' });
      const coupons = await find('member_coupons', { memberId: m._id, templateId: 'ct_birthday' });
      expect(coupons).toHaveLength(1);
      expect((await one('members', m._id)).lastMarketingAt ?? null).toBe(m.lastMarketingAt);
    }
    // A member whose tier has no gift is not touched at all.
    const normal = touches.find((t) => t.memberId === members[5]._id);
    expect(normal).toMatchObject({ status: 'not_sent', reason: 'NO_ENTITLEMENT' });
    // The opted-out member got the gift but no marketing message; nobody had quota anyway.
    expect(touches.find((t) => t.memberId === members[3]._id)?.message ?? null).toBeNull();
    // A second birthday campaign in the same year gives nothing again.
    const second = await birthday({});
    await op({ action: 'launchCampaign', id: second });
    await drain();
    for (const m of members.slice(0, 5)) {
      expect(await find('member_coupons', { memberId: m._id, templateId: 'ct_birthday' })).toHaveLength(1);
    }
    const again = await find('campaign_touches', { campaignId: second });
    expect(again.filter((t) => t.status === 'skipped').map((t) => t.reason)).toEqual(Array(5).fill('ALREADY_GRANTED'));
  });
});

describe('holdout stays clean', () => {
  it("a campaign's holdout gets nothing from overlapping campaigns during its conversion window", async () => {
    const members = await cohort('hold', 60);
    const config = open0({ holdoutPercent: 30, frequencyCapDays: 0 });
    const recall = await campaign({ tagsAll: ['hold'] }, { message: null, config });
    await op({ action: 'launchCampaign', id: recall });
    await drain();
    const held = (await find('campaign_touches', { campaignId: recall, status: 'holdout' })).map((t) => t.memberId);
    expect(held.length).toBeGreaterThan(5);
    // Another campaign to the same members right away, without a frequency cap and without its own holdout.
    const other = await campaign({ tagsAll: ['hold'] }, { message: null, config: open0({ frequencyCapDays: 0 }) });
    await op({ action: 'launchCampaign', id: other });
    await drain();
    expect(await find('member_coupons', { memberId: { $in: held }, source: `campaign:${other}` })).toHaveLength(0);
    const skipped = await find('campaign_touches', { campaignId: other, memberId: { $in: held } });
    expect(skipped.map((t) => [t.status, t.reason])).toEqual(held.map(() => ['skipped', 'HELD_OUT']));
    const reached = await find('campaign_touches', { campaignId: other, status: 'touched' });
    expect(reached).toHaveLength(members.length - held.length);
    const res = await op({ action: 'campaignResults', id: recall });
    expect(res.data).toMatchObject({ holdoutContaminated: 0, liftClean: true });
    expect(res.data.groups.holdout.members).toBe(held.length);
  });
});

describe('referral', () => {
  it('rewards both on phone binding, the inviter again on the first paid order; a refund takes that back', async () => {
    // Inviter and invitee are both rewarded once the invitee binds a phone.
    const inviter = fresh('inv');
    const { _id: inviterId } = (await cloud.call('member', { action: 'me' }, inviter)).data.member;
    const invitee = fresh('new');
    const joined = await cloud.call('member', { action: 'me', launch: { query: { inviter: inviterId } } }, invitee);
    expect(joined.data.referral).toMatchObject({ ok: true, rewarded: false, pending: true });
    expect(joined.data.member.points).toBe(0);
    expect((await one('members', inviterId)).points).toBe(0);
    const bound = await cloud.call(
      'member',
      { action: 'bindPhone', code: `sandbox:137${String(Date.now()).slice(-8)}` },
      invitee,
    );
    expect(bound.data.referralRewarded).toBe(true);
    expect((await cloud.call('member', { action: 'me' }, invitee)).data.member.points).toBe(50);
    expect((await one('members', inviterId)).points).toBe(50);
    const order = await cloud.call(
      'shop',
      {
        action: 'placeOrder',
        requestId: `ref${Date.now().toString(36)}`,
        fulfilment: 'pickup',
        storeId: 'store_1',
        lines: [{ skuId: 'p_002_1', qty: 1 }],
      },
      invitee,
    );
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: order.data.order._id, times: 3 });
    expect((await one('members', inviterId)).points).toBe(250);
    await ops({ action: 'refundOrder', id: order.data.order._id, reason: '测试退款' });
    expect((await one('members', inviterId)).points).toBe(50);
    const ledger = await find('points_ledger', { memberId: inviterId });
    expect(ledger.reduce((s, e) => s + e.delta, 0)).toBe(50);
  });

  it('refuses self-invites, existing members and loops (A invites B, B invites A)', async () => {
    const a = fresh('a');
    const { _id: aId } = (await cloud.call('member', { action: 'me' }, a)).data.member;
    expect(
      (await cloud.call('member', { action: 'me', launch: { query: { inviter: aId } } }, a)).data.referral,
    ).toMatchObject({ ok: false, code: 'SELF_INVITE' });
    const b = fresh('b');
    const bJoin = await cloud.call('member', { action: 'me', launch: { query: { inviter: aId } } }, b);
    expect(bJoin.data.referral.ok).toBe(true);
    const loop = await cloud.call('member', { action: 'me', launch: { query: { inviter: bJoin.data.member._id } } }, a);
    expect(loop.data.referral).toMatchObject({ ok: false, code: 'NOT_NEW_MEMBER' });
    expect(await one('referrals', aId)).toBeUndefined();
  });

  it('caps rewarded invites per inviter per day, and one inviter per invitee', async () => {
    await cloud.call(
      'campaign',
      {
        action: 'saveReferralRules',
        rules: {
          inviterPointsOnJoin: 10,
          inviteePointsOnJoin: 10,
          inviterPointsOnFirstOrder: 0,
          dailyCapPerInviter: 3,
        },
      },
      'op_admin',
    );
    const inv = fresh('cap');
    const { _id: inviterId } = (await cloud.call('member', { action: 'me' }, inv)).data.member;
    // Config is cached for 30 s in a warm instance; this instance just wrote it, so it applies at once.
    const friends = Array.from({ length: 8 }, () => fresh('f'));
    const joins = await Promise.all(
      friends.map((f) => cloud.call('member', { action: 'me', launch: { query: { inviter: inviterId } } }, f)),
    );
    expect(joins.every((r) => r.data.referral.pending)).toBe(true);
    // The rewards (and the cap) come when the friends bind their phones.
    const base = Number(String(Date.now()).slice(-7));
    const results = await Promise.all(
      friends.map((f, i) =>
        cloud.call('member', { action: 'bindPhone', code: `sandbox:136${String(base + i).padStart(8, '0')}` }, f),
      ),
    );
    expect(results.filter((r) => r.data.referralRewarded)).toHaveLength(3);
    expect((await one('members', inviterId)).points).toBe(30);
    const board = await cloud.call('campaign', { action: 'leaderboard' }, inv);
    expect(board.ok).toBe(true);
  });
});

describe('subscribe messages', () => {
  it('counts accepted subscriptions per template and never sends without quota', async () => {
    const openid = fresh('sub');
    await cloud.call('member', { action: 'me' }, openid);
    const tpl = (await cloud.call('campaign', { action: 'templates' }, openid)).data.templates.campaign;
    const r = await cloud.call(
      'campaign',
      { action: 'subscribed', results: { [tpl]: 'accept', TMPL_UNKNOWN: 'accept' } },
      openid,
    );
    expect(r.data.quota).toEqual({ [tpl]: 1 });
    const r2 = await cloud.call('campaign', { action: 'subscribed', results: { [tpl]: 'accept' } }, openid);
    expect(r2.data.quota[tpl]).toBe(2);
  });
});

describe('dashboards match the database', () => {
  it('tiers, RFM layers, funnel, rates and LTV equal independent counts of the raw documents', async () => {
    const d = (await ops({ action: 'dashboard' })).data;
    const members = (await find('members', {})).filter((m) => !m.mergedInto && !m.staffAccount);
    const count = (f: (m: any) => boolean) => members.filter(f).length;
    // Whole distributions compared both ways: a group the chart leaves out (or invents) fails, not only a wrong row.
    const tally = (key: (m: any) => string | undefined) => {
      const out: Record<string, number> = {};
      for (const m of members) {
        const k = key(m);
        if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
      }
      return out;
    };
    const chart = (rows: any[], key: string) =>
      Object.fromEntries(rows.filter((r) => r.members > 0).map((r) => [r[key], r.members]));
    expect(Object.keys(tally((m) => m.tierId)).length).toBeGreaterThan(1);
    expect(chart(d.byTier.data, 'tierId')).toEqual(tally((m) => m.tierId));
    expect(
      chart(
        d.byRfm.data.filter((r: any) => r.layer !== '未购/窗口外'),
        'layer',
      ),
    ).toEqual(tally((m) => m.rfm?.layer));
    expect(chart(d.lifecycle.data, 'stage')).toEqual(tally((m) => m.stage));
    expect(d.health.data.members).toBe(members.length);
    expect(d.health.data.repurchaseRate).toBeCloseTo(
      count((m) => (m.stats?.orderCount ?? 0) >= 2) / members.length,
      10,
    );
    expect(d.health.data.multiCategoryRate).toBeCloseTo(
      count((m) => (m.stats?.categoryIds?.length ?? 0) >= 2) / members.length,
      10,
    );
    expect(d.health.data.sameProductRepurchaseRate).toBeCloseTo(
      count((m) => (m.stats?.repeatProducts?.length ?? 0) > 0) / members.length,
      10,
    );
    expect(d.health.data.sameProductRepurchaseRate).toBeLessThanOrEqual(d.health.data.repurchaseRate);
    expect(d.health.data.targets).toEqual({ sameProductRepurchaseRate: 0.3, multiCategoryRate: 0.1 });
    const channel = (m: any) => m.source?.channel ?? 'none';
    expect(chart(d.ltvBySource.data, 'key')).toEqual(tally(channel));
    for (const row of d.ltvBySource.data) {
      const group = members.filter((m) => channel(m) === row.key);
      expect(row.revenue).toBe(group.reduce((s, m) => s + (m.stats?.paidTotal ?? 0), 0));
    }
    const cohortSize = d.cohorts.data.reduce((s: number, c: any) => s + c.size, 0);
    expect(cohortSize).toBe(count((m) => Object.values(m.stats?.months ?? {}).some((v: any) => v.n > 0)));
    expect(d.cohorts.data.length).toBeGreaterThan(0);
    for (const c of d.cohorts.data) expect(c.retention[0]).toBe(1);
  });
});

describe('staff accounts', () => {
  it('a staff member opening the app is told their role and is not counted as a customer', async () => {
    const before = (await ops({ action: 'dashboard', charts: ['health'] })).data.health.data.members;
    const r = await cloud.call('member', { action: 'me' }, 'guide_5');
    expect(r.data.staff).toMatchObject({ role: 'guide', storeId: 'store_3' });
    expect((await ops({ action: 'dashboard', charts: ['health'] })).data.health.data.members).toBe(before);
    expect((await ops({ action: 'previewSegment', def: {} })).data.count).toBe(before);
  });
});

describe('order notice and birthday gift', () => {
  it('a paid order sends the order notice only to a buyer with quota, once', async () => {
    const openid = fresh('paid');
    const { _id } = (await cloud.call('member', { action: 'me' }, openid)).data.member;
    await cloud.call('campaign', { action: 'subscribed', results: { TMPL_ORDER_PAID: 'accept' } }, openid);
    await cloud.admin('/__sandbox/subscribe', { openid, templateId: 'TMPL_ORDER_PAID' });
    const order = await cloud.call(
      'shop',
      {
        action: 'placeOrder',
        requestId: `note${Date.now().toString(36)}`,
        fulfilment: 'pickup',
        storeId: 'store_1',
        lines: [{ skuId: 'p_002_1', qty: 1 }],
      },
      openid,
    );
    await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: order.data.order._id, times: 3 });
    const outbox = (await (await fetch(`${cloud.url}/__admin/outbox`)).json()).data.filter(
      (o: any) => o.touser === openid,
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      templateId: 'TMPL_ORDER_PAID',
      page: `package-shop/pages/order-detail/index?id=${order.data.order._id}`,
    });
    expect((await one('subscriptions', `${_id}:TMPL_ORDER_PAID`)).left).toBe(0);
  });

  it("the birthday campaign gives each member their tier's birthday coupon", async () => {
    const pick = async (tierId: string) =>
      (await find('members', { tierId, mergedInto: { $exists: false } })).slice(0, 3);
    const members = [...(await pick('t_normal')), ...(await pick('t_silver'))];
    expect(members.filter((m) => m.tierId === 't_silver').length).toBeGreaterThan(0);
    await put(
      'members',
      members.map((m) => ({ ...m, tags: [...(m.tags ?? []), 'bday-test'], lastMarketingAt: null })),
    );
    const id = await campaign(
      { tagsAll: ['bday-test'] },
      {
        kind: 'birthday',
        offer: { couponTemplateId: null, tierBirthdayCoupon: true },
        message: null,
        config: { holdoutPercent: 0, frequencyCapDays: 0, quietHours: openHours(), conversionDays: 7 },
      },
    );
    await op({ action: 'launchCampaign', id });
    await drain();
    for (const m of members) {
      const got = await find('member_coupons', { memberId: m._id, source: `campaign:${id}` });
      expect(got.map((c) => c.templateId)).toEqual(m.tierId === 't_silver' ? ['ct_birthday'] : []);
    }
  });
});

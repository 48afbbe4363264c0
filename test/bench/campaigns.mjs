// Campaign and dashboard figures: sending one campaign to 100,000 members (invocations at 60 s,
// DB calls per member touched, wall time) and each dashboard chart over the 2,000-member seed and
// over 100,000 members (DB calls and wall time per chart).
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { members, report, spawnCloud, startCloud } from './lib.mjs';

const require = createRequire(import.meta.url);

async function cloudWith(n, now) {
  const { Engine } = require('../../cloudfunctions/local-cloud/dist/bench-engine.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-camp-'));
  const eng = new Engine.Engine({ dir });
  const tiers = [{ _id: 't_normal', name: '普通会员', level: 0, threshold: 0 }];
  eng.replaceAll({
    members: [...members(n, now)].map((m, i) => ({
      ...m,
      stage: ['new', 'first_order', 'repurchase', 'loyal', 'at_risk', 'lost'][i % 6],
      rfm: m.stats.orderCount ? { layer: '重要挽留客户', r: 1, f: 1, m: 5 } : null,
      guideId: `guide_${1 + (i % 6)}`,
      tags: [],
    })),
    tiers,
    subscriptions: [...members(Math.floor(n / 10), now)].map((m) => ({
      _id: `${m._id}:TMPL_CAMPAIGN`,
      memberId: m._id,
      templateId: 'TMPL_CAMPAIGN',
      left: 1,
    })),
    coupon_templates: [
      {
        _id: 'ct_bench',
        name: '召回券',
        kind: 'no_threshold',
        threshold: 0,
        amount: 500,
        percent: null,
        cap: null,
        scope: { type: 'all' },
        validity: { type: 'relative', days: 7 },
        quota: n * 2,
        issued: 0,
        perMemberLimit: 1,
        status: 'active',
      },
    ],
    staff: [{ _id: 'op_admin', openid: 'op_admin', role: 'operator', active: true, storeId: null, name: 'op' }],
  });
  eng.close();
  const { child, url } = await spawnCloud({ dataDir: dir, nodeArgs: ['--max-old-space-size=12000'] });
  child.stderr.pipe(process.stderr);
  const post = async (p, body, openid) =>
    (
      await fetch(`${url}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
        body: JSON.stringify(body ?? {}),
      })
    ).json();
  const stats = async () => (await (await fetch(`${url}/__admin/stats`)).json()).data.db;
  const stop = async () => {
    await new Promise((res) => {
      child.once('exit', res);
      child.kill('SIGTERM');
    });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { post, stats, stop };
}

async function dashboardFigures(post, rows, label) {
  for (const chart of ['byTier', 'byRfm', 'lifecycle', 'health', 'ltvBySource', 'ltvByGuide', 'cohorts']) {
    const t0 = performance.now();
    const r = await post('/fn/ops', { action: 'dashboard', charts: [chart] }, 'op_admin');
    const ms = performance.now() - t0;
    rows[`dashboard ${chart} over ${label}`] = `${r.data[chart].dbCalls} DB calls, ${ms.toFixed(0)} ms`;
  }
}

export async function run() {
  const rows = {};
  const now = Date.now();
  const h = require('../../cloudfunctions/local-cloud/dist/bench-domain.js').shanghaiHour(now);
  const n = 100000;
  const c = await cloudWith(n, now);
  const saved = await c.post(
    '/fn/campaign',
    {
      action: 'saveCampaign',
      name: 'bench',
      kind: 'recall',
      segment: {},
      offer: { couponTemplateId: 'ct_bench' },
      message: { templateKey: 'campaign', page: 'pages/index/index', data: { thing1: '专享券' } },
      schedule: { type: 'now' },
      config: {
        holdoutPercent: 10,
        frequencyCapDays: 3,
        quietHours: { start: (h + 2) % 24, end: (h + 3) % 24 },
        conversionDays: 7,
      },
    },
    'op_admin',
  );
  await c.post('/fn/campaign', { action: 'launchCampaign', id: saved.data._id }, 'op_admin');
  const before = await c.stats();
  const t0 = Date.now();
  let invocations = 0;
  let r;
  let longest = 0;
  do {
    const t = Date.now();
    r = (await c.post('/__admin/trigger/campaign', { BudgetMs: 50000 })).data.data;
    longest = Math.max(longest, Date.now() - t);
    invocations++;
  } while (r.runs.some((x) => x.status === 'running') && invocations < 100);
  const wall = Date.now() - t0;
  const after = await c.stats();
  const touched = r.runs[0]?.touched ?? 0;
  rows['campaign to 100,000 members: invocations (≤ 50 s each)'] =
    `${invocations} (longest ${(longest / 1000).toFixed(1)} s)`;
  rows['campaign to 100,000: members touched (10% holdout)'] = touched.toLocaleString('en');
  rows['campaign to 100,000: DB calls per member touched'] = (
    (after.calls - before.calls) /
    Math.max(1, touched)
  ).toFixed(2);
  rows['campaign to 100,000: wall time'] = `${(wall / 1000).toFixed(1)} s`;
  await dashboardFigures(c.post, rows, '100,000');
  await c.stop();

  const seed = await startCloud({ consumers: 2000 });
  await dashboardFigures(
    (p, body, openid) =>
      fetch(`${seed.url}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
        body: JSON.stringify(body),
      }).then((x) => x.json()),
    rows,
    'the 2,000 seed',
  );
  await seed.stop();
  report('Campaigns and dashboards', rows);
}

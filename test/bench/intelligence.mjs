// Intelligence figures: the nightly RFM + tags job over 100,000 (and, with --million, 1,000,000)
// generated members on the local cloud — documents read, database calls, invocations at 60 s,
// wall time; RFM scoring throughput in process vs DuckDB on the same data; tracker bytes per event.
import { execSync } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { members, report, spawnCloud } from './lib.mjs';

const require = createRequire(import.meta.url);

async function nightlyOnCloud(n, now) {
  const { Engine } = require('../../cloudfunctions/local-cloud/dist/bench-engine.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-crm-'));
  const eng = new Engine.Engine({ dir });
  eng.replaceAll({
    members: [...members(n, now)],
    categories: ['cat_coffee', 'cat_tea', 'cat_bakery', 'cat_beans', 'cat_gear', 'cat_gift'].map((c, i) => ({
      _id: c,
      name: c,
      sort: i,
    })),
  });
  eng.close();
  const { child, url } = await spawnCloud({ dataDir: dir, nodeArgs: ['--max-old-space-size=12000'] });
  child.stderr.pipe(process.stderr);
  const post = async (p, body) =>
    (
      await fetch(`${url}${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      })
    ).json();
  const before = (await (await fetch(`${url}/__admin/stats`)).json()).data.db;
  const t0 = Date.now();
  let r;
  let invocations = 0;
  const perInvocation = [];
  do {
    const t = Date.now();
    r = (await post('/__admin/trigger/crm', { BudgetMs: 50000 })).data.data;
    perInvocation.push(Date.now() - t);
    invocations++;
  } while (r.phase !== 'done' && invocations < 200);
  const wall = Date.now() - t0;
  const after = (await (await fetch(`${url}/__admin/stats`)).json()).data.db;
  await new Promise((res) => {
    child.once('exit', res);
    child.kill('SIGTERM');
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    invocations,
    wall,
    docsRead: r.docsRead,
    dbCalls: after.calls - before.calls,
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    changed: r.changed,
    longest: Math.max(...perInvocation),
  };
}

async function scoringVsDuckDB(n, now) {
  const rfm = require('../../cloudfunctions/local-cloud/dist/bench-domain.js');
  const rows = [];
  const window = rfm.rfmWindow(now, 12);
  for (const m of members(n, now)) {
    const raw = rfm.rawRfm(m.stats.months, m.stats.lastOrderAt, window);
    if (raw) rows.push(raw);
  }
  const t0 = performance.now();
  const d = { r: {}, f: {}, m: {}, buyers: rows.length };
  for (const x of rows) {
    rfm.addToHistogram(d.r, x.recencyDays);
    rfm.addToHistogram(d.f, x.frequency);
    rfm.addToHistogram(d.m, x.monetary);
  }
  const model = rfm.buildModel(d);
  const layers = {};
  for (const x of rows) {
    const s = rfm.scoreMember(x, model);
    layers[s.layer] = (layers[s.layer] ?? 0) + 1;
  }
  const oursMs = performance.now() - t0;

  const duckDir = path.join(os.tmpdir(), 'duckdb-bench');
  if (!fs.existsSync(path.join(duckDir, 'node_modules', '@duckdb', 'node-api'))) {
    fs.mkdirSync(duckDir, { recursive: true });
    execSync('npm install --no-audit --no-fund --no-save @duckdb/node-api', { cwd: duckDir, stdio: 'ignore' });
  }
  const { DuckDBInstance } = createRequire(path.join(duckDir, 'x.js'))('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run('CREATE TABLE raw(r INTEGER, f INTEGER, m BIGINT)');
  const app = await con.createAppender('raw');
  for (const x of rows) {
    app.appendInteger(x.recencyDays);
    app.appendInteger(x.frequency);
    app.appendBigInt(BigInt(x.monetary));
    app.endRow();
  }
  app.closeSync();
  const sql = `WITH q AS (SELECT quantile_cont(r,[0.2,0.4,0.6,0.8]) qr, quantile_cont(f,[0.2,0.4,0.6,0.8]) qf,
                         quantile_cont(m,[0.2,0.4,0.6,0.8]) qm FROM raw),
    s AS (SELECT 6 - (1 + (r > qr[1])::INT + (r > qr[2])::INT + (r > qr[3])::INT + (r > qr[4])::INT) rs,
                 1 + (f > qf[1])::INT + (f > qf[2])::INT + (f > qf[3])::INT + (f > qf[4])::INT fs,
                 1 + (m > qm[1])::INT + (m > qm[2])::INT + (m > qm[3])::INT + (m > qm[4])::INT ms FROM raw, q),
    mu AS (SELECT avg(rs) ar, avg(fs) af, avg(ms) am FROM s)
    SELECT (rs > ar) rh, (fs > af) fh, (ms > am) mh, count(*) n FROM s, mu GROUP BY ALL`;
  const t1 = performance.now();
  const res = await con.runAndReadAll(sql);
  const duckMs = performance.now() - t1;
  const duckLayers = res.getRowObjects().length;
  return { buyers: rows.length, oursMs, duckMs, layers: Object.keys(layers).length, duckLayers };
}

export async function run({ builds }) {
  void builds;
  const now = Date.now();
  const rows = {};
  const sizes = process.argv.includes('--million') ? [100000, 1000000] : [100000];
  for (const n of sizes) {
    const r = await nightlyOnCloud(n, now);
    const label = n.toLocaleString('en');
    rows[`nightly over ${label} members: invocations (≤ 50 s each)`] =
      `${r.invocations} (longest ${(r.longest / 1000).toFixed(1)} s)`;
    rows[`nightly over ${label}: documents read`] = r.docsRead.toLocaleString('en');
    rows[`nightly over ${label}: DB calls (reads / writes)`] =
      `${r.dbCalls.toLocaleString('en')} (${r.reads.toLocaleString('en')} / ${r.writes.toLocaleString('en')}), ` +
      `members changed ${r.changed.toLocaleString('en')}`;
    rows[`nightly over ${label}: wall time`] = `${(r.wall / 1000).toFixed(1)} s`;
  }
  const s = await scoringVsDuckDB(1000000, now);
  rows['RFM scoring 1M members in process (ours)'] =
    `${s.oursMs.toFixed(0)} ms for ${s.buyers.toLocaleString('en')} buyers → ${s.layers} layers`;
  rows['same layers in DuckDB (quantile_cont + avg)'] = `${s.duckMs.toFixed(0)} ms → ${s.duckLayers} layer groups`;
  rows['ours / DuckDB time ratio'] = `${(s.oursMs / s.duckMs).toFixed(2)}x`;
  const ev = {
    id: 'evlx2k3j4a12',
    type: 'product_view',
    ts: now,
    productId: 'p_012',
    categoryId: 'cat_beans',
    dwellMs: 12000,
  };
  const batch = JSON.stringify({ action: 'track', events: Array.from({ length: 20 }, () => ev) });
  rows['tracker payload per event (batch of 20, JSON)'] = `${(Buffer.byteLength(batch) / 20).toFixed(0)} bytes`;
  report('Customer intelligence', rows);
}

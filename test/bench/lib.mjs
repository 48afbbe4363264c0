// Shared bench helpers: start a local cloud child process on a free port, call functions, read counters.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { fileURLToPath } from 'url';

// The domain's Shanghai calendar and the local cloud's child-process starter (built by build:functions).
const require = createRequire(import.meta.url);
const { shanghaiMonth } = require('../../cloudfunctions/local-cloud/dist/bench-domain.js');
const { seedDataDir, spawnCloud } = require('../../cloudfunctions/local-cloud/dist/spawn.js');
export { spawnCloud };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Baseline functions deployed beside the product's for fair comparisons (same SDK, host and instances).
export const BARE = {
  // One conditional decrement: the no-oversell primitive alone.
  bare_decrement: `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async () => { const db = cloud.database(); const _ = db.command;
  const r = await db.collection('bench_stock').where({ _id: 'x', stock: _.gte(1) })
    .update({ data: { stock: _.inc(-1) } });
  return { ok: r.stats.updated === 1 }; };`,
  // One insert with a unique id: what a check-in must at least do.
  bare_insert: `const cloud = require('wx-server-sdk'); cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async (e) => {
  await cloud.database().collection('bench_ins').add({ data: { _id: e.id } });
  return { ok: true };
};`,
  // A function that does nothing: the cost of HTTP + instance alone.
  noop: `exports.main = async () => ({ ok: true });`,
};

// The product's built functions plus the baselines, in one folder the local cloud loads.
function functionsWithBaselines() {
  const dist = path.join(ROOT, 'cloudfunctions', 'dist');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fns-'));
  for (const fn of fs.readdirSync(dist)) fs.symlinkSync(path.join(dist, fn), path.join(dir, fn));
  for (const [name, code] of Object.entries(BARE)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'index.js'), code);
  }
  return dir;
}

/** Starts a local cloud; `consumers` > 0 seeds the demo data first; baseline functions are deployed too. */
export async function startCloud({ consumers = 0, dataDir, args = [] } = {}) {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cloud-'));
  if (consumers > 0) seedDataDir(dir, consumers);
  const cloud = await spawnCloud({ dataDir: dir, nodeArgs: args, hostArgs: ['--functions', functionsWithBaselines()] });
  cloud.child.stderr.pipe(process.stderr);
  const call = async (fn, event, openid) => {
    const r = await cloud.call(fn, event, openid);
    return { body: r.body, ...r.db };
  };
  const stop = () => {
    cloud.child.kill('SIGTERM');
    return cloud.exited;
  };
  return { url: cloud.url, dir, call, admin: cloud.admin, stop };
}

/** Fires `n` calls at once; returns wall time, req/s, p50/p99 and the bodies. */
export async function burst(n, fire) {
  const lat = [];
  const t0 = performance.now();
  const bodies = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t = performance.now();
      const r = await fire(i);
      lat.push(performance.now() - t);
      return r;
    }),
  );
  const wall = performance.now() - t0;
  lat.sort((a, b) => a - b);
  return { wall, rps: n / (wall / 1000), p50: pct(lat, 50), p99: pct(lat, 99), bodies };
}

/** `calls (reads r, writes w, tx t)` of one measured call. */
export const ops = (r) => `${r.calls} calls (reads ${r.reads}, writes ${r.writes}, tx ${r.tx})`;

/** Percentile of sorted numbers. */
export const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Prints a titled table of figures. */
export function report(title, rows) {
  console.log(`\n## ${title}`);
  for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(48)} ${v}`);
}

const DAY = 86400000;

// Deterministic members with 12 months of monthly aggregates (what the job reads).
export function* members(n, now) {
  let s = 12345;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const cats = ['cat_coffee', 'cat_tea', 'cat_bakery', 'cat_beans', 'cat_gear', 'cat_gift'];
  for (let i = 0; i < n; i++) {
    const buyer = rnd() < 0.7;
    const months = {};
    let count = 0;
    let paid = 0;
    let last = null;
    let first = null;
    if (buyer) {
      const orders = 1 + Math.floor(-Math.log(1 - rnd()) * 2);
      for (let k = 0; k < orders; k++) {
        const at = now - Math.floor(rnd() * 360) * DAY;
        const amt = 1500 + Math.floor(rnd() * 20000);
        const key = shanghaiMonth(at);
        months[key] = { n: (months[key]?.n ?? 0) + 1, amt: (months[key]?.amt ?? 0) + amt };
        count++;
        paid += amt;
        last = Math.max(last ?? 0, at);
        first = Math.min(first ?? at, at);
      }
    }
    const c = buyer ? [cats[i % 6], ...(rnd() < 0.15 ? [cats[(i + 1) % 6]] : [])] : [];
    yield {
      _id: `m_${String(i).padStart(8, '0')}`,
      openid: `bench_${i}`,
      storeId: `store_${1 + (i % 3)}`,
      tierId: 't_normal',
      source: { channel: 'store' },
      gender: 'unknown',
      city: '上海',
      stats: { orderCount: count, paidTotal: paid, firstOrderAt: first, lastOrderAt: last, categoryIds: c, months },
    };
  }
}

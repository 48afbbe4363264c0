// Foundation figures: cold start of a bundled function, bundle sizes, weapp main package size, build times.
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, report, startCloud } from './lib.mjs';

function dirSize(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((s, f) => s + dirSize(path.join(p, f)), 0);
}

function timed(cmd) {
  const t0 = Date.now();
  execSync(cmd, { cwd: ROOT, stdio: 'ignore' });
  return ((Date.now() - t0) / 1000).toFixed(1) + ' s';
}

export async function run({ builds }) {
  const rows = {};
  if (builds) {
    rows['functions build (esbuild, all functions)'] = timed('node cloudfunctions/build/build.mjs');
    rows['weapp build time'] = timed('npm run build:weapp -w client');
    rows['h5 build time'] = timed('npm run build:h5 -w client');
  }
  const distFns = path.join(ROOT, 'cloudfunctions', 'dist');
  for (const fn of fs.readdirSync(distFns))
    rows[`bundle size ${fn}/index.js`] =
      (fs.statSync(path.join(distFns, fn, 'index.js')).size / 1024).toFixed(1) + ' KB';
  const weapp = path.join(ROOT, 'client', 'dist');
  if (fs.existsSync(weapp)) {
    const subs = fs.readdirSync(weapp).filter((d) => d.startsWith('package-'));
    const main = dirSize(weapp) - subs.reduce((s, d) => s + dirSize(path.join(weapp, d)), 0);
    rows['weapp main package (limit 2048 KB)'] = (main / 1024).toFixed(1) + ' KB';
    for (const s of subs) rows[`weapp subpackage ${s}`] = (dirSize(path.join(weapp, s)) / 1024).toFixed(1) + ' KB';
  }
  // Cold start per function with the real SDK: a fresh local cloud, the first call spawns an instance and loads
  // the bundle (require of the bundle and wx-server-sdk), the second call runs on the warm instance.
  const probes = {
    member: [{ action: 'me' }, 'bench_cold'],
    shop: [{ action: 'products' }, 'bench_cold'],
    crm: [{ action: 'track', events: [] }, 'bench_cold'],
    campaign: [{ action: 'leaderboard' }, 'bench_cold'],
    guide: [{ action: 'customers' }, 'guide_1'],
    ops: [{ action: 'listTiers' }, 'op_admin'],
    pay: [{}, ''],
  };
  const samples = {};
  for (let i = 0; i < 3; i++) {
    const cloud = await startCloud({ consumers: i === 0 ? 20 : 0, dataDir: i === 0 ? undefined : samples.dir });
    samples.dir ??= cloud.dir;
    for (const [fn, [event, openid]] of Object.entries(probes)) {
      const t0 = performance.now();
      await cloud.call(fn, event, openid);
      const first = performance.now() - t0;
      const t1 = performance.now();
      await cloud.call(fn, event, openid);
      const warm = performance.now() - t1;
      (samples[fn] ??= []).push({ first, warm });
    }
    const stats = (await cloud.admin('/__admin/stats')).data;
    for (const fn of Object.keys(probes)) samples[fn][samples[fn].length - 1].load = stats.coldStartMs[fn];
    await cloud.stop();
  }
  const med = (list, k) =>
    list
      .map((c) => c[k])
      .sort((a, b) => a - b)[1]
      .toFixed(0);
  for (const fn of Object.keys(probes)) {
    rows[`${fn}: bundle load / first call / warm call (median of 3)`] =
      `${med(samples[fn], 'load')} / ${med(samples[fn], 'first')} / ${med(samples[fn], 'warm')} ms`;
  }
  report('Foundation', rows);
}

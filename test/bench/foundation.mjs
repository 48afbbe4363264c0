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
  for (const fn of fs.readdirSync(distFns)) rows[`bundle size ${fn}/index.js`] = (fs.statSync(path.join(distFns, fn, 'index.js')).size / 1024).toFixed(1) + ' KB';
  const weapp = path.join(ROOT, 'client', 'dist');
  if (fs.existsSync(weapp)) {
    const subs = fs.readdirSync(weapp).filter((d) => d.startsWith('package-'));
    const main = dirSize(weapp) - subs.reduce((s, d) => s + dirSize(path.join(weapp, d)), 0);
    rows['weapp main package (limit 2048 KB)'] = (main / 1024).toFixed(1) + ' KB';
    for (const s of subs) rows[`weapp subpackage ${s}`] = (dirSize(path.join(weapp, s)) / 1024).toFixed(1) + ' KB';
  }
  // Cold start: a fresh local cloud, first call loads the bundle (require + init) then runs it.
  const colds = [];
  for (let i = 0; i < 5; i++) {
    const cloud = await startCloud();
    const t0 = performance.now();
    await cloud.call('member', { action: 'me' }, 'bench_cold');
    const first = performance.now() - t0;
    const t1 = performance.now();
    await cloud.call('member', { action: 'me' }, 'bench_cold');
    const warm = performance.now() - t1;
    const stats = await cloud.admin('/__admin/stats');
    colds.push({ first, warm, load: stats.data.coldStartMs.member });
    await cloud.stop();
  }
  const med = (k) => colds.map((c) => c[k]).sort((a, b) => a - b)[2].toFixed(1);
  rows['member cold start: bundle load (median of 5)'] = med('load') + ' ms';
  rows['member first call incl. load (median of 5)'] = med('first') + ' ms';
  rows['member warm call (median of 5)'] = med('warm') + ' ms';
  report('Foundation', rows);
}

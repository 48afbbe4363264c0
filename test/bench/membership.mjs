// Membership figures: DB operations per check-in and per redemption, check-in throughput under
// 200 concurrent members vs a bare conditional insert on the same emulator.
import { createRequire } from 'module';
import { pct, report, startCloud } from './lib.mjs';

export async function run() {
  const cloud = await startCloud({ consumers: 300 });
  const rows = {};
  // Warm the function so the config cache is filled, as in a warm instance.
  await cloud.call('member', { action: 'me' }, 'user_1');
  await cloud.call('member', { action: 'checkin' }, 'user_1');
  const ck = await cloud.call('member', { action: 'checkin' }, 'user_2');
  rows['check-in: DB reads / writes (warm)'] = `${ck.reads} / ${ck.writes}`;
  await cloud.admin('/__admin/db/put', { collection: 'members', docs: [{ ...(await cloud.admin('/__admin/db/find', { collection: 'members', query: { openid: 'user_3' } })).data[0], points: 5000, pointsBuckets: { 2099: 5000 } }] });
  const rd = await cloud.call('member', { action: 'redeem', itemId: 'mi_drip', requestId: 'bench-redeem-1' }, 'user_3');
  rows['redemption (goods): DB reads / writes'] = `${rd.reads} / ${rd.writes}  (${rd.body.ok ? 'ok' : rd.body.error.code})`;
  const rc = await cloud.call('member', { action: 'redeem', itemId: 'mi_coupon10', requestId: 'bench-redeem-2' }, 'user_3');
  rows['redemption (coupon): DB reads / writes'] = `${rc.reads} / ${rc.writes}  (${rc.body.ok ? 'ok' : rc.body.error.code})`;

  // Throughput: 200 members check in concurrently, full HTTP → function → DB path.
  const openids = Array.from({ length: 200 }, (_, i) => `user_${i + 50}`);
  const lat = [];
  const t0 = performance.now();
  const res = await Promise.all(openids.map(async (o) => { const t = performance.now(); const r = await cloud.call('member', { action: 'checkin' }, o); lat.push(performance.now() - t); return r; }));
  const fullMs = performance.now() - t0;
  const okCount = res.filter((r) => r.body.ok).length;
  lat.sort((a, b) => a - b);
  rows['200 concurrent check-ins: succeeded'] = `${okCount}`;
  rows['200 concurrent check-ins: wall time'] = `${fullMs.toFixed(0)} ms (${(200 / (fullMs / 1000)).toFixed(0)}/s), p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms`;
  await cloud.stop();

  // Baseline: the same emulator, in process, 200 bare conditional inserts (unique _id) — no HTTP, no function.
  const { Engine, Database } = createRequire(import.meta.url)('../../cloudfunctions/local-cloud/dist/bench-engine.js');
  const eng = new Database(new Engine.Engine());
  const t1 = performance.now();
  await Promise.all(Array.from({ length: 200 }, (_, i) => eng.collection('checkins').add({ data: { _id: `m_${i}_2026-11-25`, day: '2026-11-25' } })));
  const bareMs = performance.now() - t1;
  rows['200 bare inserts on the emulator (in process)'] = `${bareMs.toFixed(1)} ms`;
  rows['check-in path vs bare insert (time ratio)'] = `${(fullMs / bareMs).toFixed(1)}x`;
  report('Membership', rows);
}

// Membership figures: server API round trips per check-in and per redemption; 200 concurrent check-ins
// against, in the same run, 200 bare inserts through the same SDK and host.
import { burst, ops, report, startCloud } from './lib.mjs';

export async function run() {
  const cloud = await startCloud({ consumers: 300 });
  const rows = {};
  // Warm the function so the config cache is filled, as in a warm instance.
  await cloud.call('member', { action: 'me' }, 'user_1');
  await cloud.call('member', { action: 'checkin' }, 'user_1');
  rows['check-in (warm)'] = ops(await cloud.call('member', { action: 'checkin' }, 'user_2'));
  const m3 = (await cloud.admin('/__admin/db/find', { collection: 'members', query: { openid: 'user_3' } })).data[0];
  await cloud.admin('/__admin/db/put', {
    collection: 'members',
    docs: [{ ...m3, points: 5000, pointsBuckets: { 2099: 5000 } }],
  });
  const rd = await cloud.call('member', { action: 'redeem', itemId: 'mi_drip', requestId: 'bench-redeem-1' }, 'user_3');
  rows['redemption (goods)'] = `${ops(rd)} ${rd.body.ok ? 'ok' : rd.body.error.code}`;
  const rc = await cloud.call(
    'member',
    { action: 'redeem', itemId: 'mi_coupon10', requestId: 'bench-redeem-2' },
    'user_3',
  );
  rows['redemption (coupon)'] = `${ops(rc)} ${rc.body.ok ? 'ok' : rc.body.error.code}`;

  const ck = await burst(200, (i) => cloud.call('member', { action: 'checkin' }, `user_${i + 50}`));
  rows['200 concurrent check-ins: succeeded'] = String(ck.bodies.filter((r) => r.body.ok).length);
  rows['200 concurrent check-ins: req/s, p50 / p99'] =
    `${ck.rps.toFixed(0)}/s, ${ck.p50.toFixed(0)} / ${ck.p99.toFixed(0)} ms`;
  await cloud.call('bare_insert', { id: 'warm' }, 'bench');
  const bare = await burst(200, (i) => cloud.call('bare_insert', { id: `m_${i}` }, 'bench'));
  rows['200 bare inserts (same SDK and host): req/s'] =
    `${bare.rps.toFixed(0)}/s, ${bare.p50.toFixed(0)} / ${bare.p99.toFixed(0)} ms`;
  rows['check-in throughput vs bare insert'] = `${((ck.rps / bare.rps) * 100).toFixed(0)}%`;
  await cloud.stop();
  report('Membership', rows);
}

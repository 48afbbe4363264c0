// Trade figures: DB operations per order placement and per flash-sale purchase; flash-sale
// throughput over the full HTTP → function → DB path vs a bare conditional decrement loop on the
// same emulator; latency percentiles under 1,000 concurrent buyers.
import { createRequire } from 'module';
import { pct, report, startCloud } from './lib.mjs';

export async function run() {
  const cloud = await startCloud({ consumers: 1200 });
  const rows = {};
  const now = Date.now();
  const put = (collection, docs) => cloud.admin('/__admin/db/put', { collection, docs });
  // Warm each path once (cold start and config cache are not per-order costs).
  await cloud.call('shop', { action: 'placeOrder', requestId: 'warm-order-1', fulfilment: 'pickup', storeId: 'store_1', lines: [{ skuId: 'p_002_1', qty: 1 }] }, 'user_1');
  const o = await cloud.call('shop', { action: 'placeOrder', requestId: 'bench-order-1', fulfilment: 'pickup', storeId: 'store_1', lines: [{ skuId: 'p_002_1', qty: 1 }] }, 'user_2');
  rows['placeOrder (1 line, no benefits): reads / writes'] = `${o.reads} / ${o.writes}`;
  const o2 = await cloud.call('shop', { action: 'placeOrder', requestId: 'bench-order-2', fulfilment: 'pickup', storeId: 'store_1', lines: [{ skuId: 'p_002_1', qty: 1 }, { skuId: 'p_003_1', qty: 2 }], autoCoupon: true, pointsToUse: 100000, useBalance: true }, 'user_3');
  rows['placeOrder (2 lines, coupon+points+balance): reads / writes'] = `${o2.reads} / ${o2.writes}`;
  // The pay callback runs inside the local cloud: its cost is the difference of the global counters
  // (the sandbox's own bookkeeping bypasses the metered API).
  const s0 = (await cloud.admin('/__admin/stats')).data.db;
  await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: o.body.data.order._id });
  const s1 = (await cloud.admin('/__admin/stats')).data.db;
  rows['payment callback (points + growth + stats + tags): reads / writes'] = `${s1.reads - s0.reads} / ${s1.writes - s0.writes}`;

  await put('flash_sales', [{ _id: 'fs_bench', title: 'bench', productId: 'p_001', skuId: 'p_001_1', categoryId: 'cat_coffee', name: '冰美式', listPrice: 2200, price: 990, stock: 100, total: 100, sold: 0, perMemberLimit: 1, startAt: now - 1000, endAt: now + 3600_000, status: 'active' }]);
  const f = await cloud.call('shop', { action: 'flashBuy', saleId: 'fs_bench', requestId: 'bench-flash-1', fulfilment: 'pickup', storeId: 'store_1' }, 'user_4');
  rows['flashBuy: reads / writes'] = `${f.reads} / ${f.writes}`;

  // 1,000 concurrent buyers for 100 units.
  const lat = [];
  const t0 = performance.now();
  const res = await Promise.all(Array.from({ length: 1000 }, async (_, i) => {
    const t = performance.now();
    const r = await cloud.call('shop', { action: 'flashBuy', saleId: 'fs_bench', requestId: `bench-flash-${i + 10}`, fulfilment: 'pickup', storeId: 'store_1' }, `user_${i + 100}`);
    lat.push(performance.now() - t);
    return r;
  }));
  const wall = performance.now() - t0;
  lat.sort((a, b) => a - b);
  rows['1,000 concurrent flash buyers: orders created'] = String(res.filter((r) => r.body.ok).length + 1);
  rows['1,000 concurrent flash buyers: wall time'] = `${wall.toFixed(0)} ms (${(1000 / (wall / 1000)).toFixed(0)} req/s)`;
  rows['1,000 concurrent flash buyers: latency p50 / p99'] = `${pct(lat, 50).toFixed(0)} ms / ${pct(lat, 99).toFixed(0)} ms`;
  await cloud.stop();

  // Baseline: 1,000 conditional decrements on the same emulator in process.
  const { Engine, Database } = createRequire(import.meta.url)('../../cloudfunctions/local-cloud/dist/bench-engine.js');
  const db = new Database(new Engine.Engine());
  await db.collection('s').add({ data: { _id: 'x', stock: 100 } });
  const _ = db.command;
  const t1 = performance.now();
  const bare = await Promise.all(Array.from({ length: 1000 }, () => db.collection('s').where({ _id: 'x', stock: _.gte(1) }).update({ data: { stock: _.inc(-1) } })));
  const bareMs = performance.now() - t1;
  rows['bare conditional decrement x1,000 (in process)'] = `${bareMs.toFixed(1)} ms, ${bare.filter((r) => r.stats.updated).length} succeeded`;
  rows['flash path vs bare decrement (time ratio)'] = `${(wall / bareMs).toFixed(1)}x`;
  report('Trade', rows);
}

// Trade figures: server API round trips per order placement, flash-sale purchase and payment callback;
// 1,000 concurrent flash-sale buyers through the real SDK (HTTP → instance → SDK → /admin) against, in the
// same run, the same host and SDK doing nothing but the conditional decrement, and a no-op function.
import { burst, ops, report, startCloud } from './lib.mjs';

export async function run() {
  const cloud = await startCloud({ consumers: 1200 });
  const rows = {};
  const now = Date.now();
  const put = (collection, docs) => cloud.admin('/__admin/db/put', { collection, docs });
  const order = (requestId, openid, extra = {}) =>
    cloud.call(
      'shop',
      {
        action: 'placeOrder',
        requestId,
        fulfilment: 'pickup',
        storeId: 'store_1',
        lines: [{ skuId: 'p_002_1', qty: 1 }],
        ...extra,
      },
      openid,
    );
  // Warm each path once (cold start and config cache are not per-order costs).
  await order('warm-order-1', 'user_1');
  const o = await order('bench-order-1', 'user_2');
  rows['placeOrder (1 line, no benefits)'] = ops(o);
  const o2 = await order('bench-order-2', 'user_3', {
    lines: [
      { skuId: 'p_002_1', qty: 1 },
      { skuId: 'p_003_1', qty: 2 },
    ],
    autoCoupon: true,
    pointsToUse: 100000,
    useBalance: true,
  });
  rows['placeOrder (2 lines, coupon + points + balance)'] = ops(o2);
  // The pay callback is invoked by the platform: its cost is the difference of the host's counters.
  const s0 = (await cloud.admin('/__admin/stats')).data.db;
  await cloud.admin('/__sandbox/pay/confirm', { outTradeNo: o.body.data.order._id });
  const s1 = (await cloud.admin('/__admin/stats')).data.db;
  rows['payment callback'] = ops({
    calls: s1.calls - s0.calls,
    reads: s1.reads - s0.reads,
    writes: s1.writes - s0.writes,
    tx: s1.tx - s0.tx,
  });

  await put('flash_sales', [
    {
      _id: 'fs_bench',
      title: 'bench',
      productId: 'p_001',
      skuId: 'p_001_1',
      categoryId: 'cat_coffee',
      name: '冰美式',
      listPrice: 2200,
      price: 990,
      stock: 100,
      total: 100,
      sold: 0,
      perMemberLimit: 1,
      startAt: now - 1000,
      endAt: now + 3600_000,
      status: 'active',
    },
  ]);
  const f = await cloud.call(
    'shop',
    { action: 'flashBuy', saleId: 'fs_bench', requestId: 'bench-flash-1', fulfilment: 'pickup', storeId: 'store_1' },
    'user_4',
  );
  rows['flashBuy'] = ops(f);

  const flash = await burst(1000, (i) =>
    cloud.call(
      'shop',
      {
        action: 'flashBuy',
        saleId: 'fs_bench',
        requestId: `bench-flash-${i + 10}`,
        fulfilment: 'pickup',
        storeId: 'store_1',
      },
      `user_${i + 100}`,
    ),
  );
  const stats = (await cloud.admin('/__admin/stats')).data;
  rows['1,000 flash buyers: orders created (100 units)'] = String(flash.bodies.filter((r) => r.body.ok).length + 1);
  rows['1,000 flash buyers: req/s, p50 / p99'] =
    `${flash.rps.toFixed(0)} req/s, ${flash.p50.toFixed(0)} / ${flash.p99.toFixed(0)} ms`;
  rows['shop instances started'] = `${stats.coldStarts.shop} (cap ${20})`;

  // Same run, same host and SDK: 1,000 bare conditional decrements, and 1,000 calls of a no-op function.
  await put('bench_stock', [{ _id: 'x', stock: 100 }]);
  await cloud.call('bare_decrement', {}, 'bench');
  await cloud.call('noop', {}, 'bench');
  const bare = await burst(1000, () => cloud.call('bare_decrement', {}, 'bench'));
  const noop = await burst(1000, () => cloud.call('noop', {}, 'bench'));
  rows['1,000 bare decrements: req/s, p50 / p99'] =
    `${bare.rps.toFixed(0)} req/s, ${bare.p50.toFixed(0)} / ${bare.p99.toFixed(0)} ms` +
    ` (${bare.bodies.filter((r) => r.body.ok).length} took a unit)`;
  rows['1,000 no-op calls: req/s, p50 / p99'] =
    `${noop.rps.toFixed(0)} req/s, ${noop.p50.toFixed(0)} / ${noop.p99.toFixed(0)} ms`;
  rows['flash path throughput vs bare decrement'] = `${((flash.rps / bare.rps) * 100).toFixed(0)}%`;
  await cloud.stop();
  report('Trade', rows);
}

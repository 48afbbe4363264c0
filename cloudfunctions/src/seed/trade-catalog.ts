// The trade catalog an operator would have set up: SKUs per product, a flash sale running today
// and one coming, and group-buy activities — anchored to `now` so the demo always has live activities.
import { activitySku } from '../domain/activities';
import type { Sku } from '../domain/catalog';
import type { CollectionSet as DemoData } from '../domain/documents';
import { dayStart, shanghaiDay } from '../domain/time';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const DRINK_CATEGORIES = new Set(['cat_coffee', 'cat_tea']);

/** A product's SKU specs and what each adds to its prices: drinks in two cup sizes, everything else one. */
export function skuSpecs(categoryId: string): [string, number][] {
  return DRINK_CATEGORIES.has(categoryId)
    ? [
        ['中杯', 0],
        ['大杯', 300],
      ]
    : [['标准', 0]];
}

/** Adds `skus`, `flash_sales` and `group_buys`; product stock becomes the sum of its SKUs. */
export function addTradeCatalog(data: DemoData, now: number): void {
  const skus: Sku[] = [];
  for (const p of data.products ?? []) {
    const { price, memberPrice } = p;
    const stock = p.stock ?? 100;
    const specs = skuSpecs(p.categoryId);
    specs.forEach(([spec, extra], i) => {
      skus.push({
        _id: `${p._id}_${i + 1}`,
        productId: p._id,
        spec,
        price: price + extra,
        memberPrice: memberPrice + extra,
        stock: Math.max(1, Math.floor(stock / specs.length)),
        sales: 0,
        onShelf: true,
      });
    });
    p.stock = skus.filter((s) => s.productId === p._id).reduce((sum, s) => sum + s.stock, 0);
    p.specs = specs.map(([spec]) => spec);
  }
  data.skus = skus;
  const byId = new Map((data.products ?? []).map((p) => [p._id, p]));
  // Each activity sells the product's first SKU, snapshotted as the console's save does.
  const pick = (id: string) => {
    const p = byId.get(id) ?? (data.products ?? [])[0];
    const sku = skus.find((k) => k.productId === p?._id);
    if (!p || !sku) throw new Error('the trade catalog needs at least one product');
    return activitySku(p, sku);
  };
  const productName = (id: string) => byId.get(id)?.name ?? pick(id).name;
  const today = dayStart(shanghaiDay(now));
  const beans = (data.products ?? []).find((p) => p.categoryId === 'cat_beans')?._id ?? 'p_001';
  const gear = (data.products ?? []).find((p) => p.categoryId === 'cat_gear')?._id ?? 'p_001';
  const gift = (data.products ?? []).find((p) => p.categoryId === 'cat_gift')?._id ?? 'p_001';
  const coffee = (data.products ?? []).find((p) => p.categoryId === 'cat_coffee')?._id ?? 'p_001';
  data.flash_sales = [
    {
      _id: 'fs_today',
      title: '今日秒杀 · 精品咖啡豆',
      ...pick(beans),
      price: 3990,
      stock: 100,
      total: 100,
      sold: 0,
      perMemberLimit: 1,
      startAt: today + 10 * HOUR,
      endAt: today + 10 * HOUR + 30 * DAY,
      status: 'active',
      createdAt: now - 2 * DAY,
    },
    {
      _id: 'fs_next',
      title: '明日秒杀 · 手冲壶',
      ...pick(gear),
      price: 9900,
      stock: 30,
      total: 30,
      sold: 0,
      perMemberLimit: 1,
      startAt: today + DAY + 20 * HOUR,
      endAt: today + DAY + 22 * HOUR,
      status: 'active',
      createdAt: now - DAY,
    },
  ];
  data.group_buys = [
    {
      _id: 'gb_gift',
      title: `3 人团 · ${productName(gift)}`,
      ...pick(gift),
      price: 12800,
      groupSize: 3,
      validHours: 24,
      virtualCompletion: false,
      startAt: now - 3 * DAY,
      endAt: now + 30 * DAY,
      status: 'active',
      createdAt: now - 3 * DAY,
    },
    {
      _id: 'gb_latte',
      title: `2 人团 · ${productName(coffee)}`,
      ...pick(coffee),
      price: 1990,
      groupSize: 2,
      validHours: 24,
      virtualCompletion: true,
      startAt: now - 3 * DAY,
      endAt: now + 30 * DAY,
      status: 'active',
      createdAt: now - 3 * DAY,
    },
  ];
}

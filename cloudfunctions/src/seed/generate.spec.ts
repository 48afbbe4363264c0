import {
  generateDemoData,
  pointsExpireAt,
  shanghaiDay,
  summarizeDemoData,
  tierForGrowth,
  type CheckinDoc,
  type DemoData,
  type MemberDoc,
  type PointsLedgerDoc,
  type ProductDoc,
  type TierDoc,
} from './generate';
import { DEFAULT_CHECKIN_RULES, pointsForStreak } from '../domain/checkin';
import type { OrderDoc } from '../domain/orders';
import { LEDGER_TITLE } from '../domain/points';
import { DEFAULT_POINTS_RULE, priceOrder } from '../domain/pricing';
import { createRng } from './prng';

const NOW = Date.UTC(2026, 10, 25);
const DAY = 86_400_000;
const OPTS = { seed: 20261125, consumers: 2000, now: NOW };

const col = <K extends keyof DemoData>(data: DemoData, name: K): NonNullable<DemoData[K]> => data[name] ?? [];

describe('prng', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = createRng(7);
    const b = createRng(7);
    for (let i = 0; i < 1000; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(createRng(1).next()).not.toBe(createRng(2).next());
  });
});

describe('generateDemoData', () => {
  let data: DemoData;
  let json: string;
  let members: MemberDoc[];
  let orders: OrderDoc[];
  let completed: OrderDoc[];
  let products: ProductDoc[];

  beforeAll(() => {
    data = generateDemoData(OPTS);
    json = JSON.stringify(data);
    members = col(data, 'members') as MemberDoc[];
    orders = col(data, 'orders');
    completed = orders.filter((o) => o.status === 'completed');
    products = col(data, 'products');
  });

  it('is deterministic: same options → byte-identical output; another seed differs', () => {
    expect(JSON.stringify(generateDemoData(OPTS))).toBe(json);
    expect(JSON.stringify(generateDemoData({ ...OPTS, seed: OPTS.seed + 1 }))).not.toBe(json);
  });

  // Generation time is a benchmark figure (npm run bench), not an assertion.
  it('is bounded in size', () => {
    const summary = summarizeDemoData(data);
    expect(summary.totalDocs).toBeLessThan(150_000);
    expect(data.events?.length ?? 0).toBeLessThan(30_000);
  });

  it('has the fixed identities and counts', () => {
    expect(col(data, 'brands')).toEqual([expect.objectContaining({ _id: 'brand_demo', name: '拾光咖啡' })]);
    expect(col(data, 'stores').map((s) => s._id)).toEqual(['store_1', 'store_2', 'store_3']);
    const staff = col(data, 'staff');
    expect(staff).toHaveLength(7);
    const guides = staff.filter((s) => s.role === 'guide');
    expect(guides.map((g) => [g._id, g.openid, g.storeId, g.active])).toEqual([
      ['guide_1', 'guide_1', 'store_1', true],
      ['guide_2', 'guide_2', 'store_1', true],
      ['guide_3', 'guide_3', 'store_2', true],
      ['guide_4', 'guide_4', 'store_2', true],
      ['guide_5', 'guide_5', 'store_3', true],
      ['guide_6', 'guide_6', 'store_3', true],
    ]);
    expect(staff.find((s) => s._id === 'op_admin')).toMatchObject({
      openid: 'op_admin',
      role: 'operator',
      name: '品牌运营',
      storeId: null,
    });
    expect(col(data, 'tiers').map((t) => [t._id, t.level, t.threshold])).toEqual([
      ['t_normal', 0, 0],
      ['t_silver', 1, 1000],
      ['t_gold', 2, 5000],
      ['t_diamond', 3, 20000],
    ]);
    expect(col(data, 'categories').length).toBeGreaterThanOrEqual(5);
    expect(products.length).toBeGreaterThanOrEqual(25);
    expect(members).toHaveLength(2000);
    members.forEach((m, i) => {
      expect(m._id).toBe(`m_${i + 1}`);
      expect(m.openid).toBe(`user_${i + 1}`);
    });
    expect(generateDemoData({ ...OPTS, consumers: 37 }).members).toHaveLength(37);
  });

  it('has unique _ids in every collection', () => {
    for (const [name, docs] of Object.entries(data)) {
      const ids = new Set(docs.map((d) => d._id));
      expect({ name, size: ids.size }).toEqual({ name, size: docs.length });
    }
  });

  // Bulk checks collect violations and assert once: tens of thousands of expect() calls are slow.
  it('keeps referential integrity', () => {
    const bad: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && bad.length < 20) bad.push(what);
    };
    const storeIds = new Set(col(data, 'stores').map((s) => s._id));
    const guides = new Map(
      col(data, 'staff')
        .filter((s) => s.role === 'guide')
        .map((g) => [g._id, g]),
    );
    const memberById = new Map(members.map((m) => [m._id, m]));
    const productById = new Map(products.map((p) => [p._id, p]));
    const categoryIds = new Set(col(data, 'categories').map((c) => c._id));
    const tierIds = new Set(col(data, 'tiers').map((t) => t._id));

    for (const p of products) {
      check(categoryIds.has(p.categoryId), `${p._id} category`);
      check(p.images.length === 1 && p.images[0] === `/assets/products/${p.categoryId}.png`, `${p._id} image`);
    }
    for (const m of members) {
      check(storeIds.has(m.storeId), `${m._id} storeId`);
      check(tierIds.has(m.tierId), `${m._id} tierId`);
      if (m.guideId !== null) check(guides.get(m.guideId)?.storeId === m.storeId, `${m._id} guide/store`);
      const src = m.source;
      if (src.storeId !== undefined) check(storeIds.has(src.storeId), `${m._id} source.storeId`);
      if (src.guideId !== undefined) check(guides.get(src.guideId)?.storeId === m.storeId, `${m._id} source.guideId`);
      if (src.channel === 'guide')
        check(src.guideId !== undefined && src.guideId === m.guideId, `${m._id} guide channel`);
      if (src.channel === 'referral') {
        const inviter = memberById.get(src.inviterId ?? '');
        check(inviter !== undefined && inviter._id !== m._id && inviter.joinedAt <= m.joinedAt, `${m._id} inviter`);
      } else {
        check(src.inviterId === undefined, `${m._id} stray inviterId`);
      }
    }
    for (const o of orders) {
      const m = memberById.get(o.memberId);
      check(m !== undefined && o.openid === m.openid, `${o._id} member`);
      check(m !== undefined && o.createdAt >= m.joinedAt, `${o._id} before join`);
      check(o.storeId !== null && storeIds.has(o.storeId), `${o._id} storeId`);
      if (o.guideId !== null) check(guides.get(o.guideId)?.storeId === o.storeId, `${o._id} guide/store`);
      check(o.lines.length > 0, `${o._id} no lines`);
      for (const l of o.lines) {
        const p = productById.get(l.productId);
        check(p !== undefined && l.categoryId === p.categoryId && l.name === p.name, `${o._id} line ${l.productId}`);
      }
    }
    for (const e of col(data, 'events')) {
      check(memberById.has(e.memberId), `${e._id} member`);
      if (e.productId) check(productById.get(e.productId)?.categoryId === e.categoryId, `${e._id} product`);
      check(e.ts <= NOW && e.ts > NOW - 30 * DAY, `${e._id} ts`);
      check(e.ts >= (memberById.get(e.memberId)?.joinedAt ?? Infinity), `${e._id} before join`);
    }
    expect(bad).toEqual([]);
  });

  it('has unique phones in 138xxxxxxxx format, and some members without phone or unionid', () => {
    const phones = members.flatMap((m) => (m.phone === undefined ? [] : [m.phone]));
    expect(phones.filter((p) => !/^138\d{8}$/.test(p))).toEqual([]);
    expect(new Set(phones).size).toBe(phones.length);
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.length).toBeLessThan(members.length);
    const unionids = members.filter((m) => m.unionid !== undefined).length;
    expect(unionids).toBeGreaterThan(0);
    expect(unionids).toBeLessThan(members.length);
    expect(members.some((m) => m.balance > 0)).toBe(true);
    expect(members.filter((m) => !/^\d{4}-\d{2}-\d{2}$/.test(m.birthday))).toEqual([]);
  });

  it('keeps money in integer fen and totals consistent', () => {
    const bad: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && bad.length < 20) bad.push(what);
    };
    const int = Number.isInteger;
    for (const p of products) {
      check(int(p.price) && int(p.memberPrice) && p.memberPrice > 0 && p.memberPrice <= p.price, `${p._id} price`);
    }
    const productById = new Map(products.map((p) => [p._id, p]));
    for (const o of orders) {
      for (const l of o.lines) {
        const p = productById.get(l.productId);
        // Priced as the shop prices a member: the product's member price (no tier discount in imported history).
        check(int(l.qty) && l.qty > 0 && l.unitPrice === p?.memberPrice && l.listPrice === p.price, `${o._id} line`);
        check(l.subtotal === l.unitPrice * l.qty && l.paid === l.subtotal, `${o._id} line money`);
      }
      check(int(o.total) && int(o.payAmount), `${o._id} not integer`);
      check(o.total === o.lines.reduce((s, l) => s + l.subtotal, 0), `${o._id} total`);
      check(o.payAmount === o.lines.reduce((s, l) => s + l.paid, 0) && o.payAmount > 0, `${o._id} payAmount`);
      check(o.price.payAmount === o.payAmount && o.price.goodsTotal === o.total, `${o._id} breakdown`);
    }
    for (const m of members) check(int(m.balance) && m.balance >= 0 && int(m.points), `${m._id} balance/points`);
    expect(bad).toEqual([]);
  });

  it('puts every order within the 12 months before now, with a coherent lifecycle', () => {
    const yearAgo = NOW - 365 * DAY;
    const bad: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && bad.length < 20) bad.push(what);
    };
    let refunded = 0;
    for (const o of orders) {
      const paidAt = o.paidAt ?? -1;
      check(o.createdAt > yearAgo && o.createdAt < NOW, `${o._id} createdAt`);
      check(paidAt >= o.createdAt, `${o._id} paidAt`);
      // Every seeded order went through the state machine: created → paid → ready/shipped → completed | refunded.
      const handed = o.fulfilment === 'pickup' ? o.readyAt : o.shippedAt;
      if (o.status === 'completed') {
        check(handed !== undefined && handed >= paidAt, `${o._id} handed`);
        check(
          o.completedAt !== undefined && o.completedAt >= (handed ?? 0) && o.completedAt <= NOW,
          `${o._id} completedAt`,
        );
        check(o.refundedAt === undefined && o.earned !== undefined, `${o._id} stray refundedAt / no earned`);
      } else {
        refunded += 1;
        check(o.status === 'refunded' && o.refund?.fromStatus === 'paid', `${o._id} status`);
        check(o.refundedAt !== undefined && o.refundedAt >= paidAt && o.refundedAt <= NOW, `${o._id} refundedAt`);
        check(o.completedAt === undefined, `${o._id} stray completedAt`);
      }
    }
    expect(bad).toEqual([]);
    const refundRate = refunded / orders.length;
    expect(refundRate).toBeGreaterThan(0.005);
    expect(refundRate).toBeLessThan(0.05);
    // Orders span the year: every one of the last 12 Shanghai months has orders.
    const months = new Set(orders.map((o) => shanghaiDay(o.createdAt).slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
  });

  it("matches each member's stats, growth and tier to its completed orders", () => {
    const byMember = new Map<string, OrderDoc[]>();
    for (const o of completed) {
      const list = byMember.get(o.memberId);
      if (list) list.push(o);
      else byMember.set(o.memberId, [o]);
    }
    for (const m of members) {
      const mine = (byMember.get(m._id) ?? []).sort((a, b) => a.createdAt - b.createdAt);
      const paidTotal = mine.reduce((s, o) => s + o.payAmount, 0);
      const cats = [...new Set(mine.flatMap((o) => o.lines.map((l) => l.categoryId)))].sort();
      const counts: Record<string, number> = {};
      for (const o of mine) for (const c of new Set(o.lines.map((l) => l.categoryId))) counts[c] = (counts[c] ?? 0) + 1;
      const products: Record<string, number> = {};
      for (const o of mine)
        for (const p of new Set(o.lines.map((l) => l.productId))) products[p] = (products[p] ?? 0) + 1;
      // Monthly aggregates (RFM's windowed F and M) sum to the lifetime ones.
      const months = Object.values((m.stats as { months?: Record<string, { n: number; amt: number }> }).months ?? {});
      expect([months.reduce((s, v) => s + v.n, 0), months.reduce((s, v) => s + v.amt, 0)]).toEqual([
        mine.length,
        paidTotal,
      ]);
      const { months: _months, ...lifetime } = m.stats as typeof m.stats & { months?: unknown };
      expect({ id: m._id, ...lifetime, categoryIds: [...m.stats.categoryIds].sort() }).toEqual({
        id: m._id,
        orderCount: mine.length,
        paidTotal,
        firstOrderAt: mine[0]?.createdAt ?? null,
        lastOrderAt: mine[mine.length - 1]?.createdAt ?? null,
        categoryIds: cats,
        categoryCounts: counts,
        productOrders: products,
        repeatProducts: Object.keys(products)
          .filter((p) => (products[p] ?? 0) >= 2)
          .sort(),
      });
      expect(m.growth).toBe(Math.floor(paidTotal / 100));
      expect(m.tierId).toBe(tierForGrowth(m.growth));
    }
    expect(tierForGrowth(999)).toBe('t_normal');
    expect(tierForGrowth(1000)).toBe('t_silver');
    expect(tierForGrowth(5000)).toBe('t_gold');
    expect(tierForGrowth(20000)).toBe('t_diamond');
  });

  it('matches product sales to completed order lines', () => {
    const sold = new Map<string, number>();
    for (const o of completed) for (const l of o.lines) sold.set(l.productId, (sold.get(l.productId) ?? 0) + l.qty);
    for (const p of products) expect(p.sales).toBe(sold.get(p._id) ?? 0);
  });

  it('gives every tier above the lowest a real saving below the member price on every SKU', () => {
    const tiers = (col(data, 'tiers') as TierDoc[]).sort((a, b) => a.level - b.level);
    const skus = col(data, 'skus');
    expect(skus.length).toBeGreaterThan(0);
    for (const sku of skus) {
      const line = {
        skuId: sku._id,
        productId: sku.productId,
        categoryId: 'c',
        name: 'n',
        qty: 1,
        listPrice: sku.price,
        memberPrice: sku.memberPrice,
        activityPrice: null,
      };
      const base = {
        coupon: null,
        memberId: 'm',
        now: NOW,
        pointsToUse: 0,
        pointsBalance: 0,
        pointsRule: DEFAULT_POINTS_RULE,
        useBalance: false,
        balance: 0,
      };
      const paid = tiers.map((t) => {
        const r = priceOrder({ ...base, lines: [line], tierPercent: t.discount });
        if (!r.ok) throw new Error(r.code);
        return r.price.goodsTotal;
      });
      expect(paid[0]).toBe(sku.memberPrice);
      let lower = Infinity; // each tier up the ladder pays less than the one before it
      for (const p of paid) {
        expect(p).toBeLessThan(lower);
        lower = p;
      }
    }
  });

  it('keeps points equal to the ledger, with no negative running balance', () => {
    const bad: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && bad.length < 20) bad.push(what);
    };
    const ledger = col(data, 'points_ledger');
    const orderById = new Map(orders.map((o) => [o._id, o]));
    const checkinIds = new Set(col(data, 'checkins').map((c) => c._id));
    const byMember = new Map<string, PointsLedgerDoc[]>();
    for (const e of ledger) {
      check(Number.isInteger(e.delta) && e.delta !== 0, `${e._id} delta`);
      check(e.createdAt <= NOW, `${e._id} in the future`);
      if (e.delta > 0) check(e.expireAt === pointsExpireAt(e.createdAt), `${e._id} expireAt`);
      // Titles as the functions write them (the points page shows them as they are).
      if (e.source === 'order_reward') check(e.title === LEDGER_TITLE.orderReward(e.refId), `${e._id} title`);
      check(e.title.length > 0 && !e.title.includes('undefined'), `${e._id} title`);
      if (e.source === 'order_reward') {
        const o = orderById.get(e.refId);
        check(
          o !== undefined &&
            o.status === 'completed' &&
            o.memberId === e.memberId &&
            e.createdAt === o.paidAt &&
            e.delta === o.earned?.points &&
            e.delta === Math.floor(o.payAmount / 100),
          `${e._id} order points`,
        );
      } else if (e.source === 'checkin') {
        check(checkinIds.has(e.refId) && e.refId.startsWith(`${e.memberId}_`), `${e._id} checkin ref`);
      } else {
        check(e.delta < 0, `${e._id} ${e.source} should be a debit`);
      }
      const list = byMember.get(e.memberId);
      if (list) list.push(e);
      else byMember.set(e.memberId, [e]);
    }
    // Each completed order earns at most once; refunded orders earn nothing.
    const orderRefs = ledger.filter((e) => e.source === 'order_reward').map((e) => e.refId);
    expect(new Set(orderRefs).size).toBe(orderRefs.length);
    expect(ledger.some((e) => e.source === 'redeem')).toBe(true);

    for (const m of members) {
      const entries = (byMember.get(m._id) ?? []).sort((a, b) => a.createdAt - b.createdAt);
      let balance = 0;
      for (const e of entries) {
        balance += e.delta;
        check(balance >= 0, `${m._id} negative balance at ${e._id}`);
        check(e.balanceAfter === balance, `${e._id} balanceAfter`);
      }
      check(m.points === balance, `${m._id} points ${m.points} ≠ ledger ${balance}`);
      const buckets = Object.entries(m.pointsBuckets);
      check(buckets.reduce((s, [, v]) => s + v, 0) === m.points, `${m._id} pointsBuckets sum`);
      check(
        buckets.every(([k, v]) => /^\d{4}$/.test(k) && Number.isInteger(v) && v > 0),
        `${m._id} pointsBuckets shape`,
      );
    }
    expect(bad).toEqual([]);
  });

  it('redeems in the points mall as the member function does: items, counters, coupons and ledger agree', () => {
    const items = new Map(col(data, 'mall_items').map((i) => [i._id, i]));
    const redemptions = col(data, 'redemptions');
    const coupons = new Map(col(data, 'member_coupons').map((c) => [c._id, c]));
    const ledger = new Map(col(data, 'points_ledger').map((e) => [e._id, e]));
    const debits = col(data, 'points_ledger').filter((e) => e.source === 'redeem');
    expect(redemptions.length).toBeGreaterThan(0);
    expect(debits).toHaveLength(redemptions.length);
    const perMemberItem = new Map<string, number>();
    for (const r of redemptions) {
      const item = items.get(r.itemId);
      const requestId = r._id.slice(r.memberId.length + 1);
      expect(r._id.startsWith(`${r.memberId}:`) && item !== undefined).toBe(true);
      expect(ledger.get(`${r.memberId}:redeem:${requestId}`)).toMatchObject({
        delta: -r.points,
        title: LEDGER_TITLE.redeem(r.name),
        createdAt: r.createdAt,
      });
      expect([r.points, r.type]).toEqual([item?.pointsPrice, item?.type]);
      if (r.type === 'coupon') expect(coupons.get(String(r.couponId))).toMatchObject({ memberId: r.memberId });
      else expect([r.couponId, r.status]).toEqual([null, 'to_pickup']);
      const k = `${r.memberId}:${r.itemId}`;
      perMemberItem.set(k, (perMemberItem.get(k) ?? 0) + 1);
    }
    const counters = col(data, 'mall_counters');
    expect(Object.fromEntries(counters.map((c) => [c._id, c.count]))).toEqual(Object.fromEntries(perMemberItem));
    for (const c of counters) {
      const limit = items.get(c.itemId)?.perMemberLimit ?? 0;
      if (limit > 0) expect(c.count).toBeLessThanOrEqual(limit);
    }
    for (const item of items.values()) {
      const n = redemptions.filter((r) => r.itemId === item._id).length;
      expect([item.redeemed, item.stock > 0]).toEqual([n, true]);
    }
    const template = col(data, 'coupon_templates').find((t) => t._id === 'ct_mall10');
    expect(template?.issued).toBe(coupons.size);
  });

  it('has at most one check-in per member per Shanghai day, with consistent streaks', () => {
    const bad: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && bad.length < 20) bad.push(what);
    };
    const checkins = col(data, 'checkins');
    expect(checkins.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    const byMember = new Map<string, CheckinDoc[]>();
    for (const c of checkins) {
      check(c.day === shanghaiDay(c.createdAt), `${c._id} day`);
      check(c._id === `${c.memberId}_${c.day}`, `${c._id} id`);
      const key = `${c.memberId}|${c.day}`;
      check(!seen.has(key), `${c._id} duplicate`);
      seen.add(key);
      check(c.createdAt <= NOW && c.createdAt > NOW - 61 * DAY, `${c._id} createdAt`);
      // The member function's rule: base points plus the bonus of the streak's day in the cycle.
      check(c.points === pointsForStreak(c.streak, DEFAULT_CHECKIN_RULES).points && !c.makeup, `${c._id} points`);
      const list = byMember.get(c.memberId);
      if (list) list.push(c);
      else byMember.set(c.memberId, [c]);
    }
    for (const list of byMember.values()) {
      list.sort((a, b) => a.createdAt - b.createdAt);
      list.forEach((c, i) => {
        const prev = list[i - 1];
        const consecutive = prev !== undefined && shanghaiDay(Date.parse(`${prev.day}T12:00:00Z`) + DAY) === c.day;
        check(c.streak === (consecutive && prev ? prev.streak + 1 : 1), `${c._id} streak`);
      });
    }
    expect(bad).toEqual([]);
    expect(checkins.some((c) => c.streak >= 7)).toBe(true);
  });

  it('has a realistic distribution', () => {
    const summary = summarizeDemoData(data);
    // at least 5 categories, each with sales
    const catSales = new Map<string, number>();
    for (const o of completed)
      for (const l of o.lines) catSales.set(l.categoryId, (catSales.get(l.categoryId) ?? 0) + l.qty);
    expect([...catSales.values()].filter((q) => q > 0).length).toBeGreaterThanOrEqual(5);
    // some members never ordered; a heterogeneous frequency with one-timers and a loyal core
    const counts = members.map((m) => m.stats.orderCount);
    expect(counts.filter((c) => c === 0).length).toBeGreaterThan(0);
    expect(counts.filter((c) => c === 1).length).toBeGreaterThan(members.length * 0.2);
    expect(counts.filter((c) => c >= 10).length).toBeGreaterThan(0);
    // the two headline rates
    expect(summary.repurchaseRate).toBeGreaterThanOrEqual(0.2);
    expect(summary.repurchaseRate).toBeLessThanOrEqual(0.45);
    expect(summary.multiCategoryRate).toBeGreaterThanOrEqual(0.05);
    expect(summary.multiCategoryRate).toBeLessThanOrEqual(0.2);
    expect(summary.repurchaseRate).toBeCloseTo(counts.filter((c) => c >= 2).length / members.length, 10);
    expect(summary.multiCategoryRate).toBeCloseTo(
      members.filter((m) => m.stats.categoryIds.length >= 2).length / members.length,
      10,
    );
    // Seed 000's target is on same-product repurchase (单品回购), and the demo meets it; members' aggregates agree.
    expect(summary.sameProductRepurchaseRate).toBeGreaterThan(0.3);
    expect(summary.sameProductRepurchaseRate).toBeLessThan(summary.repurchaseRate);
    expect(summary.sameProductRepurchasers).toBe(members.filter((m) => m.stats.repeatProducts.length > 0).length);
    // every tier is populated
    for (const [tier, n] of Object.entries(summary.membersByTier))
      expect({ tier, has: n > 0 }).toEqual({ tier, has: true });
  });

  it('covers all eight RFM layers', () => {
    const buyers = members.filter((m) => m.stats.orderCount > 0);
    // Score 1–5 by quintile rank; "high" = above the mean score of that dimension.
    const score = (values: number[]): number[] => {
      const sorted = [...values].sort((a, b) => a - b);
      return values.map((v) => {
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((sorted[mid] as number) < v) lo = mid + 1;
          else hi = mid;
        }
        return Math.min(5, 1 + Math.floor((lo / sorted.length) * 5));
      });
    };
    const r = score(buyers.map((m) => m.stats.lastOrderAt ?? 0)); // more recent = higher
    const f = score(buyers.map((m) => m.stats.orderCount));
    const mo = score(buyers.map((m) => m.stats.paidTotal));
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const [mr, mf, mm] = [mean(r), mean(f), mean(mo)];
    const layers = new Set(buyers.map((_, i) => `${(r[i] ?? 0) > mr}${(f[i] ?? 0) > mf}${(mo[i] ?? 0) > mm}`));
    expect(layers.size).toBe(8);
  });

  it('summarizes counts and rates', () => {
    const s = summarizeDemoData(data);
    expect(s.counts.members).toBe(2000);
    expect(s.counts.orders).toBe(orders.length);
    expect(s.totalDocs).toBe(Object.values(data).reduce((n, docs) => n + docs.length, 0));
    expect(s.completedOrders + s.refundedOrders).toBe(orders.length);
    expect(s.gmv).toBe(completed.reduce((n, o) => n + o.payAmount, 0));
  });

  it('uses Shanghai calendar days and year-end expiry', () => {
    expect(shanghaiDay(Date.UTC(2026, 10, 24, 16, 0, 0))).toBe('2026-11-25');
    expect(shanghaiDay(Date.UTC(2026, 10, 24, 15, 59, 59, 999))).toBe('2026-11-24');
    expect(pointsExpireAt(Date.UTC(2025, 11, 31, 16, 0, 0))).toBe(Date.UTC(2027, 11, 31, 16, 0, 0) - 1);
    expect(pointsExpireAt(Date.UTC(2025, 11, 31, 15, 0, 0))).toBe(Date.UTC(2026, 11, 31, 16, 0, 0) - 1);
  });
});

// The operator dashboards, computed in the database (count and aggregate) wherever the database can;
// cohort retention pages through members' monthly aggregates. Each chart reports its DB calls.
import type { Database } from 'wx-server-sdk';
import { RFM_LAYERS } from '../domain/rfm';
import { STAGE_TEXT } from '../domain/lifecycle';
import { tierById } from '../domain/tiers';
import { loadTiers } from './members';

/** The headline targets of the domain brief. */
// Seed 000's targets: 30% same-product repurchase (单品回购: one product bought in two orders), 10% multi-category.
export const TARGETS = { sameProductRepurchaseRate: 0.3, multiCategoryRate: 0.1 };
// Customers only: merged-away records and staff members' own accounts are not counted.
const live = (db: Database) => ({ mergedInto: db.command.exists(false), staffAccount: db.command.neq(true) });
const FUNNEL: (keyof typeof STAGE_TEXT)[] = ['new', 'first_order', 'repurchase', 'loyal', 'at_risk', 'lost'];

/** A chart's rows and the database calls it took. */
export type Chart<T> = { data: T; dbCalls: number };

// Group values are stored data (tier ids, layers, stages) looked up by configured names: a Map, never a plain object.
async function groupCount(db: Database, field: string): Promise<Map<string, number>> {
  const _ = db.command;
  const { list } = await db
    .collection('members')
    .aggregate()
    .match(live(db))
    .group({ _id: `$${field}`, n: _.aggregate.sum(1) })
    .limit(1000)
    .end();
  return new Map(list.map((r) => [String(r._id ?? 'none'), Number(r.n)]));
}

/** Members by tier. */
export async function byTier(db: Database) {
  const [counts, tiers] = await Promise.all([groupCount(db, 'tierId'), loadTiers(db)]);
  const rows = [...tiers]
    .sort((a, b) => a.level - b.level)
    .map((t) => ({ tierId: t._id, name: tierById(t._id, tiers).name, members: counts.get(t._id) ?? 0 }));
  return { data: rows, dbCalls: 2 };
}

/** Members by RFM layer (buyers in the window; the rest are "未购/窗口外"). */
export async function byRfm(db: Database) {
  const counts = await groupCount(db, 'rfm.layer');
  const outside = (counts.get('none') ?? 0) + (counts.get('null') ?? 0);
  const rows = RFM_LAYERS.map((l) => ({ layer: l as string, members: counts.get(l) ?? 0 }));
  return { data: [...rows, { layer: '未购/窗口外', members: outside }], dbCalls: 1 };
}

/** The lifecycle funnel. */
export async function lifecycle(db: Database) {
  const counts = await groupCount(db, 'stage');
  return { data: FUNNEL.map((s) => ({ stage: s, name: STAGE_TEXT[s], members: counts.get(s) ?? 0 })), dbCalls: 1 };
}

/** Same-product repurchase (judged), any repurchase (beside it) and multi-category rates, against the targets. */
export async function health(db: Database) {
  const _ = db.command;
  const m = db.collection('members');
  const [all, buyers, repurchasers, sameProduct, multi] = await Promise.all([
    m.where(live(db)).count(),
    m.where({ ...live(db), 'stats.orderCount': _.gte(1) }).count(),
    m.where({ ...live(db), 'stats.orderCount': _.gte(2) }).count(),
    m.where({ ...live(db), 'stats.repeatProducts.0': _.exists(true) }).count(),
    m.where({ ...live(db), 'stats.categoryIds.1': _.exists(true) }).count(),
  ]);
  const rate = (n: number) => (all.total ? n / all.total : 0);
  const sameProductRepurchaseRate = rate(sameProduct.total);
  return {
    data: {
      members: all.total,
      buyers: buyers.total,
      repurchasers: repurchasers.total,
      sameProductRepurchasers: sameProduct.total,
      multiCategory: multi.total,
      repurchaseRate: rate(repurchasers.total),
      sameProductRepurchaseRate,
      multiCategoryRate: rate(multi.total),
      targets: TARGETS,
      meetsTargets:
        sameProductRepurchaseRate > TARGETS.sameProductRepurchaseRate && rate(multi.total) > TARGETS.multiCategoryRate,
    },
    dbCalls: 5,
  };
}

async function ltvBy(db: Database, field: string) {
  const _ = db.command;
  const { list } = await db
    .collection('members')
    .aggregate()
    .match(live(db))
    .group({
      _id: `$${field}`,
      members: _.aggregate.sum(1),
      revenue: _.aggregate.sum('$stats.paidTotal'),
      buyers: _.aggregate.sum(_.aggregate.cond([{ $gt: ['$stats.orderCount', 0] }, 1, 0])),
    })
    .sort({ revenue: -1 })
    .limit(1000)
    .end();
  return {
    data: list.map((r) => ({
      key: String(r._id ?? 'none'),
      members: Number(r.members),
      buyers: Number(r.buyers),
      revenue: Number(r.revenue),
      ltv: r.members ? Math.round(Number(r.revenue) / Number(r.members)) : 0,
    })),
    dbCalls: 1,
  };
}

/** LTV (paid fen per member) by join channel. */
export const ltvBySource = (db: Database) => ltvBy(db, 'source.channel');
/** LTV by the guide the member is bound to, with the guide's name. */
export async function ltvByGuide(db: Database) {
  const [chart, { data: staff }] = await Promise.all([
    ltvBy(db, 'guideId'),
    db.collection('staff').where({ role: 'guide' }).limit(500).get(),
  ]);
  const names = new Map(staff.map((s) => [s._id, String(s.name)]));
  return {
    data: chart.data.map((r) => ({
      ...r,
      name: names.get(r.key) ?? (r.key === 'none' ? '未绑定导购' : r.key),
    })),
    dbCalls: chart.dbCalls + 1,
  };
}

/** A `YYYY-MM` key as a count of months (NaN for anything else), so two keys subtract to the months between. */
function monthOrdinal(key: string): number {
  const [y, m] = key.split('-').map(Number);
  return y === undefined || m === undefined ? NaN : y * 12 + m;
}

/** Cohort retention: members by first-order month, share buying again k months later (from monthly aggregates). */
export async function cohorts(db: Database, months = 6) {
  const _ = db.command;
  const table: Record<string, { size: number; active: number[] }> = {};
  let cursor = '';
  let calls = 0;
  for (;;) {
    const { data } = await db
      .collection('members')
      .where(_.and([{ 'stats.lastOrderAt': _.gt(0) }, { _id: _.gt(cursor) }]))
      .orderBy('_id', 'asc')
      .limit(1000)
      .field({ _id: true, 'stats.months': true, mergedInto: true })
      .get();
    calls++;
    for (const m of data) {
      if (m.mergedInto) continue;
      const byMonth = m.stats?.months ?? {};
      const keys = Object.keys(byMonth)
        .filter((k) => (byMonth[k]?.n ?? 0) > 0)
        .sort();
      const [first] = keys;
      if (first === undefined) continue;
      const c = (table[first] ??= { size: 0, active: Array(months + 1).fill(0) });
      c.size++;
      for (const k of keys) {
        const d = monthOrdinal(k) - monthOrdinal(first);
        if (d >= 0 && d <= months) c.active[d] = (c.active[d] ?? 0) + 1;
      }
    }
    const tail = data[data.length - 1];
    if (!tail || data.length < 1000) break;
    cursor = tail._id;
  }
  const rows = Object.entries(table)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cohort, c]) => ({ cohort, size: c.size, retention: c.active.map((n) => (c.size ? n / c.size : 0)) }));
  return { data: rows, dbCalls: calls };
}

/** Every chart by name. */
export const CHARTS = {
  byTier,
  byRfm,
  lifecycle,
  health,
  ltvBySource,
  ltvByGuide,
  cohorts,
} satisfies Record<string, (db: Database) => Promise<Chart<unknown>>>;

/** A chart's name. */
export type ChartName = keyof typeof CHARTS;
/** What the dashboard answers for each chart asked for (with its time in ms). */
export type Dashboard = { [K in ChartName]?: Awaited<ReturnType<(typeof CHARTS)[K]>> & { ms: number } };

/** Whether `name` is a chart. */
export const isChartName = (name: string): name is ChartName => Object.prototype.hasOwnProperty.call(CHARTS, name);

// A chart drawn if it was asked for, with the time it took.
async function drawn<T extends object>(
  asked: boolean,
  draw: () => Promise<T>,
): Promise<(T & { ms: number }) | undefined> {
  if (!asked) return undefined;
  const t0 = Date.now();
  const c = await draw();
  return { ...c, ms: Date.now() - t0 };
}

/** The charts asked for, drawn at once. */
export async function drawDashboard(db: Database, names: readonly ChartName[]): Promise<Dashboard> {
  const asked = new Set(names);
  const d = <T extends object>(k: ChartName, f: (db: Database) => Promise<T>) => drawn(asked.has(k), () => f(db));
  const [tier, rfm, stages, hp, bySource, byGuide, cohort] = await Promise.all([
    d('byTier', byTier),
    d('byRfm', byRfm),
    d('lifecycle', lifecycle),
    d('health', health),
    d('ltvBySource', ltvBySource),
    d('ltvByGuide', ltvByGuide),
    d('cohorts', cohorts),
  ]);
  const out: Dashboard = {};
  if (tier) out.byTier = tier;
  if (rfm) out.byRfm = rfm;
  if (stages) out.lifecycle = stages;
  if (hp) out.health = hp;
  if (bySource) out.ltvBySource = bySource;
  if (byGuide) out.ltvByGuide = byGuide;
  if (cohort) out.cohorts = cohort;
  return out;
}

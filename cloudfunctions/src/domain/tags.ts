// Tags: five attribute kinds (source, basic, behavior, business, predicted) from four origins
// (channel, system, private-domain, manual). Rule tags are declarative entries in one registry,
// evaluated on a member's own aggregates; manual tags carry who and when.
import { churnRisk, stageOf, STAGE_TEXT } from './lifecycle';
import { dict, isSafeKey, own } from './safe-keys';

/** What a tag describes. */
export type TagKind = 'source' | 'basic' | 'behavior' | 'business' | 'predicted';
/** Where a tag comes from. */
export type TagOrigin = 'channel' | 'system' | 'private_domain' | 'manual';

/** A member as tag rules see it. */
export interface TagSubject {
  source?: { channel?: string };
  gender?: string;
  birthday?: string | null;
  city?: string;
  stats?: {
    orderCount?: number;
    paidTotal?: number;
    firstOrderAt?: number | null;
    lastOrderAt?: number | null;
    categoryIds?: string[];
  };
  /** Behavior per day: { product_view: { 'cat_coffee': { '2026-11-25': 3 } }, add_to_cart: {...}, ... } */
  behavior?: Record<string, Record<string, Record<string, number>>>;
}

/** Context shared by all members of one run. */
export interface TagContext {
  now: number;
  today: (ms: number) => string;
  nextCategory: Record<string, string>;
  categoryNames: Record<string, string>;
}

/** A rule tag: `evaluate` returns the tag values the member carries (e.g. ['interest:cat_coffee']). */
export interface TagRule {
  code: string;
  kind: TagKind;
  origin: TagOrigin;
  description: string;
  evaluate(m: TagSubject, ctx: TagContext): string[];
}

const DAY = 24 * 3600_000;

// Sum of one behavior per category over the last `days` days.
function countByCategory(m: TagSubject, type: string, days: number, ctx: TagContext): Record<string, number> {
  const from = ctx.today(ctx.now - (days - 1) * DAY);
  const out: Record<string, number> = {};
  for (const [cat, byDay] of Object.entries(m.behavior?.[type] ?? {})) {
    const n = Object.entries(byDay)
      .filter(([d]) => d >= from)
      .reduce((s, [, c]) => s + c, 0);
    if (n > 0) out[cat] = n;
  }
  return out;
}

/** The registry of rule tags. */
export const TAG_RULES: TagRule[] = [
  {
    code: 'source',
    kind: 'source',
    origin: 'channel',
    description: '来源渠道',
    evaluate: (m) => (m.source?.channel ? [`source:${m.source.channel}`] : []),
  },
  {
    code: 'gender',
    kind: 'basic',
    origin: 'system',
    description: '性别',
    evaluate: (m) => (m.gender && m.gender !== 'unknown' ? [`gender:${m.gender}`] : []),
  },
  {
    code: 'city',
    kind: 'basic',
    origin: 'system',
    description: '城市',
    evaluate: (m) => (m.city ? [`city:${m.city}`] : []),
  },
  {
    code: 'birthday_month',
    kind: 'basic',
    origin: 'system',
    description: '本月生日',
    evaluate: (m, ctx) =>
      m.birthday && m.birthday.slice(5, 7) === ctx.today(ctx.now).slice(5, 7) ? ['birthday_month'] : [],
  },
  {
    code: 'interest',
    kind: 'behavior',
    origin: 'private_domain',
    description: '近 7 天浏览某分类 ≥ 3 次',
    evaluate: (m, ctx) =>
      Object.entries(countByCategory(m, 'product_view', 7, ctx))
        .filter(([, n]) => n >= 3)
        .map(([c]) => `interest:${c}`),
  },
  {
    code: 'cart_abandon',
    kind: 'behavior',
    origin: 'private_domain',
    description: '近 7 天加购未下单',
    evaluate: (m, ctx) => {
      const carts = countByCategory(m, 'add_to_cart', 7, ctx);
      const bought = (m.stats?.lastOrderAt ?? 0) >= ctx.now - 7 * DAY;
      return Object.keys(carts).length && !bought ? ['cart_abandon'] : [];
    },
  },
  {
    code: 'sharer',
    kind: 'behavior',
    origin: 'private_domain',
    description: '近 30 天有分享',
    evaluate: (m, ctx) => (Object.keys(countByCategory(m, 'share', 30, ctx)).length ? ['sharer'] : []),
  },
  {
    code: 'buyer',
    kind: 'business',
    origin: 'system',
    description: '已购客户',
    evaluate: (m) => ((m.stats?.orderCount ?? 0) > 0 ? ['buyer'] : []),
  },
  {
    code: 'repurchase',
    kind: 'business',
    origin: 'system',
    description: '复购（≥ 2 单）',
    evaluate: (m) => ((m.stats?.orderCount ?? 0) >= 2 ? ['repurchase'] : []),
  },
  {
    code: 'multi_category',
    kind: 'business',
    origin: 'system',
    description: '购买 ≥ 2 个品类',
    evaluate: (m) => ((m.stats?.categoryIds?.length ?? 0) >= 2 ? ['multi-category'] : []),
  },
  {
    code: 'bought',
    kind: 'business',
    origin: 'system',
    description: '买过的品类',
    evaluate: (m) => (m.stats?.categoryIds ?? []).map((c) => `bought:${c}`),
  },
  {
    code: 'high_value',
    kind: 'business',
    origin: 'system',
    description: '累计消费 ≥ 1000 元',
    evaluate: (m) => ((m.stats?.paidTotal ?? 0) >= 100000 ? ['high-value'] : []),
  },
  {
    code: 'stage',
    kind: 'predicted',
    origin: 'system',
    description: '生命周期阶段',
    evaluate: (m, ctx) => [`stage:${stageOf(rhythm(m), ctx.now)}`],
  },
  {
    code: 'churn_risk',
    kind: 'predicted',
    origin: 'system',
    description: '流失风险高（≥ 60）',
    evaluate: (m, ctx) => (churnRisk(rhythm(m), ctx.now) >= 60 ? ['churn-risk'] : []),
  },
  {
    code: 'next_category',
    kind: 'predicted',
    origin: 'system',
    description: '可能购买的下一个品类（同品牌共购统计）',
    evaluate: (m, ctx) => {
      const owned = new Set(m.stats?.categoryIds ?? []);
      const votes = new Map<string, number>();
      for (const c of owned) {
        const n = own(ctx.nextCategory, c);
        if (n && !owned.has(n)) votes.set(n, (votes.get(n) ?? 0) + 1);
      }
      const best = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      return best ? [`likely:${best[0]}`] : [];
    },
  },
];

function rhythm(m: TagSubject) {
  return {
    orderCount: m.stats?.orderCount ?? 0,
    firstOrderAt: m.stats?.firstOrderAt ?? null,
    lastOrderAt: m.stats?.lastOrderAt ?? null,
  };
}

/** All rule tags of a member, sorted (stable, so unchanged members are not rewritten). */
export function ruleTags(m: TagSubject, ctx: TagContext): string[] {
  return [...new Set(TAG_RULES.flatMap((r) => r.evaluate(m, ctx)))].sort();
}

/** A readable label for a tag value, for the console and the guide's customer list. */
export function tagLabel(tag: string, ctx: Pick<TagContext, 'categoryNames'>): string {
  const [code, arg = ''] = tag.split(':');
  // Tags arrive from clients (segment definitions, guide filters): only own properties are looked up.
  const cat = (id: string) => own(ctx.categoryNames, id) ?? id;
  switch (code) {
    case 'source':
      return `来源：${own(SOURCE_TEXT, arg) ?? arg}`;
    case 'gender':
      return arg === 'male' ? '男' : '女';
    case 'city':
      return arg;
    case 'interest':
      return `偏好：${cat(arg)}`;
    case 'bought':
      return `买过：${cat(arg)}`;
    case 'likely':
      return `可能想买：${cat(arg)}`;
    case 'stage':
      return own(STAGE_TEXT, arg) ?? arg;
    default:
      return own(FLAG_TEXT, tag) ?? (code === 'manual' ? arg : tag);
  }
}

/** Join channels in Chinese (console, guide list, tag labels). */
export const SOURCE_TEXT: Record<string, string> = {
  store: '门店',
  guide: '导购',
  referral: '好友推荐',
  ad: '广告',
  official_account: '公众号',
  share: '分享',
  search: '搜索',
  direct: '直接访问',
};
const FLAG_TEXT: Record<string, string> = {
  birthday_month: '本月生日',
  cart_abandon: '加购未买',
  sharer: '爱分享',
  buyer: '已购',
  repurchase: '复购',
  'multi-category': '多品类',
  'high-value': '高消费',
  'churn-risk': '流失风险',
};

/** Co-purchase counts: for each pair of categories bought by the same member, how many members. */
export function addCoPurchase(
  pairs: Record<string, Record<string, number>>,
  categories: string[],
): Record<string, Record<string, number>> {
  // Category ids become keys (and field names of the saved job state): unsafe ones are left out.
  const cats = categories.filter(isSafeKey);
  for (const a of cats) {
    for (const b of cats) {
      if (a === b) continue;
      const row = own(pairs, a) ?? (pairs[a] = dict<number>());
      row[b] = (own(row, b) ?? 0) + 1;
    }
  }
  return pairs;
}

/** "Customers who bought X most often also bought Y": the best next category per category. */
export function bestNextCategory(pairs: Record<string, Record<string, number>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [a, row] of Object.entries(pairs)) {
    const best = Object.entries(row)
      .filter(([b]) => isSafeKey(b))
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0];
    if (isSafeKey(a) && best) out[a] = best[0];
  }
  return out;
}

/** Convenience over member category sets. */
export const nextCategoryFrom = (memberCategorySets: string[][]): Record<string, string> =>
  bestNextCategory(memberCategorySets.reduce((p, cats) => addCoPurchase(p, cats), dict<Record<string, number>>()));

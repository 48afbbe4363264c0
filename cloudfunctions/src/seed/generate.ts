/**
 * Deterministic demo data for the 拾光咖啡 private-domain demo.
 *
 * Pure: no I/O, no clock reads (`now` is passed in), no Math.random (seeded PRNG from ./prng).
 * The same options always give byte-identical output (JSON.stringify equal).
 *
 * Conventions: times are epoch ms; day strings are Asia/Shanghai calendar days 'YYYY-MM-DD';
 * money in integer fen; points integers.
 *
 * Derived fields are computed from the generated facts, never invented separately:
 *  - members[].stats / growth / tierId come from the member's completed orders
 *    (refunded orders are excluded; paidTotal sums payAmount; first/lastOrderAt use createdAt);
 *  - members[].points is the final balance of the member's points_ledger;
 *  - products[].sales is the quantity sold in completed orders.
 */
import type { Brand, Staff, Store } from '../domain/org';
import type { Category, Product } from '../domain/catalog';
import { emptyStats, inRefund, isCompleted, OrderDoc, PurchaseStats, statsAfterPayment } from '../domain/orders';
import { earn, expiresAt, LEDGER_TITLE, LedgerEntry, ledgerId, PointsBuckets } from '../domain/points';
import { CheckinDoc, DEFAULT_CHECKIN_RULES, newCheckin, pointsForStreak } from '../domain/checkin';
import type { CollectionSet } from '../domain/documents';
import { ClientEvent, ClientEventType, EventDoc, newTrackedEvent } from '../domain/events';
import { checkIssue, CouponTemplate, issueCoupon } from '../domain/coupons';
import type { MemberCoupon } from '../domain/coupon-rules';
import {
  decideRedemption,
  MallCounter,
  mallCounterId,
  MallItem,
  newRedemption,
  Redemption,
  redemptionIds,
} from '../domain/mall';
import { type MemberDoc as Member, newMemberDoc } from '../domain/member-doc';
import { DEFAULT_TIERS, Tier, tierFor } from '../domain/tiers';
import { addDays, dayStart, shanghai, shanghaiDay } from '../domain/time';
import { addMembershipCatalog, addMembershipState, seedCouponTemplates, seedMallItems } from './membership-state';
import { addTradeCatalog } from './trade-catalog';
import { createRng, Rng } from './prng';
import { SeedOrderPlan, seedOrder } from './orders';

// ---------------------------------------------------------------------------------------------
// Time helpers (the domain's Shanghai calendar)

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Shanghai calendar day of an epoch-ms instant (the domain's rule). */
export { shanghaiDay };

/** Epoch ms of 00:00 Shanghai on the day containing `ms`. */
const shanghaiDayStart = (ms: number): number => dayStart(shanghaiDay(ms));

/** When points earned at `ms` expire (the domain's rule: end of the next Shanghai year). */
export const pointsExpireAt = expiresAt;

// ---------------------------------------------------------------------------------------------
// Document types (the domain's, with what every demo document has set)

/** The demo data set: each collection's documents, as the domain declares them. */
export type DemoData = CollectionSet;

export type BrandDoc = Brand;
export type StoreDoc = Store;
export type StaffDoc = Staff;
export type CategoryDoc = Category;
export type ProductDoc = Product;
/** A seeded tier: every optional field of the domain's tier set. */
export type TierDoc = Required<Tier>;
export type Channel = 'store' | 'guide' | 'referral' | 'ad' | 'official_account';
/** The purchase aggregates a seeded member carries: the same shape live payments keep. */
export type MemberStats = PurchaseStats;
/** A seeded member: the domain's member document (built by newMemberDoc) with what every demo member has set. */
export type MemberDoc = Member & {
  nickname: string;
  avatar: string;
  gender: NonNullable<Member['gender']>;
  birthday: string;
  city: string;
  source: { channel: Channel; storeId?: string; guideId?: string; inviterId?: string };
  storeId: string;
  guideId: string | null;
  tierId: string;
  growth: number;
  points: number;
  /** points per expiry year ('2027' → points expiring 2027-12-31 23:59:59.999 +08:00); sums to `points` */
  pointsBuckets: PointsBuckets;
  balance: number;
  joinedAt: number;
  createdAt: number;
  stats: MemberStats;
  tags: string[];
};
/** A seeded points-ledger entry: the same entry member-tx writes. */
export type PointsLedgerDoc = LedgerEntry;
/** A seeded check-in and behaviour event: the documents the member and crm functions write. */
export type { CheckinDoc, EventDoc };

export type GenerateOptions = { seed: number; consumers: number; now: number };

// ---------------------------------------------------------------------------------------------
// Static catalogue

const BRAND_ID = 'brand_demo';

const STORE_DEFS = [
  { name: '拾光咖啡·静安店', city: '上海', district: '静安区', address: '上海市静安区南京西路1266号恒隆广场B1层' },
  { name: '拾光咖啡·徐汇店', city: '上海', district: '徐汇区', address: '上海市徐汇区衡山路10号1层' },
  { name: '拾光咖啡·湖滨店', city: '杭州', district: '上城区', address: '杭州市上城区东坡路7号湖滨银泰in77 C区1层' },
] as const;
const STORE_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [0, 40],
  [1, 35],
  [2, 25],
];
const GUIDE_NAMES = ['陈静', '王磊', '李娜', '张伟', '刘洋', '赵敏'] as const;

const CATEGORY_DEFS = [
  { _id: 'cat_coffee', name: '咖啡', sort: 1 },
  { _id: 'cat_tea', name: '茶饮', sort: 2 },
  { _id: 'cat_bakery', name: '烘焙', sort: 3 },
  { _id: 'cat_beans', name: '咖啡豆', sort: 4 },
  { _id: 'cat_gear', name: '器具', sort: 5 },
  { _id: 'cat_gift', name: '礼盒', sort: 6 },
] as const;
type CategoryId = (typeof CATEGORY_DEFS)[number]['_id'];

/** [categoryId, name, price fen, memberPrice fen] */
const PRODUCT_DEFS: ReadonlyArray<readonly [CategoryId, string, number, number]> = [
  ['cat_coffee', '冰美式', 2200, 1900],
  ['cat_coffee', '拿铁', 2800, 2500],
  ['cat_coffee', '生椰拿铁', 3200, 2800],
  ['cat_coffee', '燕麦拿铁', 3000, 2700],
  ['cat_coffee', '澳白', 3000, 2700],
  ['cat_coffee', '卡布奇诺', 2800, 2500],
  ['cat_coffee', '焦糖玛奇朵', 3200, 2900],
  ['cat_coffee', '手冲·耶加雪菲', 3800, 3400],
  ['cat_tea', '桂花乌龙', 2600, 2300],
  ['cat_tea', '白桃乌龙', 2600, 2300],
  ['cat_tea', '抹茶拿铁', 3000, 2700],
  ['cat_tea', '柠檬红茶', 2200, 1900],
  ['cat_tea', '茉莉花茶拿铁', 2800, 2500],
  ['cat_bakery', '黄油可颂', 1600, 1400],
  ['cat_bakery', '肉桂卷', 1800, 1600],
  ['cat_bakery', '巴斯克芝士蛋糕', 3200, 2900],
  ['cat_bakery', '提拉米苏', 3600, 3200],
  ['cat_bakery', '原味司康', 1500, 1300],
  ['cat_bakery', '芝麻贝果', 1400, 1200],
  ['cat_beans', '拾光拼配咖啡豆 250g', 8800, 7900],
  ['cat_beans', '云南保山咖啡豆 250g', 7800, 6900],
  ['cat_beans', '埃塞俄比亚耶加雪菲 250g', 12800, 11500],
  ['cat_beans', '挂耳咖啡 10片装', 5900, 5300],
  ['cat_beans', '冷萃咖啡液 8支装', 6900, 6200],
  ['cat_gear', '手冲滤杯套装', 16800, 14900],
  ['cat_gear', '随行保温杯', 12800, 11500],
  ['cat_gear', '陶瓷马克杯', 6800, 5900],
  ['cat_gear', '电动磨豆机', 39900, 35900],
  ['cat_gift', '中秋咖啡礼盒', 29800, 26800],
  ['cat_gift', '新年拾光礼盒', 39800, 35800],
  ['cat_gift', '咖啡豆品鉴礼盒', 25800, 22800],
  ['cat_gift', '企业定制礼盒', 59800, 53800],
];

// The default ladder of the domain, so seeded tiers are the ones the functions compute with.
const TIER_DEFS: TierDoc[] = DEFAULT_TIERS.map((t) => ({
  _id: t._id,
  name: t.name,
  level: t.level,
  threshold: t.threshold,
  keepThreshold: t.keepThreshold ?? t.threshold,
  discount: t.discount ?? 100,
  pointsMultiplier: t.pointsMultiplier ?? 100,
  birthdayCouponTemplateId: t.birthdayCouponTemplateId ?? null,
}));

/** The tier a growth value reaches on the default ladder. */
export const tierForGrowth = (growth: number): string => tierFor(growth, DEFAULT_TIERS).tier._id;

/** How likely a member's favourite category is each one (a coffee brand: drinks dominate). */
const FAVORITE_WEIGHTS: ReadonlyArray<readonly [CategoryId, number]> = [
  ['cat_coffee', 42],
  ['cat_tea', 18],
  ['cat_bakery', 14],
  ['cat_beans', 13],
  ['cat_gear', 5],
  ['cat_gift', 8],
];
/** What a member with a given favourite cross-buys ("progression" of goods). */
const SECONDARY_WEIGHTS: Record<CategoryId, ReadonlyArray<readonly [CategoryId, number]>> = {
  cat_coffee: [
    ['cat_bakery', 45],
    ['cat_beans', 25],
    ['cat_tea', 15],
    ['cat_gear', 8],
    ['cat_gift', 7],
  ],
  cat_tea: [
    ['cat_bakery', 45],
    ['cat_coffee', 35],
    ['cat_gift', 10],
    ['cat_gear', 10],
  ],
  cat_bakery: [
    ['cat_coffee', 60],
    ['cat_tea', 30],
    ['cat_beans', 10],
  ],
  cat_beans: [
    ['cat_gear', 45],
    ['cat_coffee', 30],
    ['cat_gift', 25],
  ],
  cat_gear: [
    ['cat_beans', 70],
    ['cat_coffee', 30],
  ],
  cat_gift: [
    ['cat_beans', 50],
    ['cat_coffee', 30],
    ['cat_gear', 20],
  ],
};
const QTY_WEIGHTS: Record<CategoryId, ReadonlyArray<readonly [number, number]>> = {
  cat_coffee: [
    [1, 70],
    [2, 22],
    [3, 6],
    [4, 2],
  ],
  cat_tea: [
    [1, 72],
    [2, 22],
    [3, 6],
  ],
  cat_bakery: [
    [1, 75],
    [2, 25],
  ],
  cat_beans: [
    [1, 85],
    [2, 15],
  ],
  cat_gear: [[1, 100]],
  cat_gift: [
    [1, 90],
    [2, 10],
  ],
};

/** Purchase-frequency segments: many one-timers, a loyal core, a few corporate-gift whales. */
type BuyerType = 'none' | 'once' | 'occasional' | 'regular' | 'loyal' | 'whale';
const BUYER_TYPE_WEIGHTS: ReadonlyArray<readonly [BuyerType, number]> = [
  ['none', 27],
  ['once', 34],
  ['occasional', 25.5],
  ['regular', 9],
  ['loyal', 4],
  ['whale', 0.5],
];

/** Shanghai-hour weights for orders: breakfast rush, lunch, the 15:00 coffee break. */
const HOUR_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [7, 3],
  [8, 9],
  [9, 10],
  [10, 7],
  [11, 5],
  [12, 6],
  [13, 6],
  [14, 7],
  [15, 10],
  [16, 6],
  [17, 4],
  [18, 3],
  [19, 3],
  [20, 3],
  [21, 2],
];
/** Month factor: hot-coffee season in autumn/winter, Spring Festival dip, summer lull. */
const MONTH_FACTOR = [1.1, 0.85, 1.0, 1.0, 1.0, 1.05, 0.9, 0.9, 1.05, 1.15, 1.25, 1.3] as const;

/** Relative demand on a Shanghai day: season, weekends, marketing nodes (双11, 618, 女神节, 情人节, 圣诞). */
function dayWeight(ms: number): number {
  const d = shanghai(ms);
  const m = d.month() + 1;
  const dd = d.date();
  const wd = d.day();
  let w = MONTH_FACTOR[m - 1] ?? 1;
  if (wd === 0 || wd === 6) w *= 1.15;
  if (m === 11 && dd >= 9 && dd <= 11) w *= 1.8;
  if (m === 6 && dd >= 16 && dd <= 18) w *= 1.5;
  if (m === 3 && dd === 8) w *= 1.3;
  if (m === 2 && dd === 14) w *= 1.3;
  if (m === 12 && (dd === 24 || dd === 25)) w *= 1.4;
  return w;
}
const MAX_DAY_WEIGHT = 3;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '一乙二十丁七九了人力又三下大小山川子文方心月木水火王玉白石立示禾伊安宇羽雨青明静雪思佳欣怡婷涵梓晨睿轩浩然博宁诗琪嘉悦萱瑶妍可馨若彤楠晗琳菲露俊杰泽宇航辰逸凡昊天磊鹏超伟强斌勇军健乐乐';
const NICKNAMES = [
  '小鹿',
  '橙子',
  '阿杰',
  '豆豆',
  '糖糖',
  '木子',
  '阿狸',
  '小满',
  '七七',
  '一一',
  '拾月',
  '晚风',
  '南栀',
  '北辰',
  '青柠',
  '半夏',
  '森林',
  '喵小姐',
  '大白',
  '阿乐',
  '栗子',
  '芒果',
  '柚子',
  '可乐',
  '咖啡因',
  '拿铁控',
  '美式续命',
  '早八人',
  '打工人',
  '阿May',
  'Momo',
  'Coco',
  'Lucky',
  'Kiki',
] as const;
const OTHER_CITIES = ['苏州', '南京', '北京', '深圳', '广州', '成都', '宁波', '无锡'] as const;
const SEARCH_KEYWORDS = [
  '拿铁',
  '美式',
  '咖啡豆',
  '挂耳',
  '礼盒',
  '蛋糕',
  '乌龙',
  '杯子',
  '冷萃',
  '可颂',
  '生椰',
] as const;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// ---------------------------------------------------------------------------------------------
// Generator

type MemberPlan = {
  doc: MemberDoc;
  index: number;
  type: BuyerType;
  favorite: CategoryId;
  secondary: CategoryId;
  favoriteProducts: ProductDoc[];
  crossProb: number;
  orders: OrderDoc[];
};

/** A seeded order before its id (ids follow creation time over all members). */
type PlannedOrder = { plan: MemberPlan; order: Omit<SeedOrderPlan, 'id'> };

/** The whole demo data set: the steps below in order, each from what the previous ones made. */
export function generateDemoData(opts: GenerateOptions): DemoData {
  const { seed, now } = opts;
  const consumers = Math.max(0, Math.floor(opts.consumers));
  if (!Number.isFinite(now)) throw new Error('generateDemoData: now must be epoch ms');
  const rng = createRng(seed);
  const { brands, stores, staff, guidesByStore, categories, tiers, brandCreatedAt } = seedOrganisation(now);
  const { products, catProducts } = seedProducts(rng, brandCreatedAt);
  const plans = seedMembers(rng, { seed, now, consumers }, stores, guidesByStore, catProducts);
  const allOrders = seedOrders(rng, now, plans, catProducts);
  foldPurchases(rng, plans, products);
  const { checkins, checkinsByMember } = seedCheckins(rng, now, plans);
  const mall: MallShelf = { items: seedMallItems(now), templates: seedCouponTemplates(now) };
  const { ledger, mall: redeemed } = seedPointsLedger(rng, now, plans, checkinsByMember, mall);
  const events = seedEvents(rng, now, plans, checkinsByMember, catProducts);
  const members = plans.map((p) => p.doc);
  const out: DemoData = {
    brands,
    stores,
    staff,
    categories,
    tiers,
    products,
    members,
    orders: allOrders,
    points_ledger: ledger,
    checkins,
    events,
    coupon_templates: mall.templates,
    mall_items: mall.items,
    redemptions: redeemed.redemptions,
    mall_counters: [...redeemed.counters.values()],
    member_coupons: redeemed.coupons,
  };
  addMembershipState(out, now);
  addMembershipCatalog(out, now);
  addTradeCatalog(out, now);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The steps

/** Step 1: the brand, its stores, guides and operator, categories and the tier ladder. */
function seedOrganisation(now: number) {
  const brandCreatedAt = shanghaiDayStart(now - 900 * DAY);
  const brands: BrandDoc[] = [
    {
      _id: BRAND_ID,
      name: '拾光咖啡',
      slogan: '每一杯，都是拾起的时光',
      logo: '/assets/brand/logo.png',
      servicePhone: '400-820-1314',
      createdAt: brandCreatedAt,
    },
  ];
  const stores: StoreDoc[] = STORE_DEFS.map((s, i) => ({
    _id: `store_${i + 1}`,
    brandId: BRAND_ID,
    name: s.name,
    city: s.city,
    district: s.district,
    address: s.address,
    phone: `021-6${pad(2_880_000 + i * 1111, 7)}`,
    openHours: '07:30-21:30',
    createdAt: brandCreatedAt + (i * 60 + 10) * DAY,
  }));
  const staff: StaffDoc[] = GUIDE_NAMES.map((name, i) => ({
    _id: `guide_${i + 1}`,
    openid: `guide_${i + 1}`,
    role: 'guide' as const,
    storeId: `store_${Math.floor(i / 2) + 1}`,
    name,
    active: true,
    createdAt: brandCreatedAt + (Math.floor(i / 2) * 60 + 12 + (i % 2) * 30) * DAY,
  }));
  staff.push({
    _id: 'op_admin',
    openid: 'op_admin',
    role: 'operator',
    storeId: null,
    name: '品牌运营',
    active: true,
    createdAt: brandCreatedAt,
  });
  const guidesByStore = new Map<string, StaffDoc[]>();
  for (const g of staff) {
    if (g.role !== 'guide' || g.storeId === null) continue;
    const list = guidesByStore.get(g.storeId) ?? [];
    list.push(g);
    guidesByStore.set(g.storeId, list);
  }
  const categories: CategoryDoc[] = CATEGORY_DEFS.map((c) => ({ _id: c._id, name: c.name, sort: c.sort }));
  const tiers: TierDoc[] = TIER_DEFS.map((t) => ({ ...t }));
  return { brands, stores, staff, guidesByStore, categories, tiers, brandCreatedAt };
}

/** Step 2: the product catalogue, with stock and launch dates. */
function seedProducts(rng: Rng, brandCreatedAt: number) {
  const products: ProductDoc[] = PRODUCT_DEFS.map(([categoryId, name, price, memberPrice], i) => ({
    _id: `p_${pad(i + 1, 3)}`,
    categoryId,
    name,
    price,
    memberPrice,
    stock: categoryId === 'cat_gear' || categoryId === 'cat_gift' ? rng.int(40, 200) : rng.int(300, 2000),
    images: [`/assets/products/${categoryId}.png`],
    onShelf: true,
    sales: 0,
    createdAt: brandCreatedAt + rng.int(20, 400) * DAY,
  }));
  const productsByCat = new Map<CategoryId, ProductDoc[]>();
  for (const p of products) {
    const c = p.categoryId as CategoryId;
    const list = productsByCat.get(c) ?? [];
    list.push(p);
    productsByCat.set(c, list);
  }
  const catProducts = (c: CategoryId): ProductDoc[] => productsByCat.get(c) ?? [];
  return { products, catProducts };
}

/** Step 3: members joining over two years, each with a source, a store, a guide and a buying habit. */
function seedMembers(
  rng: Rng,
  o: { seed: number; now: number; consumers: number },
  stores: StoreDoc[],
  guidesByStore: Map<string, StaffDoc[]>,
  catProducts: (c: CategoryId) => ProductDoc[],
): MemberPlan[] {
  const { seed, now, consumers } = o;
  // Join times: the pool grows over two years, somewhat denser towards now; m_1 joined first.
  const joinSpan = 720 * DAY;
  const joinTimes: number[] = [];
  for (let i = 0; i < consumers; i++) {
    const u = rng.next();
    const x = rng.chance(0.5) ? u : Math.sqrt(u);
    joinTimes.push(Math.floor(now - joinSpan + x * (joinSpan - HOUR)));
  }
  joinTimes.sort((a, b) => a - b);

  const phoneOffset = rng.int(0, 99_999_999);
  const plans: MemberPlan[] = [];
  for (let i = 0; i < consumers; i++) {
    const n = i + 1;
    const joinedAt = joinTimes[i] as number;
    const storeIdx = rng.weighted(STORE_WEIGHTS);
    const store = stores[storeIdx] as StoreDoc;
    const storeGuides = guidesByStore.get(store._id) ?? [];
    let channel = rng.weighted<Channel>([
      ['store', 30],
      ['guide', 30],
      ['referral', 12],
      ['ad', 14],
      ['official_account', 14],
    ]);
    if (channel === 'referral' && i === 0) channel = 'ad';
    const source: MemberDoc['source'] = { channel };
    let guideId: string | null = null;
    if (channel === 'guide') {
      guideId = rng.pick(storeGuides)._id;
      source.storeId = store._id;
      source.guideId = guideId;
    } else {
      if (channel === 'store') source.storeId = store._id;
      if (channel === 'referral') source.inviterId = `m_${rng.int(1, i)}`; // someone who joined earlier
      if (rng.chance(channel === 'store' ? 0.45 : 0.25)) guideId = rng.pick(storeGuides)._id;
    }
    const gender = rng.weighted<MemberDoc['gender']>([
      ['female', 55],
      ['male', 35],
      ['unknown', 10],
    ]);
    const nickname = rng.chance(0.55)
      ? rng.pick([...SURNAMES]) + (rng.chance(0.5) ? rng.pick([...GIVEN]) : '') + rng.pick([...GIVEN])
      : rng.pick(NICKNAMES) + (rng.chance(0.3) ? String(rng.int(1, 99)) : '');
    const birthYear = rng.weighted<number>([
      [rng.int(1970, 1984), 20],
      [rng.int(1985, 1994), 40],
      [rng.int(1995, 2006), 40],
    ]);
    const birthday = addDays(`${birthYear}-01-01`, rng.int(0, 364));
    const city = rng.chance(0.85) ? store.city : rng.pick(OTHER_CITIES);
    // The same document the first call of an OPENID creates, then the demo member's profile and store.
    const doc: MemberDoc = {
      _id: `m_${n}`,
      ...newMemberDoc(`user_${n}`, joinedAt, source),
      nickname,
      avatar: `/assets/avatars/${pad(rng.int(1, 24), 2)}.png`,
      gender,
      birthday,
      city,
      source,
      storeId: store._id,
      guideId,
    };
    if (rng.chance(0.62)) doc.unionid = `oU_${seed >>> 0}_${pad(n, 6)}_${pad(rng.int(0, 0xffff), 5)}`;
    if (rng.chance(0.7)) {
      // 7919 is coprime with 10^8, so n → (n·7919 + offset) mod 10^8 is injective: phones are unique.
      doc.phone = `138${pad((n * 7919 + phoneOffset) % 100_000_000, 8)}`;
    }

    const type = rng.weighted(BUYER_TYPE_WEIGHTS);
    let favorite = rng.weighted(FAVORITE_WEIGHTS);
    if (type === 'whale') favorite = 'cat_gift';
    const secondary = rng.weighted(SECONDARY_WEIGHTS[favorite]);
    // Cross-category propensity: half the members never cross-buy, the rest now and then.
    const crossProb = rng.chance(0.5) ? 0 : rng.range(0.05, 0.25);
    const favoriteProducts = rng.sample(catProducts(favorite), 2);
    plans.push({ doc, index: i, type, favorite, secondary, favoriteProducts, crossProb, orders: [] });
  }
  return plans;
}

/** A shop-like instant in [a, b): busier days and hours (breakfast, lunch, 15:00) more likely. */
function sampleTime(rng: Rng, a: number, b: number): number {
  if (b <= a) return a;
  for (let tries = 0; tries < 30; tries++) {
    const t = a + rng.next() * (b - a);
    if (rng.next() * MAX_DAY_WEIGHT >= dayWeight(t)) continue;
    const hour = rng.weighted(HOUR_WEIGHTS);
    const t2 = shanghaiDayStart(t) + hour * HOUR + rng.int(0, 3599) * 1000 + rng.int(0, 999);
    return t2 >= a && t2 < b ? t2 : Math.floor(t);
  }
  return Math.floor(a + rng.next() * (b - a));
}

/** Step 4: each member's orders of the last 12 months by their habit, written as the shop writes them. */
function seedOrders(
  rng: Rng,
  now: number,
  plans: MemberPlan[],
  catProducts: (c: CategoryId) => ProductDoc[],
): OrderDoc[] {
  // Time window for orders: the 12 months before now (strictly inside).
  const windowStart = now - 364 * DAY;
  const buildLines = (plan: MemberPlan, bulkGift: boolean): SeedOrderPlan['lines'] => {
    const lines: SeedOrderPlan['lines'] = [];
    const used = new Set<string>();
    const addLine = (p: ProductDoc, qty: number): void => {
      if (used.has(p._id)) return;
      used.add(p._id);
      lines.push({ product: p, qty });
    };
    const nPrimary = rng.weighted<number>([
      [1, 70],
      [2, 25],
      [3, 5],
    ]);
    for (let k = 0; k < nPrimary; k++) {
      // Half the time the first line is "the usual" (the same latte again): same-product repurchase (单品回购).
      const usual = k === 0 && rng.chance(0.5) ? plan.favoriteProducts[0] : undefined;
      const p = usual ?? (rng.chance(0.7) ? rng.pick(plan.favoriteProducts) : rng.pick(catProducts(plan.favorite)));
      const qty = bulkGift ? rng.int(3, 15) : rng.weighted(QTY_WEIGHTS[plan.favorite]);
      addLine(p, qty);
    }
    if (plan.crossProb > 0 && rng.chance(plan.crossProb)) {
      const p = rng.pick(catProducts(plan.secondary));
      addLine(p, rng.weighted(QTY_WEIGHTS[plan.secondary]));
    }
    return lines;
  };

  const orderCountFor = (type: BuyerType): number => {
    switch (type) {
      case 'none':
        return 0;
      case 'once':
        return 1;
      case 'occasional':
        return rng.int(2, 3);
      case 'regular':
        return rng.int(4, 9);
      case 'loyal':
        return 10 + Math.floor(rng.next() * rng.next() * 30);
      case 'whale':
        return rng.int(6, 14);
    }
  };

  const planned: PlannedOrder[] = [];
  for (const plan of plans) {
    let k = orderCountFor(plan.type);
    if (k === 0) continue;
    const m = plan.doc;
    const lo = Math.max(m.joinedAt + 5 * MINUTE, windowStart);
    const hi = now - 10 * MINUTE;
    if (hi <= lo) continue;
    const availDays = (hi - lo) / DAY;
    if (k > 1) k = Math.max(1, Math.min(k, 1 + Math.floor(availDays / 3)));

    const times: number[] = [];
    // Many members join at the counter and buy right away.
    const joinedInWindow = m.joinedAt > windowStart;
    let first: number;
    if (joinedInWindow && rng.chance(0.45)) {
      first = Math.min(hi - 1, m.joinedAt + rng.int(6, 90) * MINUTE);
    } else {
      first = k === 1 ? sampleTime(rng, lo, hi) : sampleTime(rng, lo, lo + (hi - lo) * (k >= 4 ? 0.25 : 0.6));
    }
    times.push(first);
    if (k > 1) {
      // Some repeat buyers drift away (low recency), the rest are still active.
      const churned = rng.chance(plan.type === 'loyal' || plan.type === 'whale' ? 0.2 : 0.4);
      const end = churned ? first + (hi - first) * rng.range(0.15, 0.6) : hi;
      for (let j = 1; j < k; j++) times.push(sampleTime(rng, first + 1, Math.max(first + 2, end)));
    }
    times.sort((a, b) => a - b);

    const onlineShare =
      plan.favorite === 'cat_beans' || plan.favorite === 'cat_gear' || plan.favorite === 'cat_gift' ? 0.65 : 0.3;
    for (const createdAt of times) {
      const bulkGift = plan.type === 'whale' && rng.chance(0.6);
      const lines = buildLines(plan, bulkGift);
      const pickup = !rng.chance(onlineShare);
      const paidAt = createdAt + rng.int(5, 120) * 1000;
      const refunded = rng.chance(0.02);
      const endedAt = refunded
        ? Math.min(now, paidAt + rng.int(10, 72 * 60) * MINUTE)
        : Math.min(now, paidAt + (pickup ? rng.int(3, 15) * MINUTE : rng.int(2, 72) * HOUR));
      const handedAt = paidAt + Math.floor((endedAt - paidAt) / 2);
      planned.push({ plan, order: { buyer: m, lines, pickup, createdAt, paidAt, endedAt, handedAt, refunded } });
    }
  }
  // Global ids in time order (stable sort keeps member order on ties), in the shop's id format.
  planned.sort((a, b) => a.order.createdAt - b.order.createdAt);
  const allOrders: OrderDoc[] = planned.map(({ plan, order }, i) => {
    const doc = seedOrder({ ...order, id: `OD${order.createdAt.toString(36).toUpperCase()}${pad(i + 1, 8)}` });
    plan.orders.push(doc);
    return doc;
  });
  return allOrders;
}

/** Step 5: purchase aggregates, growth and tier from each member's completed orders; product sales; stored value. */
function foldPurchases(rng: Rng, plans: MemberPlan[], products: ProductDoc[]): void {
  const salesByProduct = new Map<string, number>();
  for (const plan of plans) {
    const m = plan.doc;
    const paid = plan.orders.filter((o) => isCompleted(o.status));
    // The aggregates exactly as live payments build them (one model): each completed order folded in.
    m.stats = paid.reduce<MemberStats>(
      (st, o) =>
        statsAfterPayment(st, {
          categoryIds: o.lines.map((l) => l.categoryId),
          productIds: o.lines.map((l) => l.productId),
          money: o.payAmount,
          // Imported history is dated by creation (see statsAfterRefund).
          createdAt: o.createdAt,
          paidAt: o.createdAt,
        }),
      emptyStats(),
    );
    for (const o of paid)
      for (const l of o.lines) salesByProduct.set(l.productId, (salesByProduct.get(l.productId) ?? 0) + l.qty);
    const paidTotal = m.stats.paidTotal;
    m.growth = Math.floor(paidTotal / 100);
    m.tierId = tierForGrowth(m.growth);
    // Stored value (储值): a few engaged members keep a prepaid balance, some pay with it.
    if (paid.length >= 3 && rng.chance(0.18)) {
      m.balance = rng.pick([5_000, 10_000, 20_000, 50_000]) - rng.int(0, 40) * 100;
    } else if (paid.length === 0 && rng.chance(0.01)) {
      m.balance = 10_000;
    }
  }
  for (const p of products) p.sales = salesByProduct.get(p._id) ?? 0;
}

/** Step 6: check-ins of the last ~60 days, the more active members more often. */
function seedCheckins(rng: Rng, now: number, plans: MemberPlan[]) {
  const checkins: CheckinDoc[] = [];
  const checkinsByMember = new Map<string, CheckinDoc[]>();
  const todayStart = shanghaiDayStart(now);
  const checkinProbability: Record<BuyerType, number> = {
    none: 0.06,
    once: 0.08,
    occasional: 0.3,
    regular: 0.7,
    loyal: 0.9,
    whale: 0.3,
  };
  for (const plan of plans) {
    const m = plan.doc;
    const recentBuyer = m.stats.lastOrderAt !== null && m.stats.lastOrderAt >= now - 90 * DAY;
    const p = checkinProbability[plan.type] * (recentBuyer ? 1.3 : 0.6);
    if (!rng.chance(p)) continue;
    const startP = rng.range(0.12, 0.5);
    const keepP = rng.range(0.55, 0.93);
    let streak = 0;
    const list: CheckinDoc[] = [];
    for (let d = 59; d >= 0; d--) {
      const dayStart = todayStart - d * DAY;
      const t = dayStart + rng.int(7 * 60, 23 * 60) * MINUTE + rng.int(0, 59_999);
      const doIt = rng.chance(streak > 0 ? keepP : startP);
      if (!doIt || t >= now || t <= m.joinedAt) {
        streak = 0;
        continue;
      }
      streak += 1;
      const day = shanghaiDay(t);
      const c = newCheckin(m._id, day, { streak, points: pointsForStreak(streak, DEFAULT_CHECKIN_RULES).points }, t);
      list.push(c);
      checkins.push(c);
    }
    if (list.length > 0) checkinsByMember.set(m._id, list);
  }
  return { checkins, checkinsByMember };
}

/** Step 7: the points ledger (order rewards, check-ins, redemptions); members' points and buckets follow it. */
function seedPointsLedger(
  rng: Rng,
  now: number,
  plans: MemberPlan[],
  checkinsByMember: Map<string, CheckinDoc[]>,
  mall: MallShelf,
): { ledger: PointsLedgerDoc[]; mall: MallHistory } {
  // Orders earn floor(payAmount/100) on completion, check-ins what the streak rule pays (pointsForStreak).
  // Some members redeem in the points mall; a redemption is placed strictly between two
  // consecutive credits and never exceeds the balance at that moment, so no running balance is
  // negative. Nothing has expired yet: the earliest credit (≤ 12 months ago) expires at the end
  // of the following calendar year.
  const ledger: PointsLedgerDoc[] = [];
  const history: MallHistory = { redemptions: [], counters: new Map(), coupons: [] };
  for (const plan of plans) {
    const m = plan.doc;
    const credits: PointsLedgerDoc[] = [];
    for (const o of plan.orders) {
      // Earned at payment, as the pay callback credits it (refunded orders were taken back: nothing left).
      const delta = isCompleted(o.status) ? (o.earned?.points ?? 0) : 0;
      if (delta <= 0 || o.paidAt === undefined) continue;
      credits.push({
        _id: '',
        memberId: m._id,
        delta,
        balanceAfter: 0,
        source: 'order_reward',
        refId: o._id,
        title: LEDGER_TITLE.orderReward(o._id),
        createdAt: o.paidAt,
        expireAt: pointsExpireAt(o.paidAt),
      });
    }
    for (const c of checkinsByMember.get(m._id) ?? []) {
      credits.push({
        _id: '',
        memberId: m._id,
        delta: c.points,
        balanceAfter: 0,
        source: 'checkin',
        refId: c._id,
        title: LEDGER_TITLE.checkin(c.streak, c.points - DEFAULT_CHECKIN_RULES.basePoints),
        createdAt: c.createdAt,
        expireAt: pointsExpireAt(c.createdAt),
      });
    }
    credits.sort((a, b) => a.createdAt - b.createdAt);
    const entries: PointsLedgerDoc[] = [];
    const redeemer = rng.chance(0.35);
    let balance = 0;
    // The domain's bucket rule: credit into the expiry-year bucket, spend soonest-expiring first.
    let buckets: PointsBuckets = {};
    for (let j = 0; j < credits.length; j++) {
      const c = credits[j] as PointsLedgerDoc;
      balance += c.delta;
      buckets = earn(buckets, c.delta, c.createdAt);
      c.balanceAfter = balance;
      entries.push(c);
      if (!redeemer || !rng.chance(0.25)) continue;
      const next = credits[j + 1];
      const until = Math.min(now, next ? next.createdAt : c.createdAt + 7 * DAY);
      if (until - c.createdAt < 2) continue;
      const t = c.createdAt + 1 + Math.floor(rng.next() * (until - c.createdAt - 1));
      const r = redeemFromShelf(rng, mall, history, m._id, buckets, t);
      if (!r) continue;
      balance -= r.item.pointsPrice;
      buckets = r.buckets;
      entries.push({
        _id: '',
        memberId: m._id,
        delta: -r.item.pointsPrice,
        balanceAfter: balance,
        source: 'redeem',
        refId: r.requestId,
        title: LEDGER_TITLE.redeem(r.item.name),
        createdAt: t,
        expireAt: null,
      });
    }
    m.points = balance;
    m.pointsBuckets = buckets;
    for (const e of entries) ledger.push(e);
  }
  ledger.sort((a, b) => a.createdAt - b.createdAt);
  // The member transaction's ledger key: a reference applies once.
  for (const e of ledger) e._id = ledgerId(e.memberId, e.source, e.refId);
  return { ledger, mall: history };
}

/** The points mall as the history found it: its items and the coupon templates the coupon items issue. */
type MallShelf = { items: MallItem[]; templates: CouponTemplate[] };
/** What the history's redemptions wrote, as the member function's `redeem` writes it. */
type MallHistory = { redemptions: Redemption[]; counters: Map<string, MallCounter>; coupons: MemberCoupon[] };

// Leave a tenth of each item's loaded stock on the shelf, so the demo mall never opens sold out.
const SHELF_RESERVE = 0.1;

/**
 * One redemption at `t` of an item the member may redeem then (the domain's decideRedemption, a coupon item only
 * while its template can issue): stock and `redeemed` move on the item, the member's count on its counter, the
 * template's `issued`, and the coupon lands in the wallet, as `redeem` in the member function does.
 */
function redeemFromShelf(
  rng: Rng,
  shelf: MallShelf,
  history: MallHistory,
  memberId: string,
  buckets: PointsBuckets,
  t: number,
): { item: MallItem; requestId: string; buckets: PointsBuckets } | null {
  const choices: Array<{ item: MallItem; buckets: PointsBuckets; tpl: CouponTemplate | null }> = [];
  for (const item of shelf.items) {
    if ((item.createdAt ?? 0) > t || item.stock <= (item.stock + (item.redeemed ?? 0)) * SHELF_RESERVE) continue;
    const redeemedBefore = history.counters.get(mallCounterId(memberId, item._id))?.count ?? 0;
    const d = decideRedemption({ buckets, item, redeemedBefore });
    const tpl = shelf.templates.find((x) => x._id === item.couponTemplateId) ?? null;
    if (!d.ok || (item.type === 'coupon' && (!tpl || !checkIssue(tpl, t).ok))) continue;
    choices.push({ item, buckets: d.buckets, tpl });
  }
  if (choices.length === 0) return null;
  const { item, tpl, buckets: after } = rng.pick(choices);
  const requestId = `seed${pad(history.redemptions.length + 1, 6)}`;
  const ids = redemptionIds(memberId, requestId);
  const counterId = mallCounterId(memberId, item._id);
  const counter = history.counters.get(counterId) ?? { _id: counterId, memberId, itemId: item._id, count: 0 };
  counter.count += 1;
  history.counters.set(counterId, counter);
  item.stock -= 1;
  item.redeemed = (item.redeemed ?? 0) + 1;
  let couponId: string | null = null;
  if (tpl) {
    couponId = ids.couponId;
    tpl.issued += 1;
    history.coupons.push({ _id: couponId, ...issueCoupon(tpl, memberId, t, 'mall') });
  }
  const holdId = `seed:${requestId}`;
  history.redemptions.push(newRedemption({ _id: ids.redemptionId, memberId, item, couponId, holdId, now: t }));
  return { item, requestId, buckets: after };
}

/** Step 8: behaviour events of the last 30 days for active members. */
function seedEvents(
  rng: Rng,
  now: number,
  plans: MemberPlan[],
  checkinsByMember: Map<string, CheckinDoc[]>,
  catProducts: (c: CategoryId) => ProductDoc[],
): EventDoc[] {
  const events: EventDoc[] = [];
  const eventStart = now - 30 * DAY;
  for (const plan of plans) {
    const m = plan.doc;
    const recentBuyer = m.stats.lastOrderAt !== null && m.stats.lastOrderAt >= now - 60 * DAY;
    const active = recentBuyer || checkinsByMember.has(m._id) || (m.joinedAt >= eventStart && rng.chance(0.5));
    if (!active) continue;
    const lo = Math.max(eventStart, m.joinedAt + MINUTE);
    const hi = now - 5 * MINUTE;
    if (hi <= lo) continue;
    const sessions = rng.int(1, 5) + (plan.type === 'loyal' || plan.type === 'regular' ? rng.int(1, 3) : 0);
    for (let s = 0; s < sessions; s++) {
      let ts = sampleTime(rng, lo, hi);
      const push = (e: Omit<ClientEvent, 'id' | 'ts'> & { type: ClientEventType }, dwell: number): boolean => {
        if (ts >= now) return false;
        // The tracker sends as it goes: each event arrives when it happened.
        events.push(newTrackedEvent(m._id, { id: '', ts, ...e }, ts));
        ts += dwell + rng.int(1, 20) * 1000;
        return true;
      };
      const homeDwell = rng.int(3, 40) * 1000;
      push({ type: 'page_view', page: 'pages/index/index', dwellMs: homeDwell }, homeDwell);
      if (rng.chance(0.15)) push({ type: 'search', keyword: rng.pick(SEARCH_KEYWORDS) }, rng.int(2, 10) * 1000);
      const views = rng.int(1, 3);
      for (let v = 0; v < views; v++) {
        const cat = rng.chance(0.75) ? plan.favorite : rng.chance(0.6) ? plan.secondary : rng.pick(CATEGORY_DEFS)._id;
        const p =
          rng.chance(0.5) && cat === plan.favorite ? rng.pick(plan.favoriteProducts) : rng.pick(catProducts(cat));
        const dwell = rng.int(4, 90) * 1000;
        if (!push({ type: 'product_view', productId: p._id, categoryId: p.categoryId, dwellMs: dwell }, dwell)) break;
        if (rng.chance(0.07)) push({ type: 'favorite', productId: p._id, categoryId: p.categoryId }, 1000);
        if (rng.chance(0.14)) push({ type: 'add_to_cart', productId: p._id, categoryId: p.categoryId }, 1000);
        if (rng.chance(0.04)) push({ type: 'share', productId: p._id, categoryId: p.categoryId }, 3000);
      }
    }
  }
  events.sort((a, b) => a.ts - b.ts);
  events.forEach((e, i) => {
    e._id = `${e.memberId}:ev${pad(i + 1, 6)}`;
  });
  return events;
}

// ---------------------------------------------------------------------------------------------
// Summary (for the README and a log line)

export type DemoSummary = {
  counts: Record<string, number>;
  totalDocs: number;
  members: number;
  buyers: number;
  repurchasers: number;
  multiCategoryBuyers: number;
  /** members who bought one product (单品) in ≥ 2 completed orders */
  sameProductRepurchasers: number;
  /** members with ≥ 2 completed orders / members */
  repurchaseRate: number;
  /** same-product repurchasers / members (the target seed 000 sets at 30%) */
  sameProductRepurchaseRate: number;
  /** members whose completed orders span ≥ 2 categories / members */
  multiCategoryRate: number;
  completedOrders: number;
  refundedOrders: number;
  /** sum of payAmount over completed orders, fen */
  gmv: number;
  membersByTier: Record<string, number>;
};

export function summarizeDemoData(data: DemoData): DemoSummary {
  const counts: Record<string, number> = {};
  let totalDocs = 0;
  for (const [name, docs] of Object.entries(data)) {
    counts[name] = docs.length;
    totalDocs += docs.length;
  }
  const members = data.members ?? [];
  const perMember = new Map<string, { orders: number; cats: Set<string>; products: Map<string, number> }>();
  let completedOrders = 0;
  let refundedOrders = 0;
  let gmv = 0;
  for (const o of data.orders ?? []) {
    if (!isCompleted(o.status)) {
      if (inRefund(o.status)) refundedOrders += 1;
      continue;
    }
    completedOrders += 1;
    gmv += o.payAmount;
    const entry = perMember.get(o.memberId) ?? {
      orders: 0,
      cats: new Set<string>(),
      products: new Map<string, number>(),
    };
    entry.orders += 1;
    for (const l of o.lines) entry.cats.add(l.categoryId);
    for (const p of new Set(o.lines.map((l) => l.productId))) entry.products.set(p, (entry.products.get(p) ?? 0) + 1);
    perMember.set(o.memberId, entry);
  }
  let repurchasers = 0;
  let multiCategoryBuyers = 0;
  let sameProductRepurchasers = 0;
  for (const e of perMember.values()) {
    if (e.orders >= 2) repurchasers += 1;
    if ([...e.products.values()].some((k) => k >= 2)) sameProductRepurchasers += 1;
    if (e.cats.size >= 2) multiCategoryBuyers += 1;
  }
  const membersByTier: Record<string, number> = {};
  for (const t of data.tiers ?? []) membersByTier[t._id] = 0;
  for (const m of members) {
    const tierId = String(m.tierId);
    membersByTier[tierId] = (membersByTier[tierId] ?? 0) + 1;
  }
  const n = members.length;
  return {
    counts,
    totalDocs,
    members: n,
    buyers: perMember.size,
    repurchasers,
    multiCategoryBuyers,
    sameProductRepurchasers,
    repurchaseRate: n > 0 ? repurchasers / n : 0,
    sameProductRepurchaseRate: n > 0 ? sameProductRepurchasers / n : 0,
    multiCategoryRate: n > 0 ? multiCategoryBuyers / n : 0,
    completedOrders,
    refundedOrders,
    gmv,
    membersByTier,
  };
}

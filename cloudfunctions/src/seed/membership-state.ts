// Derives the membership state the member function keeps on each member (rolling growth per month,
// check-in streak, tier review date, ONE ID bindings) from the generated history, using the same
// domain rules the functions use, so seeded members behave exactly like members made by use.
import { currentStreak } from '../domain/checkin';
import type { CouponTemplate } from '../domain/coupons';
import type { MallItem } from '../domain/mall';
import type { CollectionSet as DemoData } from '../domain/documents';
import { EventDoc, tallyBehavior } from '../domain/events';
import type { IdentityDoc } from '../domain/member-doc';
import { isCompleted } from '../domain/orders';
import { LEDGER_TITLE, LedgerEntry } from '../domain/points';
import { growthForPayment } from '../domain/tiers';
import { shanghaiDay, shanghaiMonth } from '../domain/time';

const YEAR_MS = 365 * 24 * 3600_000;

/** Adds growthByMonth, checkin, tierReviewAt to members, keep thresholds to tiers, and an identities collection. */
export function addMembershipState(data: DemoData, now: number): void {
  const growth = new Map<string, Record<string, number>>();
  const months = new Map<string, Record<string, { n: number; amt: number }>>();
  for (const o of data.orders ?? []) {
    if (!isCompleted(o.status)) continue;
    const paidAt = o.paidAt ?? o.createdAt;
    const mm = months.get(o.memberId) ?? {};
    const k = shanghaiMonth(paidAt);
    mm[k] = { n: (mm[k]?.n ?? 0) + 1, amt: (mm[k]?.amt ?? 0) + o.payAmount };
    months.set(o.memberId, mm);
    if (paidAt < now - YEAR_MS) continue;
    const m = growth.get(o.memberId) ?? {};
    m[k] = (m[k] ?? 0) + growthForPayment(o.payAmount);
    growth.set(o.memberId, m);
  }
  const days = new Map<string, Set<string>>();
  for (const c of data.checkins ?? []) {
    const s = days.get(c.memberId) ?? new Set<string>();
    s.add(c.day);
    days.set(c.memberId, s);
  }
  // Behavior aggregates as the tracker builds them (the crm function's tally): type → category → day → count.
  const recent = new Map<string, EventDoc[]>();
  for (const ev of data.events ?? []) {
    if (ev.origin !== 'client' || ev.ts < now - 30 * 24 * 3600_000) continue;
    const list = recent.get(ev.memberId) ?? [];
    list.push(ev);
    recent.set(ev.memberId, list);
  }
  const identities: IdentityDoc[] = [];
  const balanceLedger: LedgerEntry[] = [];
  for (const m of data.members ?? []) {
    const joined = m.joinedAt ?? now;
    // Stored value carried over from before the mini-program: one opening entry, so the ledger sums to the balance.
    if ((m.balance ?? 0) > 0)
      balanceLedger.push({
        _id: `${m._id}:opening:import`,
        memberId: m._id,
        delta: m.balance ?? 0,
        balanceAfter: m.balance ?? 0,
        source: 'opening',
        refId: 'import',
        title: LEDGER_TITLE.openingBalance,
        createdAt: joined,
      });
    m.growthByMonth = growth.get(m._id) ?? {};
    m.stats = { ...m.stats, months: months.get(m._id) ?? {} };
    const events = recent.get(m._id);
    if (events) m.behavior = tallyBehavior(undefined, events, shanghaiDay).behavior;
    const checked = days.get(m._id);
    const lastDay = checked ? ([...checked].sort().pop() ?? null) : null;
    m.checkin = { lastDay, streak: checked ? currentStreak(checked, now) : 0 };
    // Reviews spread over the coming year, as if each tier was reached on the member's join anniversary.
    m.tierReviewAt = joined + Math.ceil((now - joined) / YEAR_MS) * YEAR_MS;
    if (m.phone) identities.push({ _id: `phone:${m.phone}`, memberId: m._id, createdAt: joined });
    if (m.unionid) identities.push({ _id: `unionid:${m.unionid}`, memberId: m._id, createdAt: joined });
  }
  data.identities = identities;
  data.balance_ledger = balanceLedger;
  for (const t of data.tiers ?? []) {
    // Silver and up get a birthday gift coupon.
    if (t.level >= 1 && !t.birthdayCouponTemplateId) t.birthdayCouponTemplateId = 'ct_birthday';
  }
}

const DAY_MS = 24 * 3600_000;

/** The coupon templates an operator would have set up (`issued` counts what the history issued). */
export function seedCouponTemplates(now: number): CouponTemplate[] {
  // Only claimable templates are in the claim centre; the birthday, recall and mall coupons are issued by their
  // own flows.
  return [
    {
      _id: 'ct_birthday',
      name: '生日礼券',
      kind: 'no_threshold',
      threshold: 0,
      amount: 2000,
      percent: null,
      cap: null,
      scope: { type: 'all' },
      validity: { type: 'relative', days: 30 },
      quota: 1000000,
      issued: 0,
      perMemberLimit: 0,
      status: 'active',
      claimable: false,
      createdAt: now - 200 * DAY_MS,
    },
    {
      _id: 'ct_recall',
      name: '老友回归券',
      kind: 'threshold',
      threshold: 5000,
      amount: 1500,
      percent: null,
      cap: null,
      scope: { type: 'all' },
      validity: { type: 'relative', days: 14 },
      quota: 100000,
      issued: 0,
      perMemberLimit: 0,
      status: 'active',
      claimable: false,
      createdAt: now - 10 * DAY_MS,
    },
    {
      _id: 'ct_new',
      name: '新人专享券',
      kind: 'no_threshold',
      threshold: 0,
      amount: 500,
      percent: null,
      cap: null,
      scope: { type: 'all' },
      validity: { type: 'relative', days: 7 },
      quota: 100000,
      issued: 0,
      perMemberLimit: 1,
      status: 'active',
      claimable: true,
      audience: 'new_member',
      createdAt: now - 90 * DAY_MS,
    },
    {
      _id: 'ct_full100',
      name: '满100减20',
      kind: 'threshold',
      threshold: 10000,
      amount: 2000,
      percent: null,
      cap: null,
      scope: { type: 'all' },
      validity: { type: 'relative', days: 30 },
      quota: 5000,
      issued: 0,
      perMemberLimit: 2,
      status: 'active',
      claimable: true,
      createdAt: now - 60 * DAY_MS,
    },
    {
      _id: 'ct_beans85',
      name: '咖啡豆 8.5 折券',
      kind: 'discount',
      threshold: 0,
      amount: 0,
      percent: 85,
      cap: 3000,
      scope: { type: 'categories', ids: ['cat_beans'] },
      validity: { type: 'relative', days: 15 },
      quota: 2000,
      issued: 0,
      perMemberLimit: 1,
      status: 'active',
      claimable: true,
      createdAt: now - 30 * DAY_MS,
    },
    {
      _id: 'ct_mall10',
      name: '积分兑换 10 元券',
      kind: 'threshold',
      threshold: 5000,
      amount: 1000,
      percent: null,
      cap: null,
      scope: { type: 'all' },
      validity: { type: 'relative', days: 30 },
      quota: 100000,
      issued: 0,
      perMemberLimit: 0,
      status: 'active',
      claimable: false,
      createdAt: now - 120 * DAY_MS,
    },
  ];
}

/** The points-mall shelf (stock and `redeemed` as loaded, before the history's redemptions). */
export function seedMallItems(now: number): MallItem[] {
  return [
    {
      _id: 'mi_coupon10',
      type: 'coupon',
      name: '10 元代金券（满50可用）',
      pointsPrice: 300,
      stock: 10000,
      perMemberLimit: 0,
      onShelf: true,
      couponTemplateId: 'ct_mall10',
      image: '/assets/mall/coupon.png',
      desc: '兑换后 30 天内有效',
      sort: 1,
      redeemed: 0,
      createdAt: now - 120 * DAY_MS,
    },
    {
      _id: 'mi_mug',
      type: 'goods',
      name: '拾光定制马克杯',
      pointsPrice: 1200,
      stock: 200,
      perMemberLimit: 1,
      onShelf: true,
      couponTemplateId: null,
      image: '/assets/mall/mug.png',
      desc: '到店领取',
      sort: 2,
      redeemed: 0,
      createdAt: now - 120 * DAY_MS,
    },
    {
      _id: 'mi_drip',
      type: 'goods',
      name: '挂耳咖啡体验装（5 片）',
      pointsPrice: 500,
      stock: 500,
      perMemberLimit: 3,
      onShelf: true,
      couponTemplateId: null,
      image: '/assets/mall/drip.png',
      desc: '到店领取',
      sort: 3,
      redeemed: 0,
      createdAt: now - 100 * DAY_MS,
    },
    {
      _id: 'mi_bag',
      type: 'goods',
      name: '帆布托特包',
      pointsPrice: 2500,
      stock: 50,
      perMemberLimit: 1,
      onShelf: true,
      couponTemplateId: null,
      image: '/assets/mall/bag.png',
      desc: '到店领取',
      sort: 4,
      redeemed: 0,
      createdAt: now - 80 * DAY_MS,
    },
  ];
}

/** The rest of the membership catalog: scheduled campaigns and top-up packages. */
export function addMembershipCatalog(data: DemoData, now: number): void {
  // Scheduled touches an operator would keep running: birthday month, member day, 双11.
  const quiet = { start: 22, end: 8 };
  const cfg = { holdoutPercent: 10, frequencyCapDays: 3, quietHours: quiet, conversionDays: 7 };
  data.campaigns = [
    {
      _id: 'cp_birthday',
      name: '生日月礼遇',
      kind: 'birthday',
      segment: { tagsAll: ['birthday_month'] },
      offer: { couponTemplateId: null, tierBirthdayCoupon: true },
      message: {
        templateKey: 'campaign',
        page: 'package-member/pages/points/index',
        data: { thing1: '生日礼券已到账' },
      },
      schedule: { type: 'monthly', day: 1, hour: 10 },
      config: { ...cfg, holdoutPercent: 0 },
      status: 'active',
      summary: '本月生日',
      createdAt: now - 100 * DAY_MS,
    },
    {
      _id: 'cp_member_day',
      name: '每月 8 号会员日',
      kind: 'member_day',
      segment: { minOrders: 1 },
      offer: { couponTemplateId: 'ct_full100' },
      message: { templateKey: 'campaign', page: 'pages/index/index', data: { thing1: '会员日满100减20' } },
      schedule: { type: 'monthly', day: 8, hour: 10 },
      config: cfg,
      status: 'active',
      summary: '订单 ≥ 1',
      createdAt: now - 100 * DAY_MS,
    },
    {
      _id: 'cp_double11',
      name: '双11 囤豆节',
      kind: 'node',
      segment: { tagsAny: ['bought:cat_beans', 'interest:cat_beans'] },
      offer: { couponTemplateId: 'ct_beans85' },
      message: { templateKey: 'campaign', page: 'pages/index/index', data: { thing1: '咖啡豆 8.5 折' } },
      schedule: { type: 'yearly', month: 11, day: 11, hour: 0 },
      config: cfg,
      status: 'active',
      summary: '买过或偏好咖啡豆',
      createdAt: now - 100 * DAY_MS,
    },
    {
      _id: 'cp_recall_draft',
      name: '重要挽留客户召回',
      kind: 'recall',
      segment: { rfmLayers: ['重要挽留客户', '重要保持客户'] },
      offer: { couponTemplateId: 'ct_recall' },
      message: { templateKey: 'campaign', page: 'pages/index/index', data: { thing1: '老友回归券已到账' } },
      schedule: { type: 'now' },
      config: cfg,
      status: 'draft',
      summary: 'RFM：重要挽留客户、重要保持客户',
      createdAt: now - DAY_MS,
    },
  ];
  data.sv_packages = [
    { _id: 'sv_100', name: '充 100 元', pay: 10000, bonus: 0, onShelf: true, createdAt: now - 200 * DAY_MS },
    { _id: 'sv_300', name: '充 300 送 20', pay: 30000, bonus: 2000, onShelf: true, createdAt: now - 200 * DAY_MS },
    { _id: 'sv_500', name: '充 500 送 50', pay: 50000, bonus: 5000, onShelf: true, createdAt: now - 200 * DAY_MS },
  ];
}

// Order lifecycle: created → paid → (shipped | ready) → completed; created → cancelled;
// paid/grouping/shipped/ready → refunding → refunded, and completed → refunding inside the after-sales window.
// Group orders wait in `grouping` until the group succeeds. A paid order adds to the member's purchase
// aggregates (stats); a refund takes exactly that back.

import { pricedFields } from './pricing';
import { DAY_MS } from './time';

/** Order statuses. */
export type OrderStatus =
  | 'created'
  | 'grouping'
  | 'paid'
  | 'shipped'
  | 'ready'
  | 'completed'
  | 'cancelled'
  | 'refunding'
  | 'refunded';

/** Chinese labels for the client. */
export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  created: '待付款',
  grouping: '拼团中',
  paid: '待发货',
  shipped: '待收货',
  ready: '待自提',
  completed: '已完成',
  cancelled: '已取消',
  refunding: '退款中',
  refunded: '已退款',
};

/** What each status means for the buyer (the order page's line under the status). */
export const ORDER_STATUS_DESC: Partial<Record<OrderStatus, string>> = {
  grouping: '拼团中，成团后将为你备货；未成团自动退款',
  paid: '商家正在备货，请耐心等待',
  shipped: '商品已发出，请注意查收',
  ready: '商品已备好，请凭订单到店自提',
  completed: '订单已完成，感谢你的光临',
  cancelled: '订单已取消',
  refunding: '退款处理中，款项将原路退回',
  refunded: '退款已完成，款项已原路退回',
};

/**
 * The order state machine, the one place statuses change: each event, the statuses it may happen from, the
 * status it leads to and the time field it stamps. Every status update in the cloud is written from this table
 * (`eventWhere` in store/orders.ts, `eventFields` here), as a condition on the current status, so a racing second
 * attempt changes nothing.
 */
export const ORDER_EVENTS = {
  pay: { from: ['created'], to: 'paid', at: 'paidAt' },
  payGroup: { from: ['created'], to: 'grouping', at: 'paidAt' },
  cancel: { from: ['created'], to: 'cancelled', at: 'cancelledAt' },
  grouped: { from: ['grouping'], to: 'paid', at: 'groupedAt' },
  ship: { from: ['paid'], to: 'shipped', at: 'shippedAt' },
  ready: { from: ['paid'], to: 'ready', at: 'readyAt' },
  complete: { from: ['shipped', 'ready'], to: 'completed', at: 'completedAt' },
  refund: { from: ['grouping', 'paid', 'shipped', 'ready', 'completed'], to: 'refunding', at: null },
  refunded: { from: ['refunding'], to: 'refunded', at: 'refundedAt' },
  /** A payment that arrived after the order was cancelled goes back. */
  refundLate: { from: ['cancelled'], to: 'refunding', at: null },
  /** An operator reverses an in-store purchase (no money moves through WeChat Pay). */
  reverse: { from: ['completed'], to: 'refunded', at: 'refundedAt' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus; at: string | null }>;

/**
 * The buyer's order tabs (我的订单), each a set of statuses drawn from the table: 待收货 = shipped + ready for pickup,
 * 退款 = refunding + refunded. 'all' has none (no filter).
 */
export const ORDER_TABS: readonly { key: string; title: string; statuses: readonly OrderStatus[] }[] = [
  { key: 'all', title: '全部', statuses: [] },
  { key: 'unpaid', title: '待付款', statuses: ORDER_EVENTS.pay.from },
  { key: 'toship', title: '待发货', statuses: [ORDER_EVENTS.pay.to, ORDER_EVENTS.payGroup.to] },
  { key: 'toreceive', title: '待收货', statuses: ORDER_EVENTS.complete.from },
  { key: 'done', title: '已完成', statuses: [ORDER_EVENTS.complete.to] },
  { key: 'refund', title: '退款', statuses: [ORDER_EVENTS.refund.to, ORDER_EVENTS.refunded.to] },
];

/** The status an order is created in; a purchase recorded at the till is created already completed. */
export const NEW_ORDER_STATUS = 'created' satisfies OrderStatus;
/** See NEW_ORDER_STATUS. */
export const TILL_ORDER_STATUS = 'completed' satisfies OrderStatus;

/** An order event. */
export type OrderEvent = keyof typeof ORDER_EVENTS;

/** Statuses from which `event` may happen. */
export const allowedFrom = (event: OrderEvent): readonly OrderStatus[] => ORDER_EVENTS[event].from;

/** Whether `event` may happen to an order in `status`. */
export function canTransition(status: OrderStatus, event: OrderEvent): boolean {
  return (ORDER_EVENTS[event].from as readonly OrderStatus[]).includes(status);
}

/** The fields `event` writes at `now`: the new status and its time stamp. */
export function eventFields(event: OrderEvent, now: number): { status: OrderStatus } & Record<string, unknown> {
  const e = ORDER_EVENTS[event];
  return e.at ? { status: e.to, [e.at]: now } : { status: e.to };
}

/** How long an unpaid order holds stock, coupons and points. */
export const UNPAID_TTL_MS = 15 * 60_000;

/** An order's priced lines and money, exactly as `priceOrder` priced them (domain/pricing.ts `pricedFields`). */
export type OrderMoney = ReturnType<typeof pricedFields>;
/** One stored order line. */
export type OrderLine = OrderMoney['lines'][number];

/** The order document (collection `orders`): every order of every type, written only by the constructors below. */
// A type alias, not an interface, so that it is also a Record<string, unknown> (the seed's documents).
export type OrderDoc = OrderMoney & {
  _id: string;
  memberId: string;
  openid: string;
  type: 'normal' | 'flash' | 'group';
  activityId: string | null;
  groupId: string | null;
  couponId: string | null;
  fulfilment: 'delivery' | 'pickup';
  storeId: string | null;
  guideId: string | null;
  address: Record<string, string> | null;
  status: OrderStatus;
  /** 'store' for an in-store purchase paid at the till (recorded by a guide); refunded there, not by WeChat Pay. */
  channel?: 'online' | 'store';
  /** The till's receipt number (in-store purchases). */
  receiptNo?: string;
  /** The guide who recorded an in-store purchase. */
  recordedBy?: { openid: string; name: string };
  transactionId?: string;
  createdAt: number;
  expiresAt: number;
  paidAt?: number;
  groupedAt?: number;
  shippedAt?: number;
  readyAt?: number;
  completedAt?: number;
  cancelledAt?: number;
  refundedAt?: number;
  earned?: { points: number; growth: number };
  refund?: {
    outRefundNo: string;
    reason: string;
    fromStatus: OrderStatus;
    requestedAt: number;
    attempts: number;
    nextAttemptAt: number;
    lastError?: string;
    by?: Refunder;
  };
  /** Names the attempt that took this order's stock (see store/holds.ts). */
  holdId?: string;
};

/** How an order is fulfilled, as the buyer chose (or the default). */
export interface Fulfilment {
  fulfilment?: 'delivery' | 'pickup';
  storeId?: string;
  address?: Record<string, string>;
}

/** The member fields an order copies: who, their store and the guide they are bound to. */
export interface OrderBuyer {
  _id: string;
  storeId?: string | null;
  guideId?: string | null;
}

/**
 * The one constructor of a new (unpaid) order of any type: priced lines and money, the coupon, fulfilment (the
 * member's own store by default), the guide the member is bound to, and the unpaid deadline.
 */
export function newOrder(o: {
  _id: string;
  member: OrderBuyer;
  openid: string;
  type: OrderDoc['type'];
  activityId: string | null;
  groupId: string | null;
  money: OrderMoney;
  couponId: string | null;
  input: Fulfilment;
  defaultFulfilment: 'delivery' | 'pickup';
  now: number;
}): OrderDoc {
  const m = o.member;
  return {
    _id: o._id,
    memberId: m._id,
    openid: o.openid,
    type: o.type,
    activityId: o.activityId,
    groupId: o.groupId,
    ...o.money,
    couponId: o.couponId,
    fulfilment: o.input.fulfilment ?? o.defaultFulfilment,
    storeId: o.input.storeId ?? m.storeId ?? null,
    guideId: m.guideId ?? null,
    address: o.input.address ?? null,
    status: NEW_ORDER_STATUS,
    createdAt: o.now,
    expiresAt: o.now + UNPAID_TTL_MS,
  };
}

/** A purchase paid at the till and recorded by a guide of its store: created completed (TILL_ORDER_STATUS). */
export function tillOrder(o: {
  _id: string;
  memberId: string;
  openid: string;
  money: OrderMoney;
  receiptNo: string;
  guide: { openid: string; name: string; storeId: string };
  earned: { points: number; growth: number };
  now: number;
}): OrderDoc {
  const { now } = o;
  return {
    _id: o._id,
    memberId: o.memberId,
    openid: o.openid,
    type: 'normal',
    activityId: null,
    groupId: null,
    channel: 'store',
    receiptNo: o.receiptNo,
    ...o.money,
    couponId: null,
    fulfilment: 'pickup',
    storeId: o.guide.storeId,
    guideId: o.guide.openid,
    address: null,
    status: TILL_ORDER_STATUS,
    createdAt: now,
    expiresAt: now,
    paidAt: now,
    completedAt: now,
    earned: o.earned,
    transactionId: `store:${o.guide.openid}`,
    recordedBy: { openid: o.guide.openid, name: o.guide.name },
  };
}

/** An order as its buyer sees it: the document and its status in words. */
export type OrderView = OrderDoc & { statusText: string };
/** See OrderView. */
export const orderView = (o: OrderDoc): OrderView => ({ ...o, statusText: ORDER_STATUS_TEXT[o.status] ?? o.status });

/** `order` after `event` at `at` (the state machine's fields); throws on a transition the table does not allow. */
export function afterEvent(order: OrderDoc, event: OrderEvent, at: number): OrderDoc {
  if (!canTransition(order.status, event)) throw new Error(`order ${order._id}: ${event} from ${order.status}`);
  return { ...order, ...eventFields(event, at) };
}

/** Points an order earns: 1 per yuan of real money (cash + stored value), times the tier multiplier. */
export function pointsForOrder(moneyPaidFen: number, multiplierPercent: number): number {
  return Math.floor((Math.floor(moneyPaidFen / 100) * multiplierPercent) / 100);
}

/** The event a payment is: group orders wait for their group, every other order is paid. */
export const paymentEvent = (kind: 'normal' | 'flash' | 'group'): OrderEvent => (kind === 'group' ? 'payGroup' : 'pay');

/** After-sales rules (operator config `aftersales`): how many days after completion a refund may still start. */
export interface AfterSalesRules {
  refundDays: number;
}
/** Default: 7 days after completion (0 turns after-sales refunds off). */
export const DEFAULT_AFTERSALES_RULES: AfterSalesRules = { refundDays: 7 };

/** Who asks for a refund: the buyer, an operator, or the system (a failed group). */
export type Refunder = 'buyer' | 'operator' | 'system';
/** Why a refund cannot start. */
export type RefundRefusal = 'ORDER_NOT_REFUNDABLE' | 'AFTERSALES_EXPIRED' | 'REFUND_AT_STORE';
/** Chinese text for each refusal. */
export const REFUND_REFUSAL_TEXT: Record<RefundRefusal, string> = {
  ORDER_NOT_REFUNDABLE: '订单当前状态不可退款，请联系客服',
  AFTERSALES_EXPIRED: '已超过售后期，无法申请退款',
  REFUND_AT_STORE: '门店消费请到门店办理退款',
};

// Before fulfilment the buyer refunds alone; once shipped or ready it goes through an operator; once
// completed either may, inside the after-sales window. The system refunds failed groups only.
const REFUND_FROM: Record<Refunder, (typeof ORDER_EVENTS.refund.from)[number][]> = {
  buyer: ['paid', 'grouping', 'completed'],
  operator: ['grouping', 'paid', 'shipped', 'ready', 'completed'],
  system: ['grouping', 'paid'],
};

/** Whether `by` may start a refund of an order in its status (the after-sales window is checked apart). */
export function refundableBy(o: { status: OrderStatus; channel?: string }, by: Refunder): boolean {
  // Paid at the till, refunded at the till: the buyer is sent to the store, an operator records it.
  if (o.channel === 'store' && by === 'buyer') return false;
  return (REFUND_FROM[by] as readonly OrderStatus[]).includes(o.status);
}

/** An order as refund rules see it. */
export interface RefundSubject {
  status: OrderStatus;
  completedAt?: number;
  channel?: string;
  price?: unknown;
}

/** The earliest completion time still inside the after-sales window at `now`. */
export const completedSince = (now: number, rules: AfterSalesRules): number => now - rules.refundDays * DAY_MS;

/** Until when a completed order may start a refund, or null if it is not one that can. */
export function refundDeadline(o: RefundSubject, rules: AfterSalesRules): number | null {
  if (!isCompleted(o.status) || o.completedAt === undefined || !o.price) return null;
  return o.completedAt + rules.refundDays * DAY_MS;
}

/** Whether `by` may start a refund of `o` at `now` (the status change is then one conditional update). */
export function checkRefund(
  o: RefundSubject,
  by: Refunder,
  now: number,
  rules: AfterSalesRules,
): { ok: true } | { ok: false; code: RefundRefusal } {
  // Imported history has no price breakdown: what it added cannot be taken back exactly.
  if (!o.price) return { ok: false, code: 'ORDER_NOT_REFUNDABLE' };
  if (o.channel === 'store' && by === 'buyer') return { ok: false, code: 'REFUND_AT_STORE' };
  if (!refundableBy(o, by)) return { ok: false, code: 'ORDER_NOT_REFUNDABLE' };
  if (isCompleted(o.status) && (o.completedAt === undefined || o.completedAt < completedSince(now, rules))) {
    return { ok: false, code: 'AFTERSALES_EXPIRED' };
  }
  return { ok: true };
}

/** Statuses in which a paid order is counted in the member's purchase aggregates. */
export const COUNTED_STATUSES: readonly OrderStatus[] = [...ORDER_EVENTS.refund.from, ORDER_EVENTS.refund.to];
/** A paid order that still stands (neither cancelled nor in refund): what a refund may start from. */
export const PAID_STATUSES: readonly OrderStatus[] = ORDER_EVENTS.refund.from;
/** Whether a refund of the order has started or finished. */
export const inRefund = (s: OrderStatus): s is 'refunding' | 'refunded' =>
  s === ORDER_EVENTS.refund.to || s === ORDER_EVENTS.refunded.to;
/** Whether the order was completed (handed over; the after-sales window runs from completedAt). */
export const isCompleted = (s: OrderStatus): boolean => s === ORDER_EVENTS.complete.to;
/** Paid but not yet handed over: a refund from here gives stock and group seats back. */
export const isUnfulfilled = (s: OrderStatus): boolean => s === ORDER_EVENTS.pay.to || s === ORDER_EVENTS.payGroup.to;

/** What a member keeps about purchases; tags, RFM and dashboards read these, not orders. */
export interface PurchaseStats {
  orderCount: number;
  paidTotal: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  categoryIds: string[];
  /** Paid orders per category: a refund removes a category only when no other order has it. */
  categoryCounts: Record<string, number>;
  /** Paid orders per product (单品): the same product in two orders is a same-product repurchase. */
  productOrders: Record<string, number>;
  /** Products bought in two or more paid orders (the dashboard counts members with any). */
  repeatProducts: string[];
}

/** A paid order as the aggregates see it (money = cash + stored value; till purchases have no products). */
export interface CountedOrder {
  categoryIds: string[];
  productIds: string[];
  money: number;
  createdAt: number;
  paidAt: number;
}

/** The paid times of a member's earliest and latest counted orders other than the one being taken back. */
export interface OtherOrderTimes {
  firstPaidAt: number | null;
  lastPaidAt: number | null;
}

/** Adds count maps key by key (per category, per product, per month, per expiry year). */
export function sumCounts(a: Record<string, number> = {}, b: Record<string, number> = {}): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The aggregates of a member with no paid order. */
export const emptyStats = (): PurchaseStats => ({
  orderCount: 0,
  paidTotal: 0,
  firstOrderAt: null,
  lastOrderAt: null,
  categoryIds: [],
  categoryCounts: {},
  productOrders: {},
  repeatProducts: [],
});

// Members written before categoryCounts existed: each category they hold counts once.
function countsOf(s: Partial<PurchaseStats>): Record<string, number> {
  return s.categoryCounts ? { ...s.categoryCounts } : Object.fromEntries((s.categoryIds ?? []).map((c) => [c, 1]));
}

const idsOf = (counts: Record<string, number>): string[] =>
  Object.keys(counts)
    .filter((c) => (counts[c] ?? 0) > 0)
    .sort();
const repeatsOf = (counts: Record<string, number>): string[] =>
  Object.keys(counts)
    .filter((p) => (counts[p] ?? 0) >= 2)
    .sort();

// Adds `sign` to each distinct key once (an order with two lines of one product is one order of it).
function bump(counts: Record<string, number>, keys: string[], sign: 1 | -1): Record<string, number> {
  const out = { ...counts };
  for (const k of new Set(keys.filter(Boolean))) {
    const n = (out[k] ?? 0) + sign;
    if (n > 0) out[k] = n;
    else delete out[k];
  }
  return out;
}

/** The aggregates after a paid order: one more order, its money, each of its categories and products counted once. */
export function statsAfterPayment(s: Partial<PurchaseStats> | undefined, o: CountedOrder): PurchaseStats {
  const cur = s ?? {};
  const counts = bump(countsOf(cur), o.categoryIds, 1);
  const products = bump(cur.productOrders ?? {}, o.productIds, 1);
  return {
    orderCount: (cur.orderCount ?? 0) + 1,
    paidTotal: (cur.paidTotal ?? 0) + o.money,
    firstOrderAt: cur.firstOrderAt ?? o.paidAt,
    lastOrderAt: o.paidAt,
    categoryIds: idsOf(counts),
    categoryCounts: counts,
    productOrders: products,
    repeatProducts: repeatsOf(products),
  };
}

/**
 * The aggregates after that order is refunded: everything it added comes off. `others` are the paid times of the
 * member's earliest and latest other counted orders, used only when this order was the first or the last.
 */
export function statsAfterRefund(
  s: Partial<PurchaseStats> | undefined,
  o: CountedOrder,
  others: OtherOrderTimes,
): PurchaseStats {
  const cur = s ?? {};
  const orderCount = Math.max(0, (cur.orderCount ?? 0) - 1);
  const counts = orderCount === 0 ? {} : bump(countsOf(cur), o.categoryIds, -1);
  const products = orderCount === 0 ? {} : bump(cur.productOrders ?? {}, o.productIds, -1);
  const first = cur.firstOrderAt ?? null;
  const last = cur.lastOrderAt ?? null;
  // Seeded history dates orders by creation, payments date them by payment: either way this was the first/last.
  const wasFirst = first !== null && o.createdAt <= first;
  const wasLast = last !== null && o.paidAt >= last;
  return {
    orderCount,
    paidTotal: Math.max(0, (cur.paidTotal ?? 0) - o.money),
    firstOrderAt: orderCount === 0 ? null : wasFirst ? (others.firstPaidAt ?? first) : first,
    lastOrderAt: orderCount === 0 ? null : wasLast ? (others.lastPaidAt ?? last) : last,
    categoryIds: idsOf(counts),
    categoryCounts: counts,
    productOrders: products,
    repeatProducts: repeatsOf(products),
  };
}

/** Two members' aggregates as one person's (ONE ID merge): counts add up, first/last are the extremes. */
export function mergeStats(
  a: Partial<PurchaseStats> | undefined,
  b: Partial<PurchaseStats> | undefined,
): PurchaseStats {
  const [x, y] = [a ?? {}, b ?? {}];
  const counts = sumCounts(countsOf(x), countsOf(y));
  const products = sumCounts(x.productOrders, y.productOrders);
  const times = (k: 'firstOrderAt' | 'lastOrderAt') => [x[k], y[k]].filter((t): t is number => typeof t === 'number');
  const firsts = times('firstOrderAt');
  const lasts = times('lastOrderAt');
  return {
    orderCount: (x.orderCount ?? 0) + (y.orderCount ?? 0),
    paidTotal: (x.paidTotal ?? 0) + (y.paidTotal ?? 0),
    firstOrderAt: firsts.length ? Math.min(...firsts) : null,
    lastOrderAt: lasts.length ? Math.max(...lasts) : null,
    categoryIds: idsOf(counts),
    categoryCounts: counts,
    productOrders: products,
    repeatProducts: repeatsOf(products),
  };
}

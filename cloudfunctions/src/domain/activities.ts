// Flash sales (秒杀) and group buys (拼团): windows judged by server time, per-member limits,
// and the group state machine.
import type { Product, Sku } from './catalog';

/** What every activity sells: one SKU at an activity price. */
export interface ActivityItem {
  _id: string;
  title: string;
  productId: string;
  skuId: string;
  categoryId: string;
  name: string;
  listPrice: number;
  price: number;
  startAt: number;
  endAt: number;
  status: 'active' | 'stopped';
  image?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** What an activity keeps of the SKU it sells (taken when it is saved): the product, its name with the spec. */
export function activitySku(
  p: Pick<Product, '_id' | 'categoryId' | 'name' | 'images'>,
  sku: Pick<Sku, '_id' | 'spec' | 'price'>,
): Pick<ActivityItem, 'productId' | 'skuId' | 'categoryId' | 'name' | 'listPrice' | 'image'> {
  // A product's only SKU is 标准: its name alone says what it is.
  const spec = sku.spec && sku.spec !== '标准' ? `（${sku.spec}）` : '';
  return {
    productId: p._id,
    skuId: sku._id,
    categoryId: p.categoryId,
    name: `${p.name}${spec}`,
    listPrice: sku.price,
    image: p.images?.[0] ?? '',
  };
}

/** What an operator's activity may not be (every problem, in words): a window that ends before it starts, a price
 * not below the SKU's list price. */
export function activityProblems(
  a: Pick<ActivityItem, 'price' | 'startAt' | 'endAt'>,
  listPrice: number,
  priceName: '秒杀价' | '拼团价',
): string[] {
  const problems: string[] = [];
  if (a.endAt <= a.startAt) problems.push('结束时间必须晚于开始时间');
  if (a.price >= listPrice) problems.push(`${priceName}必须低于原价`);
  return problems;
}

/** A flash sale as configured by the operator. Activity stock is separate from the SKU's stock. */
export interface FlashSale extends ActivityItem {
  stock: number;
  total: number;
  perMemberLimit: number;
  /** Units sold (follows returned stock). */
  sold?: number;
}

/** Where a flash sale stands at `now` (server time). */
export type FlashPhase = 'upcoming' | 'active' | 'sold_out' | 'ended' | 'stopped';

/** The phase of a sale and the seconds until it changes. */
export function flashPhase(
  s: Pick<FlashSale, 'startAt' | 'endAt' | 'stock' | 'status'>,
  now: number,
): { phase: FlashPhase; secondsToStart: number; secondsToEnd: number } {
  const secondsToStart = Math.max(0, Math.ceil((s.startAt - now) / 1000));
  const secondsToEnd = Math.max(0, Math.ceil((s.endAt - now) / 1000));
  const phase: FlashPhase =
    s.status === 'stopped'
      ? 'stopped'
      : now < s.startAt
        ? 'upcoming'
        : now >= s.endAt
          ? 'ended'
          : s.stock <= 0
            ? 'sold_out'
            : 'active';
  return { phase, secondsToStart, secondsToEnd };
}

/** Whether a member may try to buy `qty` now (stock and limit are then taken by conditional updates). */
export function checkFlashBuy(
  s: FlashSale,
  qty: number,
  now: number,
): { ok: true } | { ok: false; code: 'FLASH_NOT_STARTED' | 'FLASH_ENDED' | 'SOLD_OUT' | 'LIMIT_EXCEEDED' } {
  const { phase } = flashPhase(s, now);
  if (phase === 'upcoming') return { ok: false, code: 'FLASH_NOT_STARTED' };
  if (phase === 'ended' || phase === 'stopped') return { ok: false, code: 'FLASH_ENDED' };
  if (phase === 'sold_out') return { ok: false, code: 'SOLD_OUT' };
  if (qty > s.perMemberLimit) return { ok: false, code: 'LIMIT_EXCEEDED' };
  return { ok: true };
}

/** A group-buy activity. */
export interface GroupBuy extends ActivityItem {
  groupSize: number;
  validHours: number;
  virtualCompletion: boolean;
}

/** A group (one leader's 团). Seats are reserved on join; the group succeeds when all seats are paid. */
export interface Group {
  _id: string;
  activityId: string;
  leaderId: string;
  size: number;
  seats: number;
  memberIds: string[];
  paidIds: string[];
  status: 'pending' | 'forming' | 'success' | 'failed';
  expiresAt: number;
  virtual: number;
  /** Member id → that member's order in the group. */
  orderIds?: Record<string, string>;
  createdAt?: number;
}

/** A group's status in words (the group page). */
export const GROUP_STATUS_TEXT: Record<Group['status'], string> = {
  pending: '待团长支付',
  forming: '拼团中',
  success: '拼团成功',
  failed: '拼团失败',
};

/** Whether an activity accepts new groups now. */
export function canOpenGroup(
  a: GroupBuy,
  now: number,
): { ok: true } | { ok: false; code: 'GROUP_NOT_STARTED' | 'GROUP_ENDED' } {
  if (a.status !== 'active' || now >= a.endAt) return { ok: false, code: 'GROUP_ENDED' };
  if (now < a.startAt) return { ok: false, code: 'GROUP_NOT_STARTED' };
  return { ok: true };
}

/** Why a member cannot join a group (the seat itself is then taken by a conditional update). */
export function checkJoin(
  g: Group,
  memberId: string,
  now: number,
): { ok: true } | { ok: false; code: 'GROUP_NOT_OPEN' | 'GROUP_EXPIRED' | 'GROUP_FULL' | 'ALREADY_IN_GROUP' } {
  if (g.memberIds.includes(memberId)) return { ok: false, code: 'ALREADY_IN_GROUP' };
  if (g.status !== 'forming') return { ok: false, code: 'GROUP_NOT_OPEN' };
  if (now >= g.expiresAt) return { ok: false, code: 'GROUP_EXPIRED' };
  if (g.seats >= g.size) return { ok: false, code: 'GROUP_FULL' };
  return { ok: true };
}

/** What happens to a group when a seat is paid: success once every seat is paid. */
export function afterSeatPaid(
  g: Pick<Group, 'size' | 'paidIds'>,
  memberId: string,
): { paidIds: string[]; success: boolean } {
  const paidIds = g.paidIds.includes(memberId) ? g.paidIds : [...g.paidIds, memberId];
  return { paidIds, success: paidIds.length >= g.size };
}

/** What happens to a group whose time is up: virtual completion fills it, otherwise it fails. */
export function onGroupExpired(
  g: Pick<Group, 'size' | 'paidIds' | 'status'>,
  virtualCompletion: boolean,
): { status: 'success' | 'failed'; virtual: number } | null {
  if (g.status !== 'forming' && g.status !== 'pending') return null;
  if (g.status === 'forming' && virtualCompletion && g.paidIds.length > 0)
    return { status: 'success', virtual: g.size - g.paidIds.length };
  return { status: 'failed', virtual: 0 };
}

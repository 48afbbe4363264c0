// Demo orders written as the shop writes them: priced by priceOrder, built by the domain's order constructor and
// moved through the state machine (pay → ready/ship → complete, or pay → refund → refunded), so a seeded order is
// indistinguishable from one a member placed.
import { afterEvent, OrderDoc, pointsForOrder, newOrder } from '../domain/orders';
import { pricedFields, priceOrder, DEFAULT_POINTS_RULE, PriceLineInput } from '../domain/pricing';
import { growthForPayment } from '../domain/tiers';
import { skuSpecs } from './trade-catalog';

/** A product as an order line needs it. */
export interface SeedProduct {
  _id: string;
  categoryId: string;
  name: string;
  price: number;
  memberPrice: number;
}

/** The buyer of a seeded order. */
export interface SeedBuyer {
  _id: string;
  openid: string;
  storeId: string;
  guideId: string | null;
  nickname: string;
  phone?: string;
  city: string;
}

/** What happened to a seeded order, decided by the generator. */
export interface SeedOrderPlan {
  id: string;
  buyer: SeedBuyer;
  lines: { product: SeedProduct; qty: number }[];
  /** Picked up in the member's store (到店自提) or delivered. */
  pickup: boolean;
  createdAt: number;
  paidAt: number;
  /** Completed (picked up / received) at, or refunded at. */
  endedAt: number;
  refunded: boolean;
  /** Shipped (delivery) or ready for pickup at; between paidAt and endedAt. */
  handedAt: number;
}

/** The first SKU of a product (the catalogue's `<productId>_1`, its base spec at the product's prices). */
export function lineOf(p: SeedProduct, qty: number): PriceLineInput {
  return {
    skuId: `${p._id}_1`,
    productId: p._id,
    categoryId: p.categoryId,
    name: p.name,
    qty,
    listPrice: p.price,
    memberPrice: p.memberPrice,
    activityPrice: null,
  };
}

/** The order document a plan leads to. */
export function seedOrder(plan: SeedOrderPlan): OrderDoc {
  const r = priceOrder({
    lines: plan.lines.map((l) => lineOf(l.product, l.qty)),
    tierPercent: 100,
    coupon: null,
    memberId: plan.buyer._id,
    now: plan.createdAt,
    pointsToUse: 0,
    pointsBalance: 0,
    pointsRule: DEFAULT_POINTS_RULE,
    useBalance: false,
    balance: 0,
  });
  // Without coupon or points nothing can refuse.
  if (!r.ok) throw new Error(`seed order ${plan.id}: ${r.code}`);
  const b = plan.buyer;
  const spec = (skuId: string) => {
    const p = plan.lines.find((l) => `${l.product._id}_1` === skuId)?.product;
    return p ? (skuSpecs(p.categoryId)[0]?.[0] ?? '') : '';
  };
  const address = {
    name: b.nickname,
    phone: b.phone ?? '13800000000',
    detail: `${b.city}市拾光路 ${8 + (b._id.length % 90)} 号`,
  };
  let o = newOrder({
    _id: plan.id,
    member: b,
    openid: b.openid,
    type: 'normal',
    activityId: null,
    groupId: null,
    money: pricedFields(r.price, spec),
    couponId: null,
    input: plan.pickup ? { fulfilment: 'pickup', storeId: b.storeId } : { fulfilment: 'delivery', address },
    defaultFulfilment: 'delivery',
    now: plan.createdAt,
  });
  o = { ...afterEvent(o, 'pay', plan.paidAt), transactionId: `4200${String(plan.paidAt).padStart(24, '0')}` };
  if (plan.refunded) {
    const requested = afterEvent(o, 'refund', plan.handedAt);
    const refund = {
      outRefundNo: `RF${plan.id}`,
      reason: '不想要了',
      fromStatus: o.status,
      requestedAt: plan.handedAt,
      attempts: 1,
      nextAttemptAt: plan.handedAt,
      by: 'buyer' as const,
    };
    return { ...afterEvent(requested, 'refunded', plan.endedAt), refund };
  }
  const money = o.payAmount + o.price.balanceUsed;
  o = { ...o, earned: { points: pointsForOrder(money, 100), growth: growthForPayment(money) } };
  return afterEvent(afterEvent(o, plan.pickup ? 'ready' : 'ship', plan.handedAt), 'complete', plan.endedAt);
}

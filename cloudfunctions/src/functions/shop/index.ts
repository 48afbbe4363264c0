// Cloud function `shop`: catalog, coupons, orders, flash sales and group buys for consumers,
// plus a per-minute timer that cancels unpaid orders, settles expired groups and retries refunds.
import type { CounterCollection, CounterFields } from '../../domain/documents';
import { createHash } from 'crypto';
import * as cloud from 'wx-server-sdk';
import { canOpenGroup, checkFlashBuy, checkJoin, flashPhase, Group, GroupBuy } from '../../domain/activities';
import { bestCoupon, MemberCoupon, USABLE_COUPON_STATUSES } from '../../domain/coupon-rules';
import {
  checkClaim,
  claimCap,
  ClaimRefusal,
  COUPON_REFUSAL_TEXT,
  describeCoupon,
  issueCoupon,
} from '../../domain/coupons';
import { nicknameOf } from '../../domain/member-doc';
import {
  canTransition,
  eventFields,
  Fulfilment,
  newOrder,
  OrderDoc,
  orderView,
  ORDER_STATUS_TEXT,
  REFUND_REFUSAL_TEXT,
  refundDeadline,
} from '../../domain/orders';
import {
  couponLines,
  DEFAULT_POINTS_RULE,
  PointsRule,
  PriceBreakdown,
  pricedFields,
  PriceLineInput,
  priceOneLine,
  priceOrder,
} from '../../domain/pricing';
import { tierById } from '../../domain/tiers';
import { AppError, ErrorCode } from '../../lib/errors';
import { action, ApiOf, createMain, InputOf } from '../../lib/handler';
import { getConfig } from '../../store/config';
import { takeCouponQuota } from '../../store/coupons';
import { takeFromCounter } from '../../store/counters';
import { findById } from '../../store/docs';
import { giveBack, newHoldId, Taken, whileHolding } from '../../store/holds';
import { loadTiers, requireMember } from '../../store/members';
import {
  addOrderWithPayments,
  afterSalesRules,
  cancelOrder,
  createNormalOrder,
  eventWhere,
  markOrderPaid,
  newOrderId,
  requestRefund,
} from '../../store/orders';
import { unifiedOrder } from '../../store/payments';
import { runShopTimer } from './timer';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const id = { type: 'string', pattern: '^[A-Za-z0-9_:-]{1,80}$' } as const;
const requestId = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } as const;
const qty = { type: 'integer', minimum: 1, maximum: 99 } as const;
const lineItems = {
  type: 'array',
  minItems: 1,
  maxItems: 20,
  items: { type: 'object', required: ['skuId', 'qty'], additionalProperties: false, properties: { skuId: id, qty } },
} as const;

const categories = action({
  roles: ['consumer'],
  async run({ db }) {
    return { categories: (await db.collection('categories').orderBy('sort', 'asc').limit(50).get()).data };
  },
});

const products = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      categoryId: id,
      keyword: { type: 'string', maxLength: 20 },
      skip: { type: 'integer', minimum: 0, maximum: 10000 },
    },
  },
  async run({ db, input }) {
    const where: Record<string, unknown> = { onShelf: true };
    if (input.categoryId) where.categoryId = input.categoryId;
    if (input.keyword)
      where.name = db.RegExp({ regexp: input.keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), options: 'i' });
    const { data } = await db
      .collection('products')
      .where(where)
      .orderBy('sales', 'desc')
      .skip(input.skip ?? 0)
      .limit(20)
      .field({
        _id: true,
        name: true,
        categoryId: true,
        price: true,
        memberPrice: true,
        images: true,
        sales: true,
        stock: true,
      })
      .get();
    return { products: data, nextSkip: data.length === 20 ? (input.skip ?? 0) + 20 : null };
  },
});

const product = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run({ db, input, now }) {
    const _ = db.command;
    const [p, skus, flash, groups] = await Promise.all([
      db.collection('products').where({ _id: input.id }).limit(1).get(),
      db.collection('skus').where({ productId: input.id }).limit(20).get(),
      db
        .collection('flash_sales')
        .where({ productId: input.id, status: 'active', endAt: _.gt(now) })
        .limit(5)
        .get(),
      db
        .collection('group_buys')
        .where({ productId: input.id, status: 'active', endAt: _.gt(now) })
        .limit(5)
        .get(),
    ]);
    if (!p.data[0]) throw new AppError('NOT_FOUND', '商品不存在');
    return {
      product: p.data[0],
      skus: skus.data,
      serverTime: now,
      flashSales: flash.data.map((s) => ({ ...s, ...flashPhase(s, now) })),
      groupBuys: groups.data,
    };
  },
});

const serverTime = action({
  roles: ['consumer'],
  async run({ now }) {
    return { serverTime: now };
  },
});

// --- coupons ---------------------------------------------------------------------------------

const couponCenter = action({
  roles: ['consumer'],
  async run({ db, caller, now }) {
    const m = await requireMember(db, caller.openid);
    const [tpls, mine] = await Promise.all([
      db.collection('coupon_templates').where({ status: 'active', claimable: true }).limit(50).get(),
      db.collection('coupon_counters').where({ memberId: m._id }).limit(100).get(),
    ]);
    const claimed = new Map(mine.data.map((c) => [String(c.templateId), Number(c.count)]));
    const paidOrders = paidOrderCount(m);
    return {
      templates: tpls.data.map((t) => {
        const tpl = t;
        const n = claimed.get(tpl._id) ?? 0;
        const verdict = checkClaim(tpl, { paidOrders, claimedByMe: n }, now);
        return {
          _id: tpl._id,
          name: tpl.name,
          desc: describeCoupon(tpl),
          scope: tpl.scope,
          validity: tpl.validity,
          claimedByMe: n,
          perMemberLimit: tpl.perMemberLimit,
          left: Math.max(0, tpl.quota - tpl.issued),
          audience: tpl.audience ?? 'all',
          canClaim: verdict.ok,
          ...(verdict.ok ? {} : { reason: verdict.code }),
        };
      }),
    };
  },
});

// "New member" for 新人专享 means no paid order (a refunded order no longer counts).
const paidOrderCount = (m: cloud.Doc): number =>
  Number((m.stats as { orderCount?: number } | undefined)?.orderCount ?? 0);

const refuseClaim = (code: ClaimRefusal) => new AppError(code, COUPON_REFUSAL_TEXT[code]);

// Claiming: only what the claim rules allow (domain/coupons.ts); then the per-member counter and the total quota are
// each a conditional update, so 1,000 concurrent claims never over-issue; a step that fails gives the others back.
const claimCoupon = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['templateId'], additionalProperties: false, properties: { templateId: id } },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const tpl = await findById(db, 'coupon_templates', input.templateId);
    if (!tpl) throw new AppError('NOT_FOUND', '优惠券不存在');
    const verdict = checkClaim(tpl, { paidOrders: paidOrderCount(m), claimedByMe: 0 }, now);
    if (!verdict.ok) throw refuseClaim(verdict.code);
    const counterId = `${tpl._id}:${m._id}`;
    // Unlimited templates are still counted (the centre shows how many the member claimed).
    const within = await takeFromCounter(
      db,
      'coupon_counters',
      counterId,
      { templateId: tpl._id, memberId: m._id },
      1,
      claimCap(tpl),
    );
    if (!within) throw refuseClaim('CLAIM_LIMIT_REACHED');
    const counted: Taken = { collection: 'coupon_counters', id: counterId, giveBack: { count: -1 } };
    const quota = await takeCouponQuota(db, tpl, now);
    if (!quota.ok) {
      await giveBack(db, [counted]);
      throw refuseClaim(quota.code);
    }
    const couponId = `${m._id}:claim:${newHoldId()}`;
    const doc = issueCoupon(tpl, m._id, now, 'claim');
    await whileHolding(
      db,
      [counted, quota.taken],
      () => db.collection('member_coupons').add({ data: { _id: couponId, ...doc } }),
      async () => Boolean(await findById(db, 'member_coupons', couponId)),
    );
    return { coupon: { _id: couponId, ...doc } };
  },
});

/** Takes `n` from a per-member counter capped at `limit`; refuses with `code` when it would pass the cap. */
async function reserveCounter<C extends CounterCollection>(
  db: cloud.Database,
  collection: C,
  counterId: string,
  fields: CounterFields[C],
  n: number,
  limit: number,
  code: ErrorCode,
  message: string,
): Promise<void> {
  if (!(await takeFromCounter(db, collection, counterId, fields, n, limit))) throw new AppError(code, message);
}

const myCoupons = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { status: { type: 'string', enum: ['unused', 'used', 'expired'] } },
  },
  async run({ db, caller, now, input }) {
    const _ = db.command;
    const m = await requireMember(db, caller.openid);
    const status = input.status ?? 'unused';
    const where: Record<string, unknown> = { memberId: m._id };
    if (status === 'unused') Object.assign(where, { status: _.in(USABLE_COUPON_STATUSES), validTo: _.gte(now) });
    else if (status === 'used') where.status = 'used';
    else Object.assign(where, { status: 'unused', validTo: _.lt(now) });
    const { data } = await db.collection('member_coupons').where(where).orderBy('validTo', 'asc').limit(100).get();
    return { coupons: data };
  },
});

// --- orders ----------------------------------------------------------------------------------

const checkoutProps = {
  lines: lineItems,
  couponId: id,
  autoCoupon: { type: 'boolean' },
  pointsToUse: { type: 'integer', minimum: 0, maximum: 100000000 },
  useBalance: { type: 'boolean' },
} as const;
const checkoutSchema = {
  type: 'object',
  required: ['lines'],
  additionalProperties: false,
  properties: checkoutProps,
} as const;
/** What a checkout asks to price (preview and place). */
type Checkout = InputOf<typeof checkoutSchema>;

// Loads everything pricing needs from the database (prices never come from the client) and prices.
async function priceCheckout(db: cloud.Database, m: cloud.Doc, input: Checkout, now: number) {
  const _ = db.command;
  const skuIds = [...new Set(input.lines.map((l) => l.skuId))];
  if (skuIds.length !== input.lines.length) throw new AppError('INVALID_ARGUMENT', '同一规格请合并数量');
  const [skus, tiers, pointsRule, coupons] = await Promise.all([
    db
      .collection('skus')
      .where({ _id: _.in(skuIds) })
      .limit(20)
      .get(),
    loadTiers(db),
    getConfig<PointsRule>(db, 'points', DEFAULT_POINTS_RULE, now),
    // The member's usable coupons are always loaded, so the client sees every coupon's verdict.
    db
      .collection('member_coupons')
      .where({ memberId: m._id, status: 'unused', validTo: _.gte(now) })
      .orderBy('validTo', 'asc')
      .limit(100)
      .get(),
  ]);
  const skuMap = new Map(skus.data.map((s) => [s._id, s]));
  const productIds = [...new Set(skus.data.map((s) => String(s.productId)))];
  const { data: prods } = productIds.length
    ? await db
        .collection('products')
        .where({ _id: _.in(productIds) })
        .limit(20)
        .get()
    : { data: [] };
  const prodMap = new Map(prods.map((p) => [p._id, p]));
  const lines: (PriceLineInput & { spec: string })[] = input.lines.map((l) => {
    const s = skuMap.get(l.skuId);
    const p = s && prodMap.get(String(s.productId));
    if (!s || !p) throw new AppError('NOT_FOUND', '商品不存在');
    if (!s.onShelf || !p.onShelf) throw new AppError('PRODUCT_OFF_SHELF', `${p.name} 已下架`);
    return {
      skuId: s._id,
      productId: p._id,
      categoryId: String(p.categoryId),
      name: String(p.name),
      spec: String(s.spec ?? ''),
      qty: l.qty,
      listPrice: Number(s.price),
      memberPrice: s.memberPrice === undefined ? null : Number(s.memberPrice),
      activityPrice: null,
    };
  });
  const tier = tierById(String(m.tierId), tiers);
  const tierPercent = tier.discount ?? 100;
  const base = {
    lines,
    tierPercent,
    memberId: m._id,
    now,
    pointsToUse: input.pointsToUse ?? 0,
    pointsBalance: Number(m.points ?? 0),
    pointsRule,
    useBalance: Boolean(input.useBalance),
    balance: Number(m.balance ?? 0),
  };
  const held = coupons.data;
  let chosen: MemberCoupon | null = null;
  if (input.couponId) {
    // A coupon outside the usable list (another member's, used, expired) is evaluated to say why.
    chosen = held.find((c) => c._id === input.couponId) ?? (await findById(db, 'member_coupons', input.couponId));
    if (!chosen) throw new AppError('COUPON_NOT_OWNED', '优惠券不存在');
  }
  // Verdicts judge the lines at the price this member pays (tier included), as priceOrder will.
  const { best, verdicts } = bestCoupon(held, { memberId: m._id, now, lines: couponLines(lines, tierPercent) });
  const coupon = input.couponId ? chosen : input.autoCoupon ? (best?.coupon ?? null) : null;
  const r = priceOrder({ ...base, coupon });
  if (!r.ok) throw new AppError(r.code);
  const named = verdicts.map((v) => {
    const c = held.find((x) => x._id === v.couponId) as (MemberCoupon & { desc?: string; validTo: number }) | undefined;
    return { ...v, name: c?.name ?? '', desc: c?.desc ?? '', validTo: c?.validTo ?? null };
  });
  return {
    member: m,
    lines,
    price: r.price,
    coupon,
    suggestion: best ? { couponId: best.coupon._id, discount: best.discount } : null,
    verdicts: named,
  };
}

const preview = action({
  roles: ['consumer'],
  schema: checkoutSchema,
  async run({ db, caller, now, input }) {
    const r = await priceCheckout(db, await requireMember(db, caller.openid), input, now);
    return {
      price: r.price,
      couponId: r.coupon?._id ?? null,
      suggestion: r.suggestion,
      coupons: r.verdicts,
      points: Number(r.member.points ?? 0),
      balance: Number(r.member.balance ?? 0),
    };
  },
});

const placeProps = {
  ...checkoutProps,
  requestId,
  fulfilment: { type: 'string', enum: ['delivery', 'pickup'] },
  storeId: id,
  address: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'phone', 'detail'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 20 },
      phone: { type: 'string', pattern: '^1\\d{10}$' },
      detail: { type: 'string', minLength: 2, maxLength: 100 },
    },
  },
} as const;

async function pay(db: cloud.Database, order: OrderDoc, openid: string, now: number) {
  if (order.payAmount === 0) {
    await markOrderPaid(db, order._id, now, {});
    return null;
  }
  return unifiedOrder({
    outTradeNo: order._id,
    totalFee: order.payAmount,
    body: `拾光咖啡-${order.lines[0]?.name ?? '订单'}`, // an order has at least one line
    openid,
    expiresAt: order.expiresAt,
    failMessage: '发起支付失败，请稍后在订单中重新支付',
  });
}

// Order ids derive from the request id, so a double tap finds the first order instead of making a second.
const orderIdFor = (memberId: string, req: string) =>
  `OD${createHash('sha256').update(`${memberId}:${req}`).digest('hex').slice(0, 28).toUpperCase()}`;

async function existingOrder(db: cloud.Database, orderId: string) {
  const { data } = await db.collection('orders').where({ _id: orderId }).limit(1).get();
  return data[0];
}

const placeOrder = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['lines', 'requestId'], additionalProperties: false, properties: placeProps },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const orderId = orderIdFor(m._id, input.requestId);
    const fulfilment = input.fulfilment ?? 'delivery';
    if (fulfilment === 'delivery' && !input.address) throw new AppError('INVALID_ARGUMENT', '请填写收货地址');
    if (fulfilment === 'pickup' && !input.storeId) throw new AppError('INVALID_ARGUMENT', '请选择自提门店');
    if (input.storeId) {
      const { total } = await db.collection('stores').where({ _id: input.storeId }).count();
      if (!total) throw new AppError('NOT_FOUND', '门店不存在');
    }
    let r: Awaited<ReturnType<typeof priceCheckout>>;
    try {
      r = await priceCheckout(db, m, input, now);
    } catch (e) {
      // A replay after the first order took the coupon: answer with the first order.
      const prior = await existingOrder(db, orderId);
      if (prior) return { order: orderView(prior), payment: null, replayed: true };
      throw e;
    }
    const order = newOrder({
      _id: orderId,
      member: m,
      openid: caller.openid,
      type: 'normal',
      activityId: null,
      groupId: null,
      money: pricedFields(r.price, (skuId) => r.lines.find((x) => x.skuId === skuId)?.spec ?? ''),
      couponId: r.coupon?._id ?? null,
      input,
      defaultFulfilment: 'delivery',
      now,
    });
    try {
      await createNormalOrder(db, order, now);
    } catch (e) {
      const again = await existingOrder(db, orderId);
      if (again) return { order: orderView(again), payment: null, replayed: true };
      throw e;
    }
    const payment = await pay(db, order, caller.openid, now);
    return { order: orderView(order.payAmount === 0 ? ((await existingOrder(db, orderId)) ?? order) : order), payment };
  },
});

/** The activity line of a flash sale or group buy. */
interface ActivityLine {
  skuId: string;
  productId: string;
  categoryId: string;
  name: string;
  listPrice: number;
  price: number;
}

// A flash-sale or group-buy order priced by the one pricing function: the activity price replaces member and
// tier prices, and a coupon applies only when its template stacks with activities (else COUPON_NOT_STACKABLE).
// Read-only: a refusal here leaves nothing written.
async function priceActivity(
  db: cloud.Database,
  m: cloud.Doc,
  a: ActivityLine,
  qty: number,
  couponId: string | undefined,
  now: number,
): Promise<{ price: PriceBreakdown; couponId: string | null }> {
  let coupon: MemberCoupon | null = null;
  if (couponId) {
    coupon = await findById(db, 'member_coupons', couponId);
    if (!coupon) throw new AppError('COUPON_NOT_OWNED', '优惠券不存在');
  }
  const line: PriceLineInput = {
    skuId: a.skuId,
    productId: a.productId,
    categoryId: a.categoryId,
    name: a.name,
    qty,
    listPrice: a.listPrice,
    memberPrice: null,
    activityPrice: a.price,
  };
  const r = priceOneLine(line, coupon, m._id, now);
  if (!r.ok) throw new AppError(r.code);
  return { price: r.price, couponId: coupon?._id ?? null };
}

// Writes an activity order; with a coupon, the coupon is locked in the same transaction as the order.
// On failure `undo` gives back what was held (stock, limit, seat) before the error goes on.
async function addActivityOrder(
  db: cloud.Database,
  order: OrderDoc,
  now: number,
  undo: () => Promise<unknown>,
): Promise<void> {
  try {
    if (order.couponId) await addOrderWithPayments(db, order, now);
    else await db.collection('orders').add({ data: order });
  } catch (e) {
    await undo();
    throw e;
  }
}

const myOrders = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: Object.keys(ORDER_STATUS_TEXT) },
      statuses: { type: 'array', maxItems: 9, items: { type: 'string', enum: Object.keys(ORDER_STATUS_TEXT) } },
      before: { type: 'integer', minimum: 0 },
    },
  },
  async run({ db, caller, input, now }) {
    const m = await requireMember(db, caller.openid);
    const where: Record<string, unknown> = { memberId: m._id };
    if (input.statuses?.length) where.status = db.command.in(input.statuses);
    else if (input.status) where.status = input.status;
    if (input.before) where.createdAt = db.command.lt(input.before);
    const { data } = await db.collection('orders').where(where).orderBy('createdAt', 'desc').limit(20).get();
    const last = data.length === 20 ? data[19] : undefined;
    return {
      serverTime: now,
      orders: data.map((o) => orderView(o)),
      nextBefore: last ? Number(last.createdAt) : null,
    };
  },
});

const stores = action({
  roles: ['consumer'],
  async run({ db }) {
    return {
      stores: (
        await db
          .collection('stores')
          .limit(100)
          .field({ _id: true, name: true, city: true, address: true, district: true, openHours: true })
          .get()
      ).data,
    };
  },
});

async function myOrder(db: cloud.Database, openid: string, orderId: string): Promise<OrderDoc> {
  const m = await requireMember(db, openid);
  const o = await existingOrder(db, orderId);
  // Another member's order looks exactly like a missing one.
  if (!o || o.memberId !== m._id) throw new AppError('NOT_FOUND', '订单不存在');
  return o;
}

const orderDetail = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run({ db, caller, input, now }) {
    const [o, rules] = await Promise.all([myOrder(db, caller.openid, input.id), afterSalesRules(db, now, 30_000)]);
    // Until when the buyer may still ask for an after-sales refund (the server decides again when asked).
    const refundUntil = o.channel === 'store' ? null : refundDeadline(o, rules);
    return { serverTime: now, order: { ...orderView(o), refundUntil } };
  },
});

const repay = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run({ db, caller, now, input }) {
    const o = await myOrder(db, caller.openid, input.id);
    if (!canTransition(o.status, 'pay') || o.expiresAt <= now)
      throw new AppError('ORDER_NOT_PAYABLE', '订单已关闭，请重新下单');
    return { order: orderView(o), payment: await pay(db, o, caller.openid, now) };
  },
});

const cancel = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run({ db, caller, now, input }) {
    await myOrder(db, caller.openid, input.id);
    const r = await cancelOrder(db, input.id, now, 'buyer');
    if (r !== 'cancelled') throw new AppError('ORDER_NOT_CANCELLABLE', '订单当前状态不可取消');
    return { order: orderView((await existingOrder(db, input.id))!) };
  },
});

// Before fulfilment, or after completion inside the after-sales window (domain/orders.ts checkRefund).
const refund = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id, reason: { type: 'string', maxLength: 100 } },
  },
  async run({ db, caller, now, input }) {
    await myOrder(db, caller.openid, input.id);
    const r = await requestRefund(db, input.id, now, input.reason ?? '买家申请退款', 'buyer');
    if (r !== 'refunded' && r !== 'refunding') throw new AppError(r, REFUND_REFUSAL_TEXT[r]);
    return { result: r, order: orderView((await existingOrder(db, input.id))!) };
  },
});

const confirmReceipt = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run({ db, caller, now, input }) {
    await myOrder(db, caller.openid, input.id);
    const r = await db
      .collection('orders')
      .where({ _id: input.id, ...eventWhere(db, 'complete') })
      .update({ data: eventFields('complete', now) });
    if (!r.stats.updated) throw new AppError('ORDER_NOT_COMPLETABLE', '订单当前状态不可确认收货');
    return { ok: true };
  },
});

// --- flash sales -----------------------------------------------------------------------------

const flashSales = action({
  roles: ['consumer'],
  async run({ db, now }) {
    const { data } = await db
      .collection('flash_sales')
      .where({ status: 'active', endAt: db.command.gt(now) })
      .orderBy('startAt', 'asc')
      .limit(20)
      .get();
    return { serverTime: now, sales: data.map((s) => ({ ...s, ...flashPhase(s, now) })) };
  },
});

// A flash-sale purchase: per-member limit and activity stock are each one conditional update
// (no read-then-write), the order is one insert; 2 reads + 3 writes in all.
const flashBuy = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    required: ['saleId', 'requestId'],
    additionalProperties: false,
    properties: {
      saleId: id,
      qty,
      requestId,
      couponId: id,
      fulfilment: placeProps.fulfilment,
      storeId: id,
      address: placeProps.address,
    },
  },
  async run({ db, caller, now, input }) {
    const _ = db.command;
    const n = input.qty ?? 1;
    // The order id derives from the caller and the request id: a double tap finds the first order (read in
    // parallel, so the replay check costs no round trip) and a racing second insert fails on the key.
    const orderId = orderIdFor(caller.openid, input.requestId);
    const [m, saleRes, prior] = await Promise.all([
      requireMember(db, caller.openid),
      db.collection('flash_sales').where({ _id: input.saleId }).limit(1).get(),
      existingOrder(db, orderId),
    ]);
    if (prior) return { order: orderView(prior), payment: null, replayed: true };
    const sale = saleRes.data[0];
    if (!sale) throw new AppError('NOT_FOUND', '活动不存在');
    const check = checkFlashBuy(sale, n, now);
    if (!check.ok)
      throw new AppError(
        check.code,
        {
          FLASH_NOT_STARTED: '秒杀尚未开始',
          FLASH_ENDED: '秒杀已结束',
          SOLD_OUT: '已抢光',
          LIMIT_EXCEEDED: `每人限购 ${sale.perMemberLimit} 件`,
        }[check.code],
      );
    const priced = await priceActivity(db, m, sale, n, input.couponId, now);
    const counterId = `${sale._id}:${m._id}`;
    await reserveCounter(
      db,
      'flash_counters',
      counterId,
      { saleId: sale._id, memberId: m._id },
      n,
      sale.perMemberLimit,
      'LIMIT_EXCEEDED',
      `每人限购 ${sale.perMemberLimit} 件`,
    );
    const took = await db
      .collection('flash_sales')
      .where({ _id: sale._id, status: 'active', stock: _.gte(n), startAt: _.lte(now), endAt: _.gt(now) })
      .update({ data: { stock: _.inc(-n), sold: _.inc(n) } });
    if (!took.stats.updated) {
      await db
        .collection('flash_counters')
        .doc(counterId)
        .update({ data: { count: _.inc(-n) } });
      throw new AppError('SOLD_OUT', '已抢光');
    }
    const order = newOrder({
      _id: orderId,
      member: m,
      openid: caller.openid,
      type: 'flash',
      activityId: sale._id,
      groupId: null,
      money: pricedFields(priced.price),
      couponId: priced.couponId,
      input,
      defaultFulfilment: 'pickup',
      now,
    });
    try {
      await addActivityOrder(db, order, now, () =>
        Promise.all([
          db
            .collection('flash_sales')
            .doc(sale._id)
            .update({ data: { stock: _.inc(n), sold: _.inc(-n) } }),
          db
            .collection('flash_counters')
            .doc(counterId)
            .update({ data: { count: _.inc(-n) } }),
        ]),
      );
    } catch (e) {
      // The same request racing itself: the first order stands (what this one took went back above).
      const again = await existingOrder(db, orderId);
      if (again) return { order: orderView(again), payment: null, replayed: true };
      throw e;
    }
    return { order: orderView(order), payment: await pay(db, order, caller.openid, now) };
  },
});

// --- group buys ------------------------------------------------------------------------------

const groupBuys = action({
  roles: ['consumer'],
  async run({ db, now }) {
    const _ = db.command;
    const { data } = await db
      .collection('group_buys')
      .where({ status: 'active', endAt: _.gt(now) })
      .limit(20)
      .get();
    const forming = await db
      .collection('groups')
      .where({ status: 'forming', expiresAt: _.gt(now) })
      .orderBy('expiresAt', 'asc')
      .limit(50)
      .get();
    return {
      serverTime: now,
      activities: data,
      openGroups: forming.data.map((g) => ({
        _id: g._id,
        activityId: g.activityId,
        size: g.size,
        seats: g.seats,
        expiresAt: g.expiresAt,
      })),
    };
  },
});

const groupDetail = action({
  roles: ['consumer'],
  schema: { type: 'object', required: ['groupId'], additionalProperties: false, properties: { groupId: id } },
  async run({ db, caller, now, input }) {
    const { data } = await db.collection('groups').where({ _id: input.groupId }).limit(1).get();
    const g = data[0];
    if (!g) throw new AppError('NOT_FOUND', '拼团不存在');
    const [a, members, me] = await Promise.all([
      findById(db, 'group_buys', g.activityId),
      db
        .collection('members')
        .where({ _id: db.command.in(g.memberIds ?? []) })
        .field({ nickname: true, avatar: true })
        .limit(20)
        .get(),
      requireMember(db, caller.openid),
    ]);
    return {
      serverTime: now,
      activity: a,
      group: {
        _id: g._id,
        size: g.size,
        seats: g.seats,
        paid: (g.paidIds ?? []).length,
        status: g.status,
        expiresAt: g.expiresAt,
        leaderId: g.leaderId,
        virtual: g.virtual ?? 0,
      },
      members: members.data.map((x) => ({
        nickname: nicknameOf(x),
        avatar: x.avatar ?? '',
        isLeader: x._id === g.leaderId,
      })),
      joined: (g.memberIds ?? []).includes(me._id),
    };
  },
});

// Pickup needs a real store: the one given, else the member's own.
async function pickupStore(db: cloud.Database, m: cloud.Doc, input: Fulfilment): Promise<void> {
  const fulfilment = input.fulfilment ?? 'pickup';
  if (fulfilment === 'delivery' && !input.address) throw new AppError('INVALID_ARGUMENT', '请填写收货地址');
  const storeId = input.storeId ?? (m.storeId as string | null);
  if (fulfilment === 'pickup' && !storeId) throw new AppError('INVALID_ARGUMENT', '请选择自提门店');
  if (input.storeId) {
    const { total } = await db.collection('stores').where({ _id: input.storeId }).count();
    if (!total) throw new AppError('NOT_FOUND', '门店不存在');
  }
}

function groupOrder(
  m: cloud.Doc,
  openid: string,
  a: GroupBuy,
  groupId: string,
  now: number,
  input: GroupInput,
  priced: { price: PriceBreakdown; couponId: string | null },
): OrderDoc {
  return newOrder({
    _id: newOrderId(now),
    member: m,
    openid,
    type: 'group',
    activityId: a._id,
    groupId,
    money: pricedFields(priced.price),
    couponId: priced.couponId,
    input,
    defaultFulfilment: 'pickup',
    now,
  });
}

const fulfilmentProps = {
  fulfilment: placeProps.fulfilment,
  storeId: id,
  address: placeProps.address,
  couponId: id,
} as const;
interface GroupInput extends Fulfilment {
  couponId?: string;
}

const openGroup = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    required: ['activityId'],
    additionalProperties: false,
    properties: { activityId: id, ...fulfilmentProps },
  },
  async run({ db, caller, now, input }) {
    const [m, aRes] = await Promise.all([
      requireMember(db, caller.openid),
      db.collection('group_buys').where({ _id: input.activityId }).limit(1).get(),
    ]);
    const a = aRes.data[0];
    if (!a) throw new AppError('NOT_FOUND', '拼团活动不存在');
    const ok = canOpenGroup(a, now);
    if (!ok.ok) throw new AppError(ok.code);
    await pickupStore(db, m, input);
    const priced = await priceActivity(db, m, a, 1, input.couponId, now);
    const groupId = `G${now.toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
    const order = groupOrder(m, caller.openid, a, groupId, now, input, priced);
    const group: Group = {
      _id: groupId,
      activityId: a._id,
      leaderId: m._id,
      size: a.groupSize,
      seats: 1,
      memberIds: [m._id],
      paidIds: [],
      status: 'pending',
      expiresAt: now + a.validHours * 3600_000,
      virtual: 0,
      orderIds: { [m._id]: order._id },
      createdAt: now,
    };
    await db.collection('groups').add({ data: group });
    await addActivityOrder(db, order, now, () => db.collection('groups').doc(groupId).remove());
    return { groupId, order: orderView(order), payment: await pay(db, order, caller.openid, now) };
  },
});

// Joining takes a seat with one conditional update: never more than N seats, never twice.
const joinGroup = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    required: ['groupId'],
    additionalProperties: false,
    properties: { groupId: id, ...fulfilmentProps },
  },
  async run({ db, caller, now, input }) {
    const _ = db.command;
    const [m, gRes] = await Promise.all([
      requireMember(db, caller.openid),
      db.collection('groups').where({ _id: input.groupId }).limit(1).get(),
    ]);
    const g = gRes.data[0];
    if (!g) throw new AppError('NOT_FOUND', '拼团不存在');
    const check = checkJoin(g, m._id, now);
    if (!check.ok) throw new AppError(check.code);
    await pickupStore(db, m, input);
    const a = await findById(db, 'group_buys', g.activityId);
    if (!a) throw new AppError('NOT_FOUND', '拼团活动不存在');
    const priced = await priceActivity(db, m, a, 1, input.couponId, now);
    const order = groupOrder(m, caller.openid, a, g._id, now, input, priced);
    const seat = await db
      .collection('groups')
      .where({ _id: g._id, status: 'forming', seats: _.lt(g.size), memberIds: _.neq(m._id), expiresAt: _.gt(now) })
      .update({ data: { seats: _.inc(1), memberIds: _.push(m._id), [`orderIds.${m._id}`]: order._id } });
    if (!seat.stats.updated) {
      const { data: again } = await db.collection('groups').where({ _id: g._id }).limit(1).get();
      const cur = again[0];
      if (!cur) throw new AppError('NOT_FOUND', '拼团不存在');
      const c = checkJoin(cur, m._id, now);
      const code = c.ok ? 'GROUP_FULL' : c.code;
      throw new AppError(code);
    }
    // The seat goes back if the order cannot be written (its coupon was just used elsewhere).
    await addActivityOrder(db, order, now, () =>
      db
        .collection('groups')
        .where({ _id: g._id, memberIds: m._id })
        .update({ data: { seats: _.inc(-1), memberIds: _.pull(m._id), [`orderIds.${m._id}`]: _.remove() } }),
    );
    return { groupId: g._id, order: orderView(order), payment: await pay(db, order, caller.openid, now) };
  },
});

/** The actions of this function, by name. */
export const actions = {
  categories,
  products,
  product,
  serverTime,
  stores,
  couponCenter,
  claimCoupon,
  myCoupons,
  preview,
  placeOrder,
  myOrders,
  orderDetail,
  repay,
  cancel,
  refund,
  confirmReceipt,
  flashSales,
  flashBuy,
  groupBuys,
  groupDetail,
  openGroup,
  joinGroup,
};

/** Each action's validated input and its result (the client's contract, see functions/api.ts). */
export type Api = ApiOf<typeof actions>;

/** Entry point. */
export const main = createMain(actions, { onTimer: ({ db, now }) => runShopTimer(db, now) });

// Operator actions for the store: products and SKUs, coupon templates, flash sales, group buys,
// orders (ship, ready for pickup, refund). All operator-only; all audited.
import type { Database } from 'wx-server-sdk';
import { activityProblems, activitySku } from '../../domain/activities';
import { compileTemplate } from '../../domain/coupon-rules';
import { parseScope, parseValidity } from '../../domain/coupons';
import { eventFields, ORDER_EVENTS, REFUND_REFUSAL_TEXT } from '../../domain/orders';
import { AppError } from '../../lib/errors';
import { action, Action } from '../../lib/handler';
import { findById } from '../../store/docs';
import { afterSalesRules, eventWhere, requestRefund } from '../../store/orders';
import { setConfig } from '../../store/config';
import { audit } from '../../lib/audit';

const OP: ['operator'] = ['operator'];
const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' } as const;
const fen = { type: 'integer', minimum: 1, maximum: 100000000 } as const;
const time = { type: 'integer', minimum: 0, maximum: 4102444800000 } as const;

const saveProduct = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['product', 'skus'],
    additionalProperties: false,
    properties: {
      product: {
        type: 'object',
        required: ['name', 'categoryId'],
        additionalProperties: false,
        properties: {
          _id: id,
          name: { type: 'string', minLength: 1, maxLength: 40 },
          categoryId: id,
          images: { type: 'array', maxItems: 9, items: { type: 'string', maxLength: 300 } },
          desc: { type: 'string', maxLength: 2000 },
        },
      },
      skus: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: {
          type: 'object',
          required: ['spec', 'price', 'stock'],
          additionalProperties: false,
          properties: {
            _id: id,
            spec: { type: 'string', minLength: 1, maxLength: 20 },
            price: fen,
            memberPrice: fen,
            stock: { type: 'integer', minimum: 0, maximum: 10000000 },
          },
        },
      },
    },
  },
  async run(ctx) {
    const { product, skus } = ctx.input;
    const problems = skus
      .filter((s) => s.memberPrice !== undefined && s.memberPrice > s.price)
      .map((s) => `${s.spec} 的会员价不能高于售价`);
    const { total } = await ctx.db.collection('categories').where({ _id: product.categoryId }).count();
    if (!total) problems.push('分类不存在');
    if (problems.length) throw new AppError('INVALID_ARGUMENT', problems.join('；'), problems);
    const fields = {
      name: product.name,
      categoryId: product.categoryId,
      images: product.images ?? [],
      desc: product.desc ?? '',
      price: Math.min(...skus.map((s) => s.price)),
      memberPrice: Math.min(...skus.map((s) => s.memberPrice ?? s.price)),
      stock: skus.reduce((a, s) => a + s.stock, 0),
      specs: skus.map((s) => s.spec),
      updatedAt: ctx.now,
    };
    let productId = product._id;
    if (productId) {
      const r = await ctx.db.collection('products').doc(productId).update({ data: fields });
      if (!r.stats.updated) throw new AppError('NOT_FOUND', '商品不存在');
    } else {
      productId = (
        await ctx.db.collection('products').add({ data: { ...fields, onShelf: false, sales: 0, createdAt: ctx.now } })
      )._id;
    }
    for (const [i, s] of skus.entries()) {
      const skuId = s._id ?? `${productId}_${i + 1}`;
      await ctx.db
        .collection('skus')
        .doc(skuId)
        .set({
          data: {
            productId,
            spec: s.spec,
            price: s.price,
            memberPrice: s.memberPrice ?? s.price,
            stock: s.stock,
            onShelf: true,
            sales: 0,
          },
        });
    }
    await audit(ctx, 'saveProduct', productId, ctx.input);
    return { _id: productId };
  },
});

const shelf = (collection: string, what: string): Action<{ id: string; onShelf: boolean }> =>
  action({
    roles: OP,
    schema: {
      type: 'object',
      required: ['id', 'onShelf'],
      additionalProperties: false,
      properties: { id, onShelf: { type: 'boolean' } },
    },
    async run(ctx) {
      const { total } = await ctx.db.collection(collection).where({ _id: ctx.input.id }).count();
      if (!total) throw new AppError('NOT_FOUND', `${what}不存在`);
      await ctx.db
        .collection(collection)
        .doc(ctx.input.id)
        .update({ data: { onShelf: ctx.input.onShelf, updatedAt: ctx.now } });
      await audit(ctx, `shelf:${collection}`, ctx.input.id, ctx.input);
      return ctx.input;
    },
  });

const listProducts = action({
  roles: OP,
  async run({ db }) {
    return { products: (await db.collection('products').orderBy('createdAt', 'desc').limit(200).get()).data };
  },
});

const saveCouponTemplate = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['template'],
    additionalProperties: false,
    properties: {
      template: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind', 'threshold', 'amount', 'scope', 'validity', 'quota', 'perMemberLimit'],
        properties: {
          _id: id,
          name: { type: 'string', minLength: 1, maxLength: 20 },
          kind: { type: 'string', enum: ['threshold', 'discount', 'no_threshold'] },
          threshold: { type: 'integer', minimum: 0, maximum: 100000000 },
          amount: { type: 'integer', minimum: 0, maximum: 100000000 },
          percent: { anyOf: [{ type: 'integer', minimum: 10, maximum: 99 }, { type: 'null' }] },
          cap: { anyOf: [fen, { type: 'null' }] },
          scope: {
            type: 'object',
            required: ['type'],
            additionalProperties: false,
            properties: {
              type: { type: 'string', enum: ['all', 'categories', 'products'] },
              ids: { type: 'array', maxItems: 100, items: id },
            },
          },
          validity: {
            type: 'object',
            required: ['type'],
            additionalProperties: false,
            properties: {
              type: { type: 'string', enum: ['fixed', 'relative'] },
              from: time,
              to: time,
              days: { type: 'integer', minimum: 1, maximum: 365 },
            },
          },
          quota: { type: 'integer', minimum: 1, maximum: 100000000 },
          perMemberLimit: { type: 'integer', minimum: 0, maximum: 100 },
          stackWithActivity: { type: 'boolean' },
          claimable: { type: 'boolean' },
          audience: { type: 'string', enum: ['all', 'new_member'] },
        },
      },
    },
  },
  async run(ctx) {
    const t = ctx.input.template;
    const problems: string[] = [];
    if (t.kind === 'discount' && !t.percent) problems.push('折扣券需要设置折扣');
    if (t.kind !== 'discount' && t.amount <= 0) problems.push('请设置优惠金额');
    if (t.kind === 'threshold' && t.threshold <= t.amount) problems.push('满减门槛必须高于优惠金额');
    const scope = parseScope(t.scope);
    if (!scope.ok) problems.push(scope.problem);
    const validity = parseValidity(t.validity);
    if (!validity.ok) problems.push(validity.problem);
    if (problems.length || !scope.ok || !validity.ok)
      throw new AppError('INVALID_ARGUMENT', problems.join('；'), problems);
    const { _id, ...form } = t;
    const fields = {
      ...form,
      scope: scope.scope,
      validity: validity.validity,
      percent: t.percent ?? null,
      cap: t.cap ?? null,
    };
    // Not claimable unless the operator says so: a template made for a campaign or the mall is never free in the
    // claim centre.
    const doc = {
      ...fields,
      claimable: t.claimable === true,
      audience: t.audience ?? 'all',
      ...compileTemplate(fields),
      updatedAt: ctx.now,
    };
    let tid = _id;
    if (tid) {
      // Quota may not go below what was already issued.
      const r = await ctx.db
        .collection('coupon_templates')
        .where({ _id: tid, issued: ctx.db.command.lte(t.quota) })
        .update({ data: doc });
      if (!r.stats.updated) throw new AppError('INVALID_ARGUMENT', '券模板不存在或总量小于已发放数量');
    } else {
      tid = (
        await ctx.db
          .collection('coupon_templates')
          .add({ data: { ...doc, issued: 0, status: 'active', createdAt: ctx.now } })
      )._id;
    }
    await audit(ctx, 'saveCouponTemplate', tid, doc);
    return { _id: tid };
  },
});

const stopSchema = { type: 'object', required: ['id'], additionalProperties: false, properties: { id } } as const;
const stopper = (collection: string, what: string) =>
  action({
    roles: OP,
    schema: stopSchema,
    async run(ctx) {
      const { total } = await ctx.db.collection(collection).where({ _id: ctx.input.id }).count();
      if (!total) throw new AppError('NOT_FOUND', `${what}不存在`);
      await ctx.db
        .collection(collection)
        .doc(ctx.input.id)
        .update({ data: { status: 'stopped', stoppedAt: ctx.now } });
      await audit(ctx, `stop:${collection}`, ctx.input.id, null);
      return { id: ctx.input.id, status: 'stopped' };
    },
  });

const listCouponTemplates = action({
  roles: OP,
  async run({ db }) {
    return { templates: (await db.collection('coupon_templates').orderBy('createdAt', 'desc').limit(100).get()).data };
  },
});

async function activityProduct(db: Database, skuId: string) {
  const sku = await findById(db, 'skus', skuId);
  if (!sku) throw new AppError('NOT_FOUND', '商品规格不存在');
  const p = await findById(db, 'products', sku.productId);
  if (!p) throw new AppError('NOT_FOUND', '商品不存在');
  return activitySku(p, sku);
}

// The SKU an activity sells, once it passes every check (all problems reported at once).
async function checkedActivity(
  db: Database,
  a: Parameters<typeof activityProblems>[0] & { skuId: string },
  priceName: Parameters<typeof activityProblems>[2],
) {
  const prod = await activityProduct(db, a.skuId);
  const problems = activityProblems(a, prod.listPrice, priceName);
  if (problems.length) throw new AppError('INVALID_ARGUMENT', problems.join('；'), problems);
  return prod;
}

const saveFlashSale = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['sale'],
    additionalProperties: false,
    properties: {
      sale: {
        type: 'object',
        required: ['title', 'skuId', 'price', 'total', 'perMemberLimit', 'startAt', 'endAt'],
        additionalProperties: false,
        properties: {
          _id: id,
          title: { type: 'string', minLength: 1, maxLength: 30 },
          skuId: id,
          price: fen,
          total: { type: 'integer', minimum: 1, maximum: 1000000 },
          perMemberLimit: { type: 'integer', minimum: 1, maximum: 99 },
          startAt: time,
          endAt: time,
        },
      },
    },
  },
  async run(ctx) {
    const s = ctx.input.sale;
    const prod = await checkedActivity(ctx.db, s, '秒杀价');
    const { _id, ...fields } = s;
    let sid = _id;
    if (sid) {
      // A running sale keeps its stock accounting: only what has not started may change totals.
      const r = await ctx.db
        .collection('flash_sales')
        .where({ _id: sid, startAt: ctx.db.command.gt(ctx.now) })
        .update({ data: { ...fields, ...prod, stock: s.total, updatedAt: ctx.now } });
      if (!r.stats.updated) throw new AppError('FLASH_ALREADY_STARTED');
    } else {
      sid = (
        await ctx.db
          .collection('flash_sales')
          .add({ data: { ...fields, ...prod, stock: s.total, sold: 0, status: 'active', createdAt: ctx.now } })
      )._id;
    }
    await audit(ctx, 'saveFlashSale', sid, s);
    return { _id: sid };
  },
});

const saveGroupBuy = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['activity'],
    additionalProperties: false,
    properties: {
      activity: {
        type: 'object',
        required: ['title', 'skuId', 'price', 'groupSize', 'validHours', 'virtualCompletion', 'startAt', 'endAt'],
        additionalProperties: false,
        properties: {
          _id: id,
          title: { type: 'string', minLength: 1, maxLength: 30 },
          skuId: id,
          price: fen,
          groupSize: { type: 'integer', minimum: 2, maximum: 20 },
          validHours: { type: 'integer', minimum: 1, maximum: 72 },
          virtualCompletion: { type: 'boolean' },
          startAt: time,
          endAt: time,
        },
      },
    },
  },
  async run(ctx) {
    const a = ctx.input.activity;
    const prod = await checkedActivity(ctx.db, a, '拼团价');
    const { _id, ...fields } = a;
    let gid = _id;
    if (gid) {
      const r = await ctx.db
        .collection('group_buys')
        .doc(gid)
        .update({ data: { ...fields, ...prod, updatedAt: ctx.now } });
      if (!r.stats.updated) throw new AppError('NOT_FOUND', '拼团活动不存在');
    } else {
      gid = (
        await ctx.db
          .collection('group_buys')
          .add({ data: { ...fields, ...prod, status: 'active', createdAt: ctx.now } })
      )._id;
    }
    await audit(ctx, 'saveGroupBuy', gid, a);
    return { _id: gid };
  },
});

const listActivities = action({
  roles: OP,
  async run({ db }) {
    const [flash, groups] = await Promise.all([
      db.collection('flash_sales').orderBy('startAt', 'desc').limit(100).get(),
      db.collection('group_buys').orderBy('startAt', 'desc').limit(100).get(),
    ]);
    return { flashSales: flash.data, groupBuys: groups.data };
  },
});

const listOrders = action({
  roles: OP,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { status: { type: 'string', maxLength: 20 }, before: time },
  },
  async run({ db, input }) {
    const where: Record<string, unknown> = {};
    if (input.status) where.status = input.status;
    if (input.before) where.createdAt = db.command.lt(input.before);
    const { data } = await db.collection('orders').where(where).orderBy('createdAt', 'desc').limit(50).get();
    const last = data.length === 50 ? data[49] : undefined;
    return { orders: data, nextBefore: last ? Number(last.createdAt) : null };
  },
});

const fulfil = (event: 'ship' | 'ready') =>
  action({
    roles: OP,
    schema: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: {
        id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
        trackingNo: { type: 'string', maxLength: 40 },
      },
    },
    async run(ctx) {
      const r = await ctx.db
        .collection('orders')
        .where({ _id: ctx.input.id, ...eventWhere(ctx.db, event) })
        .update({ data: { ...eventFields(event, ctx.now), trackingNo: ctx.input.trackingNo ?? null } });
      if (!r.stats.updated) throw new AppError('ORDER_NOT_SHIPPABLE', '只有待发货的订单可以发货');
      const to = ORDER_EVENTS[event].to;
      await audit(ctx, to, ctx.input.id, ctx.input);
      return { id: ctx.input.id, status: to };
    },
  });

const refundOrder = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['id', 'reason'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' },
      reason: { type: 'string', minLength: 1, maxLength: 100 },
    },
  },
  async run(ctx) {
    const r = await requestRefund(ctx.db, ctx.input.id, ctx.now, ctx.input.reason, 'operator');
    if (r !== 'refunded' && r !== 'refunding') throw new AppError(r, REFUND_REFUSAL_TEXT[r]);
    await audit(ctx, 'refundOrder', ctx.input.id, ctx.input);
    return { id: ctx.input.id, result: r };
  },
});

const getAfterSalesRules = action({
  roles: OP,
  async run({ db, now }) {
    return { rules: await afterSalesRules(db, now) };
  },
});

// The after-sales window: how many days after completion buyer and operator may still refund (0 = not at all).
const saveAfterSalesRules = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['rules'],
    additionalProperties: false,
    properties: {
      rules: {
        type: 'object',
        required: ['refundDays'],
        additionalProperties: false,
        properties: { refundDays: { type: 'integer', minimum: 0, maximum: 90 } },
      },
    },
  },
  async run(ctx) {
    await setConfig(ctx.db, 'aftersales', ctx.input.rules, ctx.now, ctx.caller.openid);
    await audit(ctx, 'saveAfterSalesRules', 'aftersales', ctx.input.rules);
    return { rules: ctx.input.rules };
  },
});

/** The trade actions of `ops`. */
export const tradeActions = {
  listProducts,
  saveProduct,
  setProductShelf: shelf('products', '商品'),
  listCouponTemplates,
  saveCouponTemplate,
  stopCouponTemplate: stopper('coupon_templates', '券模板'),
  listActivities,
  saveFlashSale,
  stopFlashSale: stopper('flash_sales', '秒杀活动'),
  saveGroupBuy,
  stopGroupBuy: stopper('group_buys', '拼团活动'),
  listOrders,
  shipOrder: fulfil('ship'),
  readyForPickup: fulfil('ready'),
  refundOrder,
  getAfterSalesRules,
  saveAfterSalesRules,
};

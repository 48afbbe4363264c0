// Cloud function `ops`: the brand operator's console actions. Every action requires the operator
// role (checked on the server from the staff collection) and leaves an audit entry.
import * as cloud from 'wx-server-sdk';
import { DEFAULT_CHECKIN_RULES } from '../../domain/checkin';
import { AppError } from '../../lib/errors';
import { audit } from '../../lib/audit';
import { action, ApiOf, createMain } from '../../lib/handler';
import { safeId } from '../../lib/schemas';
import { getConfig, setConfig } from '../../store/config';
import { withoutId } from '../../store/docs';
import { forgetTiers, loadTiers } from '../../store/members';
import { crmActions } from './crm';
import { memberActions } from './member';
import { tradeActions } from './trade';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const OP = ['operator'] as const;
const idSchema = safeId;

const listTiers = action({
  roles: [...OP],
  async run({ db }) {
    forgetTiers();
    return { tiers: await loadTiers(db) };
  },
});

const saveTiers = action({
  roles: [...OP],
  schema: {
    type: 'object',
    required: ['tiers'],
    additionalProperties: false,
    properties: {
      tiers: {
        type: 'array',
        minItems: 1,
        maxItems: 10,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['_id', 'name', 'level', 'threshold'],
          properties: {
            _id: idSchema,
            name: { type: 'string', minLength: 1, maxLength: 10 },
            level: { type: 'integer', minimum: 0, maximum: 9 },
            threshold: { type: 'integer', minimum: 0, maximum: 100000000 },
            keepThreshold: { type: 'integer', minimum: 0, maximum: 100000000 },
            discount: { type: 'integer', minimum: 50, maximum: 100 },
            pointsMultiplier: { type: 'integer', minimum: 100, maximum: 1000 },
            birthdayCouponTemplateId: { anyOf: [idSchema, { type: 'null' }] },
          },
        },
      },
    },
  },
  async run(ctx) {
    const tiers = [...ctx.input.tiers].sort((a, b) => a.level - b.level);
    const problems: string[] = [];
    const [lowest] = tiers;
    if (!lowest || lowest.threshold !== 0) problems.push('最低等级的门槛必须为 0');
    tiers.forEach((t, i) => {
      if (t.level !== i) problems.push(`等级序号必须从 0 连续编号（${t.name}）`);
      const below = tiers[i - 1];
      if (below && t.threshold <= below.threshold) problems.push(`${t.name} 的门槛必须高于 ${below.name}`);
      if ((t.keepThreshold ?? 0) > t.threshold) problems.push(`${t.name} 的保级值不能高于升级门槛`);
    });
    if (new Set(tiers.map((t) => t._id)).size !== tiers.length) problems.push('等级 ID 重复');
    if (problems.length) throw new AppError('INVALID_ARGUMENT', problems.join('；'), problems);
    const existing = await loadTiers(ctx.db);
    // The tier's id is the document id: set() refuses data that carries `_id`.
    for (const t of tiers) {
      await ctx.db
        .collection('tiers')
        .doc(t._id)
        .set({ data: { ...withoutId(t), updatedAt: ctx.now } });
    }
    // Tiers no longer listed are removed only if no member holds them.
    for (const old of existing.filter((e) => !tiers.some((t) => t._id === e._id))) {
      const { total } = await ctx.db.collection('members').where({ tierId: old._id }).count();
      if (total === 0) await ctx.db.collection('tiers').doc(old._id).remove();
    }
    forgetTiers();
    await audit(ctx, 'saveTiers', 'tiers', tiers);
    return { tiers };
  },
});

const getCheckinRules = action({
  roles: [...OP],
  async run({ db, now }) {
    return { rules: await getConfig(db, 'checkin', DEFAULT_CHECKIN_RULES, now) };
  },
});

const saveCheckinRules = action({
  roles: [...OP],
  schema: {
    type: 'object',
    required: ['rules'],
    additionalProperties: false,
    properties: {
      rules: {
        type: 'object',
        additionalProperties: false,
        required: ['basePoints', 'bonuses', 'cycleDays', 'makeup'],
        properties: {
          basePoints: { type: 'integer', minimum: 0, maximum: 1000 },
          bonuses: {
            type: 'array',
            maxItems: 10,
            items: {
              type: 'object',
              required: ['day', 'points'],
              additionalProperties: false,
              properties: {
                day: { type: 'integer', minimum: 1, maximum: 366 },
                points: { type: 'integer', minimum: 0, maximum: 10000 },
              },
            },
          },
          cycleDays: { type: 'integer', minimum: 0, maximum: 366 },
          makeup: {
            type: 'object',
            required: ['enabled', 'costPoints', 'maxDaysBack'],
            additionalProperties: false,
            properties: {
              enabled: { type: 'boolean' },
              costPoints: { type: 'integer', minimum: 0, maximum: 100000 },
              maxDaysBack: { type: 'integer', minimum: 1, maximum: 31 },
            },
          },
        },
      },
    },
  },
  async run(ctx) {
    await setConfig(ctx.db, 'checkin', ctx.input.rules, ctx.now, ctx.caller.openid);
    await audit(ctx, 'saveCheckinRules', 'checkin', ctx.input.rules);
    return { rules: ctx.input.rules };
  },
});

const mallItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'name', 'pointsPrice', 'stock'],
  properties: {
    _id: idSchema,
    type: { type: 'string', enum: ['goods', 'coupon'] },
    name: { type: 'string', minLength: 1, maxLength: 30 },
    pointsPrice: { type: 'integer', minimum: 1, maximum: 10000000 },
    stock: { type: 'integer', minimum: 0, maximum: 10000000 },
    perMemberLimit: { type: 'integer', minimum: 0, maximum: 1000 },
    couponTemplateId: { anyOf: [idSchema, { type: 'null' }] },
    image: { type: 'string', maxLength: 300 },
    desc: { type: 'string', maxLength: 200 },
    sort: { type: 'integer', minimum: 0, maximum: 9999 },
  },
} as const;

const listMallItems = action({
  roles: [...OP],
  async run({ db }) {
    return { items: (await db.collection('mall_items').orderBy('sort', 'asc').limit(200).get()).data };
  },
});

const saveMallItem = action({
  roles: [...OP],
  schema: { type: 'object', required: ['item'], additionalProperties: false, properties: { item: mallItemSchema } },
  async run(ctx) {
    const { _id, ...item } = ctx.input.item;
    if (item.type === 'coupon') {
      if (!item.couponTemplateId) throw new AppError('INVALID_ARGUMENT', '优惠券商品必须选择券模板');
      const { data } = await ctx.db.collection('coupon_templates').where({ _id: item.couponTemplateId }).limit(1).get();
      if (!data[0]) throw new AppError('NOT_FOUND', '券模板不存在');
    }
    const doc = {
      perMemberLimit: 0,
      image: '',
      desc: '',
      sort: 99,
      couponTemplateId: null,
      ...item,
      updatedAt: ctx.now,
    };
    let id = _id as string | undefined;
    if (id) {
      const r = await ctx.db.collection('mall_items').doc(id).update({ data: doc });
      if (!r.stats.updated) throw new AppError('NOT_FOUND', '商品不存在');
    } else {
      id = (
        await ctx.db.collection('mall_items').add({ data: { ...doc, onShelf: false, redeemed: 0, createdAt: ctx.now } })
      )._id;
    }
    await audit(ctx, 'saveMallItem', id, doc);
    return { _id: id };
  },
});

const shelfSchema = {
  type: 'object',
  required: ['id', 'onShelf'],
  additionalProperties: false,
  properties: { id: idSchema, onShelf: { type: 'boolean' } },
} as const;

const setMallItemShelf = action({
  roles: [...OP],
  schema: shelfSchema,
  async run(ctx) {
    const r = await ctx.db
      .collection('mall_items')
      .doc(ctx.input.id)
      .update({ data: { onShelf: ctx.input.onShelf, updatedAt: ctx.now } });
    if (!r.stats.updated) {
      const { total } = await ctx.db.collection('mall_items').where({ _id: ctx.input.id }).count();
      if (!total) throw new AppError('NOT_FOUND', '商品不存在');
    }
    await audit(ctx, 'setMallItemShelf', ctx.input.id, ctx.input);
    return { id: ctx.input.id, onShelf: ctx.input.onShelf };
  },
});

const listSvPackages = action({
  roles: [...OP],
  async run({ db }) {
    return { packages: (await db.collection('sv_packages').orderBy('pay', 'asc').limit(50).get()).data };
  },
});

const saveSvPackage = action({
  roles: [...OP],
  schema: {
    type: 'object',
    required: ['pkg'],
    additionalProperties: false,
    properties: {
      pkg: {
        type: 'object',
        required: ['name', 'pay', 'bonus'],
        additionalProperties: false,
        properties: {
          _id: idSchema,
          name: { type: 'string', minLength: 1, maxLength: 20 },
          pay: { type: 'integer', minimum: 100, maximum: 10000000 },
          bonus: { type: 'integer', minimum: 0, maximum: 10000000 },
        },
      },
    },
  },
  async run(ctx) {
    const { _id, ...pkg } = ctx.input.pkg;
    if (pkg.bonus > pkg.pay) throw new AppError('INVALID_ARGUMENT', '赠送金额不能超过充值金额');
    let id = _id;
    if (id) {
      const r = await ctx.db
        .collection('sv_packages')
        .doc(id)
        .update({ data: { ...pkg, updatedAt: ctx.now } });
      if (!r.stats.updated) throw new AppError('NOT_FOUND', '套餐不存在');
    } else {
      id = (await ctx.db.collection('sv_packages').add({ data: { ...pkg, onShelf: false, createdAt: ctx.now } }))._id;
    }
    await audit(ctx, 'saveSvPackage', id, pkg);
    return { _id: id };
  },
});

const setSvPackageShelf = action({
  roles: [...OP],
  schema: shelfSchema,
  async run(ctx) {
    const { total } = await ctx.db.collection('sv_packages').where({ _id: ctx.input.id }).count();
    if (!total) throw new AppError('NOT_FOUND', '套餐不存在');
    await ctx.db
      .collection('sv_packages')
      .doc(ctx.input.id)
      .update({ data: { onShelf: ctx.input.onShelf, updatedAt: ctx.now } });
    await audit(ctx, 'setSvPackageShelf', ctx.input.id, ctx.input);
    return { id: ctx.input.id, onShelf: ctx.input.onShelf };
  },
});

/** The actions of this function, by name. */
export const actions = {
  listTiers,
  saveTiers,
  getCheckinRules,
  saveCheckinRules,
  listMallItems,
  saveMallItem,
  setMallItemShelf,
  listSvPackages,
  saveSvPackage,
  setSvPackageShelf,
  ...tradeActions,
  ...crmActions,
  ...memberActions,
};

/** Each action's validated input and its result (the client's contract, see functions/api.ts). */
export type Api = ApiOf<typeof actions>;

/** Entry point. */
export const main = createMain(actions);

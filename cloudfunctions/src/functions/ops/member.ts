// Operator actions on membership: the in-store purchase cap, the list of purchases guides recorded, and
// reversing one (points, growth, aggregates and tags taken back exactly once; audited).
import { audit } from '../../lib/audit';
import { action } from '../../lib/handler';
import { setConfig } from '../../store/config';
import { reverseStorePurchase as reverse, storePurchaseRules } from '../../store/store-purchases';

const OP: ['operator'] = ['operator'];
const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' } as const;

const getStorePurchaseRules = action({
  roles: OP,
  async run({ db, now }) {
    return { rules: await storePurchaseRules(db, now) };
  },
});

const saveStorePurchaseRules = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['rules'],
    additionalProperties: false,
    properties: {
      rules: {
        type: 'object',
        required: ['maxAmount'],
        additionalProperties: false,
        properties: { maxAmount: { type: 'integer', minimum: 100, maximum: 10000000 } },
      },
    },
  },
  async run(ctx) {
    await setConfig(ctx.db, 'store_purchase', ctx.input.rules, ctx.now, ctx.caller.openid);
    await audit(ctx, 'saveStorePurchaseRules', 'store_purchase', ctx.input.rules);
    return { rules: ctx.input.rules };
  },
});

// Newest first, optionally one store's or one guide's, paged by recording time.
const listStorePurchases = action({
  roles: OP,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      storeId: id,
      guideId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
      before: { type: 'integer', minimum: 0 },
    },
  },
  async run({ db, input }) {
    const where: Record<string, unknown> = { channel: 'store' };
    if (input.storeId) where.storeId = input.storeId;
    if (input.guideId) where.guideId = input.guideId;
    if (input.before) where.createdAt = db.command.lt(input.before);
    const { data } = await db
      .collection('orders')
      .where(where)
      .orderBy('createdAt', 'desc')
      .limit(50)
      .field({
        memberId: true,
        storeId: true,
        guideId: true,
        receiptNo: true,
        payAmount: true,
        earned: true,
        status: true,
        createdAt: true,
        reversal: true,
        recordedBy: true,
      })
      .get();
    const last = data.length === 50 ? data[49] : undefined;
    return { purchases: data, nextBefore: last ? Number(last.createdAt) : null };
  },
});

const reverseStorePurchase = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['id', 'reason'],
    additionalProperties: false,
    properties: { id, reason: { type: 'string', minLength: 1, maxLength: 100 } },
  },
  // The audit entry is written inside the reversal's transaction (store/store-purchases.ts).
  run: ({ db, caller, now, input }) => reverse(db, input.id, caller.openid, input.reason, now),
});

/** The membership actions of `ops`. */
export const memberActions = {
  getStorePurchaseRules,
  saveStorePurchaseRules,
  listStorePurchases,
  reverseStorePurchase,
};

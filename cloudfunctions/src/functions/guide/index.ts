// Cloud function `guide`: store guides (导购) — their own QR code, scanning member codes (bind,
// visit, in-store purchase), and their store's customers with tags, RFM layer, notes.
// A guide sees only customers of their own store; every action checks the guide role on the server.
import * as cloud from 'wx-server-sdk';
import { memberCodeUseId, verifyMemberCode } from '../../domain/member-code';
import { MemberDoc, nicknameOf } from '../../domain/member-doc';
import { RFM_LAYERS } from '../../domain/rfm';
import { buildScene } from '../../domain/scene';
import { checkStorePurchase } from '../../domain/store-purchase';
import { isSafeKey } from '../../domain/safe-keys';
import { tagLabel } from '../../domain/tags';
import { tierById } from '../../domain/tiers';
import { shanghaiDay } from '../../domain/time';
import { newStoreVisit } from '../../domain/org';
import { AppError } from '../../lib/errors';
import { action, ApiOf, Caller, createMain, guideOf } from '../../lib/handler';
import { safeId, safeKey } from '../../lib/schemas';
import { memberCodeSecret } from '../../lib/secrets';
import { isDuplicateKey } from '../../store/db-errors';
import { allTags, loadCrmModel, tagContext } from '../../store/intelligence';
import { loadTiers } from '../../store/members';
import { sceneCodeFor } from '../../store/scene-codes';
import { recordStorePurchase, storePurchaseRules } from '../../store/store-purchases';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const G: ['guide'] = ['guide'];
const id = safeId;
const codeSchema = { type: 'string', minLength: 1, maxLength: 200 } as const;

function verified(code: string, now: number): { memberId: string; expiresAt: number } {
  const v = verifyMemberCode(code, now, memberCodeSecret());
  if (!v.ok)
    throw new AppError(
      v.code,
      v.code === 'MEMBER_CODE_EXPIRED' ? '会员码已过期，请让顾客刷新后重新出示' : '无效的会员码',
    );
  return v;
}

// Another store's customer looks exactly like one that does not exist.
async function storeCustomer(db: cloud.Database, caller: Caller, memberId: string): Promise<MemberDoc> {
  const { data } = await db
    .collection('members')
    .where({ _id: memberId, storeId: guideOf(caller).storeId, mergedInto: db.command.exists(false) })
    .limit(1)
    .get();
  if (!data[0]) throw new AppError('NOT_FOUND', '顾客不存在或不属于本门店');
  return data[0];
}

// Binds a customer no guide holds yet to this guide and store (one conditional update); true if it did.
async function bindUnbound(db: cloud.Database, m: cloud.Doc, caller: Caller, now: number): Promise<boolean> {
  const data = { guideId: caller.openid, storeId: guideOf(caller).storeId, boundAt: now };
  return (await db.collection('members').where({ _id: m._id, guideId: null }).update({ data })).stats.updated === 1;
}

const profile = action({
  roles: G,
  async run({ db, caller }) {
    const { data } = await db
      .collection('stores')
      .where({ _id: guideOf(caller).storeId })
      .limit(1)
      .get();
    return {
      openid: caller.openid,
      name: guideOf(caller).name,
      storeId: guideOf(caller).storeId,
      storeName: data[0]?.name ?? '',
    };
  },
});

// The guide's own mini-program code: a new customer who scans it joins bound to this guide and store.
const myCode = action({
  roles: G,
  async run({ db, caller, now }) {
    // An OPENID is 28+ characters (staff may hold up to 64): the scene carries the guide's short code.
    const scene = buildScene({ g: await sceneCodeFor(db, 'guide', caller.openid, now) });
    const res = await cloud.openapi.wxacode.getUnlimited({
      scene,
      page: 'pages/index/index',
      check_path: false,
      env_version: 'release',
      width: 430,
    });
    return { scene, qr: `data:${res.contentType};base64,${Buffer.from(res.buffer).toString('base64')}` };
  },
});

// Scanning a member code: refused when forged or expired; binds an unbound customer to this guide
// and store (the first guide keeps the customer; only an operator reassigns), and records today's visit once.
const scanMember = action({
  roles: G,
  schema: { type: 'object', properties: { code: codeSchema }, required: ['code'], additionalProperties: false },
  async run({ db, caller, now, input }) {
    const { memberId } = verified(input.code, now);
    const guide = guideOf(caller);
    const { data } = await db.collection('members').where({ _id: memberId }).limit(1).get();
    const m = data[0];
    if (!m || m.mergedInto) throw new AppError('MEMBER_NOT_FOUND');
    const bound = await bindUnbound(db, m, caller, now);
    const day = shanghaiDay(now);
    let visitRecorded = true;
    // One visit per member, store and day: the id is the unique key; any other failure is a real one.
    try {
      await db.collection('store_visits').add({ data: newStoreVisit(m._id, guide.storeId, caller.openid, day, now) });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      visitRecorded = false;
    }
    const tiers = await loadTiers(db);
    const boundToMe = bound || m.guideId === caller.openid;
    const sameStore = boundToMe || m.storeId === guide.storeId;
    return {
      member: {
        _id: m._id,
        nickname: nicknameOf(m),
        tierName: tierById(String(m.tierId), tiers).name,
        points: m.points,
        // Another store's customer shows only what the counter needs.
        ...(sameStore
          ? {
              lastOrderAt: m.stats?.lastOrderAt ?? null,
              orderCount: m.stats?.orderCount ?? 0,
              tags: m.tags ?? [],
              rfmLayer: m.rfm?.layer ?? null,
            }
          : {}),
      },
      bound,
      boundToMe,
      visitRecorded,
    };
  },
});

const customers = action({
  roles: G,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      layer: { type: 'string', enum: [...RFM_LAYERS] },
      tag: safeKey(60),
      mine: { type: 'boolean' },
      skip: { type: 'integer', minimum: 0, maximum: 100000 },
    },
  },
  async run({ db, caller, now, input }) {
    const where: Record<string, unknown> = { storeId: guideOf(caller).storeId, mergedInto: db.command.exists(false) };
    if (input.mine) where.guideId = caller.openid;
    if (input.layer) where['rfm.layer'] = input.layer;
    if (input.tag) where.tags = input.tag;
    const [{ data }, { total }, tiers, model] = await Promise.all([
      db
        .collection('members')
        .where(where)
        .orderBy('stats.lastOrderAt', 'desc')
        .skip(input.skip ?? 0)
        .limit(20)
        .field({
          nickname: true,
          avatar: true,
          tierId: true,
          tags: true,
          rfm: true,
          stage: true,
          stats: true,
          guideId: true,
          phone: true,
        })
        .get(),
      db.collection('members').where(where).count(),
      loadTiers(db),
      loadCrmModel(db, now),
    ]);
    return {
      total,
      customers: data.map((m) => ({
        _id: m._id,
        nickname: nicknameOf(m),
        avatar: m.avatar ?? '',
        tierName: tierById(String(m.tierId), tiers).name,
        rfmLayer: m.rfm?.layer ?? null,
        stage: m.stage ?? null,
        lastOrderAt: m.stats?.lastOrderAt ?? null,
        orderCount: m.stats?.orderCount ?? 0,
        paidTotal: m.stats?.paidTotal ?? 0,
        mine: m.guideId === caller.openid,
        tags: (m.tags ?? [])
          .filter((t: string) => !t.startsWith('city:') && !t.startsWith('gender:'))
          .slice(0, 8)
          .map((t: string) => ({ tag: t, label: tagLabel(t, model) })),
        phoneTail: m.phone ? String(m.phone).slice(-4) : null,
      })),
      nextSkip: data.length === 20 ? (input.skip ?? 0) + 20 : null,
    };
  },
});

const customer = action({
  roles: G,
  schema: { type: 'object', required: ['memberId'], additionalProperties: false, properties: { memberId: id } },
  async run({ db, caller, now, input }) {
    const m = await storeCustomer(db, caller, input.memberId);
    const [orders, notes, tiers, model] = await Promise.all([
      db
        .collection('orders')
        .where({ memberId: m._id })
        .orderBy('createdAt', 'desc')
        .limit(5)
        .field({ lines: true, price: true, status: true, createdAt: true })
        .get(),
      db
        .collection('customer_notes')
        .where({ memberId: m._id, storeId: guideOf(caller).storeId })
        .orderBy('at', 'desc')
        .limit(20)
        .get(),
      loadTiers(db),
      loadCrmModel(db, now),
    ]);
    return {
      customer: {
        _id: m._id,
        nickname: nicknameOf(m),
        avatar: m.avatar ?? '',
        gender: m.gender,
        birthday: m.birthday ?? null,
        city: m.city ?? '',
        tierName: tierById(String(m.tierId), tiers).name,
        points: m.points,
        rfm: m.rfm ?? null,
        stage: m.stage ?? null,
        stats: {
          orderCount: m.stats?.orderCount ?? 0,
          paidTotal: m.stats?.paidTotal ?? 0,
          lastOrderAt: m.stats?.lastOrderAt ?? null,
          categoryIds: m.stats?.categoryIds ?? [],
        },
        tags: (m.tags ?? []).map((t: string) => ({ tag: t, label: tagLabel(t, model) })),
        manualTags: m.manualTags ?? [],
        guideId: m.guideId ?? null,
      },
      // The order's paid amount is its price breakdown's (an order document has no top-level amount).
      orders: orders.data.map((o) => ({
        _id: o._id,
        status: o.status,
        payAmount: o.price.payAmount,
        createdAt: o.createdAt,
        lines: o.lines.map((l) => ({ name: l.name, qty: l.qty })),
      })),
      notes: notes.data,
    };
  },
});

const tagSchema = {
  type: 'object',
  required: ['memberId', 'tag'],
  additionalProperties: false,
  properties: { memberId: id, tag: { ...safeKey(12), pattern: '^[^:<>]+$' } },
} as const;

// Manual tags record who and when; the member's tag list is recomputed so segments see them at once.
async function setManualTag(
  db: cloud.Database,
  caller: Caller,
  memberId: string,
  tag: string,
  add: boolean,
  now: number,
) {
  // The schema checked the raw text; the trimmed tag is what is stored and later matched on.
  if (!isSafeKey(tag)) throw new AppError('INVALID_ARGUMENT', '标签名称不合法');
  const m = await storeCustomer(db, caller, memberId);
  const manual = ((m.manualTags ?? []) as { tag: string; by: string; at: number }[]).filter((t) => t.tag !== tag);
  if (add) manual.push({ tag, by: caller.openid, at: now });
  const tags = allTags({ ...m, manualTags: manual }, tagContext(await loadCrmModel(db, now), now));
  await db
    .collection('members')
    .doc(m._id)
    .update({ data: { manualTags: db.command.set(manual), tags: db.command.set(tags) } });
  return { manualTags: manual, tags };
}

const tagCustomer = action({
  roles: G,
  schema: tagSchema,
  run: ({ db, caller, now, input }) => setManualTag(db, caller, input.memberId, input.tag.trim(), true, now),
});
const untagCustomer = action({
  roles: G,
  schema: tagSchema,
  run: ({ db, caller, now, input }) => setManualTag(db, caller, input.memberId, input.tag.trim(), false, now),
});

const noteCustomer = action({
  roles: G,
  schema: {
    type: 'object',
    required: ['memberId', 'text'],
    additionalProperties: false,
    properties: { memberId: id, text: { type: 'string', minLength: 1, maxLength: 300 } },
  },
  async run({ db, caller, now, input }) {
    const m = await storeCustomer(db, caller, input.memberId);
    const { _id } = await db.collection('customer_notes').add({
      data: {
        memberId: m._id,
        storeId: guideOf(caller).storeId,
        by: caller.openid,
        byName: guideOf(caller).name,
        text: input.text,
        at: now,
      },
    });
    return { _id };
  },
});

// An in-store purchase paid at the till, for a customer of this guide's store (an unbound customer is bound
// first, as a scan would), within the operator's per-purchase cap, once per receipt number of the store; the
// member code is used up by it. Points, growth and aggregates move once; an operator can reverse it (ops).
const recordPurchase = action({
  roles: G,
  schema: {
    type: 'object',
    required: ['code', 'amount', 'categoryId', 'receiptNo'],
    additionalProperties: false,
    properties: {
      code: codeSchema,
      amount: { type: 'integer', minimum: 1, maximum: 10000000 },
      categoryId: id,
      receiptNo: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    },
  },
  async run({ db, caller, now, input }) {
    const { memberId, expiresAt } = verified(input.code, now);
    const guide = guideOf(caller);
    const [{ data: cats }, { data: ms }, rules] = await Promise.all([
      db.collection('categories').where({ _id: input.categoryId }).limit(1).get(),
      db.collection('members').where({ _id: memberId }).limit(1).get(),
      storePurchaseRules(db, now),
    ]);
    if (!cats[0]) throw new AppError('NOT_FOUND', '品类不存在');
    if (!ms[0] || ms[0].mergedInto) throw new AppError('MEMBER_NOT_FOUND');
    const storeId = (await bindUnbound(db, ms[0], caller, now)) ? guide.storeId : (ms[0].storeId ?? null);
    const check = checkStorePurchase({
      amount: input.amount,
      guideStoreId: guide.storeId,
      memberStoreId: storeId,
      rules,
    });
    if (!check.ok) {
      throw check.code === 'PURCHASE_OVER_LIMIT'
        ? new AppError(check.code, `单笔门店消费不能超过 ¥${rules.maxAmount / 100}，请核对金额或联系运营`)
        : new AppError(check.code);
    }
    return recordStorePurchase(db, {
      memberId,
      code: { useId: memberCodeUseId(memberId, expiresAt), expiresAt },
      amount: input.amount,
      receiptNo: input.receiptNo,
      guide: { openid: caller.openid, storeId: guide.storeId!, name: guide.name },
      category: { _id: String(cats[0]._id), name: String(cats[0].name) },
      now,
    });
  },
});

/** The actions of this function, by name. */
export const actions = {
  profile,
  myCode,
  scanMember,
  customers,
  customer,
  tagCustomer,
  untagCustomer,
  noteCustomer,
  recordPurchase,
};

/** Each action's validated input and its result (the client's contract, see functions/api.ts). */
export type Api = ApiOf<typeof actions>;

/** Entry point. */
export const main = createMain(actions);

// Cloud function `guide`: store guides (导购) — their own QR code, scanning member codes (bind,
// visit, in-store purchase), and their store's customers with tags, RFM layer, notes.
// A guide sees only customers of their own store; every action checks the guide role on the server.
import * as cloud from 'wx-server-sdk';
import { verifyMemberCode } from '../../domain/member-code';
import { RFM_LAYERS } from '../../domain/rfm';
import { tagLabel } from '../../domain/tags';
import { tierById } from '../../domain/tiers';
import { shanghaiDay } from '../../domain/time';
import { AppError } from '../../lib/errors';
import { action, Caller, createMain } from '../../lib/handler';
import { memberCodeSecret } from '../../lib/secrets';
import { isDuplicateKey } from '../../store/db-errors';
import { allTags, loadCrmModel, tagContext } from '../../store/intelligence';
import { loadTiers } from '../../store/members';
import { markOrderPaid, OrderDoc } from '../../store/orders';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const G: ['guide'] = ['guide'];
const id = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$' };
const codeSchema = { type: 'string', minLength: 1, maxLength: 200 };

function verified(code: string, now: number): string {
  const v = verifyMemberCode(code, now, memberCodeSecret());
  if (!v.ok) throw new AppError(v.code, v.code === 'MEMBER_CODE_EXPIRED' ? '会员码已过期，请让顾客刷新后重新出示' : '无效的会员码');
  return v.memberId;
}

// Another store's customer looks exactly like one that does not exist.
async function storeCustomer(db: cloud.Database, caller: Caller, memberId: string): Promise<cloud.Doc> {
  const { data } = await db.collection('members').where({ _id: memberId, storeId: caller.staff!.storeId, mergedInto: db.command.exists(false) }).limit(1).get();
  if (!data[0]) throw new AppError('NOT_FOUND', '顾客不存在或不属于本门店');
  return data[0];
}

const profile = action({
  roles: G,
  async run({ db, caller }) {
    const { data } = await db.collection('stores').where({ _id: caller.staff!.storeId }).limit(1).get();
    return { openid: caller.openid, name: caller.staff!.name, storeId: caller.staff!.storeId, storeName: data[0]?.name ?? '' };
  },
});

// The guide's own mini-program code: a new customer who scans it joins bound to this guide and store.
const myCode = action({
  roles: G,
  async run({ caller }) {
    const scene = `g=${caller.openid}`;
    const res = await cloud.openapi.wxacode.getUnlimited({ scene, page: 'pages/index/index', check_path: false, env_version: 'release', width: 430 });
    return { scene, qr: `data:${res.contentType};base64,${Buffer.from(res.buffer).toString('base64')}` };
  },
});

// Scanning a member code: refused when forged or expired; binds an unbound customer to this guide
// and store (the first guide keeps the customer; only an operator reassigns), and records today's visit once.
const scanMember = action<{ code: string }>({
  roles: G,
  schema: { type: 'object', properties: { code: codeSchema }, required: ['code'], additionalProperties: false },
  async run({ db, caller, now, input }) {
    const memberId = verified(input.code, now);
    const guide = caller.staff!;
    const { data } = await db.collection('members').where({ _id: memberId }).limit(1).get();
    const m = data[0];
    if (!m || m.mergedInto) throw new AppError('MEMBER_NOT_FOUND', '会员不存在');
    const bind = await db.collection('members').where({ _id: m._id, guideId: null }).update({ data: { guideId: caller.openid, storeId: guide.storeId, boundAt: now } });
    const day = shanghaiDay(now);
    let visitRecorded = true;
    // One visit per member, store and day: the id is the unique key; any other failure is a real one.
    try {
      await db.collection('store_visits').add({ data: { _id: `${m._id}_${guide.storeId}_${day}`, memberId: m._id, storeId: guide.storeId, guideId: caller.openid, day, at: now } });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      visitRecorded = false;
    }
    const tiers = await loadTiers(db);
    const boundToMe = bind.stats.updated === 1 || m.guideId === caller.openid;
    const sameStore = boundToMe || m.storeId === guide.storeId;
    return {
      member: {
        _id: m._id, nickname: m.nickname, tierName: tierById(String(m.tierId), tiers).name, points: m.points,
        // Another store's customer shows only what the counter needs.
        ...(sameStore ? { lastOrderAt: m.stats?.lastOrderAt ?? null, orderCount: m.stats?.orderCount ?? 0, tags: m.tags ?? [], rfmLayer: m.rfm?.layer ?? null } : {}),
      },
      bound: bind.stats.updated === 1, boundToMe, visitRecorded,
    };
  },
});

const customers = action<{ layer?: string; tag?: string; mine?: boolean; skip?: number }>({
  roles: G,
  schema: { type: 'object', additionalProperties: false, properties: { layer: { type: 'string', enum: [...RFM_LAYERS] }, tag: { type: 'string', maxLength: 60 }, mine: { type: 'boolean' }, skip: { type: 'integer', minimum: 0, maximum: 100000 } } },
  async run({ db, caller, now, input }) {
    const where: Record<string, unknown> = { storeId: caller.staff!.storeId, mergedInto: db.command.exists(false) };
    if (input.mine) where.guideId = caller.openid;
    if (input.layer) where['rfm.layer'] = input.layer;
    if (input.tag) where.tags = input.tag;
    const [{ data }, { total }, tiers, model] = await Promise.all([
      db.collection('members').where(where).orderBy('stats.lastOrderAt', 'desc').skip(input.skip ?? 0).limit(20)
        .field({ nickname: true, avatar: true, tierId: true, tags: true, rfm: true, stage: true, stats: true, guideId: true, phone: true }).get(),
      db.collection('members').where(where).count(),
      loadTiers(db), loadCrmModel(db, now),
    ]);
    return {
      total,
      customers: data.map((m) => ({
        _id: m._id, nickname: m.nickname, avatar: m.avatar ?? '', tierName: tierById(String(m.tierId), tiers).name, rfmLayer: m.rfm?.layer ?? null, stage: m.stage ?? null,
        lastOrderAt: m.stats?.lastOrderAt ?? null, orderCount: m.stats?.orderCount ?? 0, paidTotal: m.stats?.paidTotal ?? 0, mine: m.guideId === caller.openid,
        tags: (m.tags ?? []).filter((t: string) => !t.startsWith('city:') && !t.startsWith('gender:')).slice(0, 8).map((t: string) => ({ tag: t, label: tagLabel(t, model) })),
        phoneTail: m.phone ? String(m.phone).slice(-4) : null,
      })),
      nextSkip: data.length === 20 ? (input.skip ?? 0) + 20 : null,
    };
  },
});

const customer = action<{ memberId: string }>({
  roles: G,
  schema: { type: 'object', required: ['memberId'], additionalProperties: false, properties: { memberId: id } },
  async run({ db, caller, now, input }) {
    const m = await storeCustomer(db, caller, input.memberId);
    const [orders, notes, tiers, model] = await Promise.all([
      db.collection('orders').where({ memberId: m._id }).orderBy('createdAt', 'desc').limit(5).field({ lines: true, payAmount: true, status: true, createdAt: true, total: true }).get(),
      db.collection('customer_notes').where({ memberId: m._id, storeId: caller.staff!.storeId }).orderBy('at', 'desc').limit(20).get(),
      loadTiers(db), loadCrmModel(db, now),
    ]);
    return {
      customer: {
        _id: m._id, nickname: m.nickname, avatar: m.avatar ?? '', gender: m.gender, birthday: m.birthday ?? null, city: m.city ?? '',
        tierName: tierById(String(m.tierId), tiers).name, points: m.points, rfm: m.rfm ?? null, stage: m.stage ?? null, stats: { orderCount: m.stats?.orderCount ?? 0, paidTotal: m.stats?.paidTotal ?? 0, lastOrderAt: m.stats?.lastOrderAt ?? null, categoryIds: m.stats?.categoryIds ?? [] },
        tags: (m.tags ?? []).map((t: string) => ({ tag: t, label: tagLabel(t, model) })), manualTags: m.manualTags ?? [], guideId: m.guideId ?? null,
      },
      orders: orders.data, notes: notes.data,
    };
  },
});

const tagSchema = { type: 'object', required: ['memberId', 'tag'], additionalProperties: false, properties: { memberId: id, tag: { type: 'string', minLength: 1, maxLength: 12, pattern: '^[^:<>]+$' } } };

// Manual tags record who and when; the member's tag list is recomputed so segments see them at once.
async function setManualTag(db: cloud.Database, caller: Caller, memberId: string, tag: string, add: boolean, now: number) {
  const m = await storeCustomer(db, caller, memberId);
  const manual = ((m.manualTags ?? []) as { tag: string; by: string; at: number }[]).filter((t) => t.tag !== tag);
  if (add) manual.push({ tag, by: caller.openid, at: now });
  const tags = allTags({ ...m, manualTags: manual }, tagContext(await loadCrmModel(db, now), now));
  await db.collection('members').doc(m._id).update({ data: { manualTags: db.command.set(manual), tags: db.command.set(tags) } });
  return { manualTags: manual, tags };
}

const tagCustomer = action<{ memberId: string; tag: string }>({ roles: G, schema: tagSchema, run: ({ db, caller, now, input }) => setManualTag(db, caller, input.memberId, input.tag.trim(), true, now) });
const untagCustomer = action<{ memberId: string; tag: string }>({ roles: G, schema: tagSchema, run: ({ db, caller, now, input }) => setManualTag(db, caller, input.memberId, input.tag.trim(), false, now) });

const noteCustomer = action<{ memberId: string; text: string }>({
  roles: G,
  schema: { type: 'object', required: ['memberId', 'text'], additionalProperties: false, properties: { memberId: id, text: { type: 'string', minLength: 1, maxLength: 300 } } },
  async run({ db, caller, now, input }) {
    const m = await storeCustomer(db, caller, input.memberId);
    const { _id } = await db.collection('customer_notes').add({ data: { memberId: m._id, storeId: caller.staff!.storeId, by: caller.openid, byName: caller.staff!.name, text: input.text, at: now } });
    return { _id };
  },
});

// An in-store purchase paid at the till: recorded against the scanned member so it earns points and
// growth exactly once (the request id makes the order id).
const recordPurchase = action<{ code: string; amount: number; categoryId: string; requestId: string }>({
  roles: G,
  schema: {
    type: 'object', required: ['code', 'amount', 'categoryId', 'requestId'], additionalProperties: false,
    properties: { code: codeSchema, amount: { type: 'integer', minimum: 1, maximum: 10000000 }, categoryId: id, requestId: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,40}$' } },
  },
  async run({ db, caller, now, input }) {
    const memberId = verified(input.code, now);
    const { data: cats } = await db.collection('categories').where({ _id: input.categoryId }).limit(1).get();
    if (!cats[0]) throw new AppError('NOT_FOUND', '品类不存在');
    const { data: ms } = await db.collection('members').where({ _id: memberId }).limit(1).get();
    if (!ms[0] || ms[0].mergedInto) throw new AppError('MEMBER_NOT_FOUND', '会员不存在');
    const orderId = `ST${input.requestId}`.slice(0, 32);
    const order: OrderDoc = {
      _id: orderId, memberId, openid: String(ms[0].openid), type: 'normal', activityId: null, groupId: null,
      lines: [{ skuId: '', productId: '', categoryId: input.categoryId, name: `门店消费（${cats[0].name}）`, spec: '', qty: 1, listPrice: input.amount, unitPrice: input.amount, subtotal: input.amount, couponShare: 0, pointsShare: 0, balanceShare: 0, paid: input.amount }],
      price: { listTotal: input.amount, memberDiscount: 0, activityDiscount: 0, goodsTotal: input.amount, couponDiscount: 0, pointsUsed: 0, pointsDeduction: 0, balanceUsed: 0, payAmount: input.amount },
      total: input.amount, payAmount: input.amount, couponId: null, fulfilment: 'pickup', storeId: caller.staff!.storeId, guideId: caller.openid, address: null,
      status: 'created', createdAt: now, expiresAt: now,
    };
    try {
      await db.collection('orders').add({ data: { ...order, channel: 'store' } as unknown as Record<string, unknown> });
    } catch (e) {
      // The request id was used before: answer with that purchase (never record it twice).
      if (!isDuplicateKey(e)) throw e;
      const { data } = await db.collection('orders').where({ _id: orderId }).limit(1).get();
      if (data[0]?.memberId !== memberId) throw new AppError('CONFLICT', '请求号重复');
      return { orderId, replayed: true, earned: data[0].earned ?? null };
    }
    await markOrderPaid(db, orderId, now, { transactionId: `store:${caller.openid}` });
    await db.collection('orders').doc(orderId).update({ data: { status: 'completed', completedAt: now } });
    const { data } = await db.collection('orders').where({ _id: orderId }).limit(1).get();
    return { orderId, earned: data[0]?.earned ?? null };
  },
});

/** Entry point. */
export const main = createMain({ profile, myCode, scanMember, customers, customer, tagCustomer, untagCustomer, noteCustomer, recordPurchase });

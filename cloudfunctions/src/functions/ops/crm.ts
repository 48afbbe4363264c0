// Operator actions for customers: staff (guides and operators), segments evaluated in the database
// (count and sample before saving), and reassigning a customer to another guide.
import { nicknameOf } from '../../domain/member-doc';
import { describeSegment, segmentWhere } from '../../domain/segments';
import { tagLabel } from '../../domain/tags';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { action } from '../../lib/handler';
import { safeId, safeOpenid, segmentDefSchema } from '../../lib/schemas';
import { CHARTS, drawDashboard, isChartName } from '../../store/dashboards';
import { loadCrmModel } from '../../store/intelligence';

const OP: ['operator'] = ['operator'];
const id = safeId;
const openidSchema = safeOpenid;

const listStaff = action({
  roles: OP,
  async run({ db }) {
    return { staff: (await db.collection('staff').orderBy('storeId', 'asc').limit(500).get()).data };
  },
});

const saveStaff = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['openid', 'name', 'role'],
    additionalProperties: false,
    properties: {
      openid: openidSchema,
      name: { type: 'string', minLength: 1, maxLength: 20 },
      role: { type: 'string', enum: ['guide', 'operator'] },
      storeId: { anyOf: [id, { type: 'null' }] },
    },
  },
  async run(ctx) {
    const { openid, name, role } = ctx.input;
    const storeId = ctx.input.storeId ?? null;
    if (role === 'guide') {
      if (!storeId) throw new AppError('INVALID_ARGUMENT', '导购必须归属门店');
      const { total } = await ctx.db.collection('stores').where({ _id: storeId }).count();
      if (!total) throw new AppError('NOT_FOUND', '门店不存在');
    }
    await ctx.db
      .collection('staff')
      .doc(openid)
      .set({
        data: {
          openid,
          name,
          role,
          storeId: role === 'guide' ? storeId : null,
          active: true,
          updatedAt: ctx.now,
          createdAt: ctx.now,
        },
      });
    await audit(ctx, 'saveStaff', openid, ctx.input);
    return { openid, role, storeId };
  },
});

const setStaffActive = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['openid', 'active'],
    additionalProperties: false,
    properties: { openid: openidSchema, active: { type: 'boolean' } },
  },
  async run(ctx) {
    if (ctx.input.openid === ctx.caller.openid && !ctx.input.active)
      throw new AppError('INVALID_ARGUMENT', '不能停用自己的账号');
    const r = await ctx.db
      .collection('staff')
      .where({ _id: ctx.input.openid })
      .update({ data: { active: ctx.input.active, updatedAt: ctx.now } });
    if (!r.stats.updated) {
      const { total } = await ctx.db.collection('staff').where({ _id: ctx.input.openid }).count();
      if (!total) throw new AppError('NOT_FOUND', '员工不存在');
    }
    await audit(ctx, 'setStaffActive', ctx.input.openid, ctx.input);
    return ctx.input;
  },
});

// A customer stays with the first guide who bound them; only an operator moves them, and the move is audited.
const reassignCustomer = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['memberId', 'guideId'],
    additionalProperties: false,
    properties: { memberId: id, guideId: id },
  },
  async run(ctx) {
    const { data } = await ctx.db
      .collection('staff')
      .where({ _id: ctx.input.guideId, role: 'guide', active: true })
      .limit(1)
      .get();
    if (!data[0]) throw new AppError('NOT_FOUND', '导购不存在或已停用');
    const r = await ctx.db
      .collection('members')
      .where({ _id: ctx.input.memberId })
      .update({ data: { guideId: ctx.input.guideId, storeId: data[0].storeId, boundAt: ctx.now } });
    if (!r.stats.updated) {
      const { total } = await ctx.db.collection('members').where({ _id: ctx.input.memberId }).count();
      if (!total) throw new AppError('NOT_FOUND', '会员不存在');
    }
    await audit(ctx, 'reassignCustomer', ctx.input.memberId, ctx.input);
    return { memberId: ctx.input.memberId, guideId: ctx.input.guideId, storeId: data[0].storeId };
  },
});

// Counting and sampling run in the database: one count() and one get() of 10, whatever the size.
const previewSegment = action({
  roles: OP,
  schema: { type: 'object', required: ['def'], additionalProperties: false, properties: { def: segmentDefSchema } },
  async run({ db, now, input }) {
    const where = segmentWhere(input.def, db.command as never);
    const [{ total }, { data }, model] = await Promise.all([
      db.collection('members').where(where).count(),
      db
        .collection('members')
        .where(where)
        .limit(10)
        .field({ nickname: true, tierId: true, rfm: true, stage: true, tags: true, stats: true, storeId: true })
        .get(),
      loadCrmModel(db, now),
    ]);
    return {
      count: total,
      summary: describeSegment(input.def, (t) => tagLabel(t, model)),
      sample: data.map((m) => ({
        _id: m._id,
        nickname: nicknameOf(m),
        rfmLayer: m.rfm?.layer ?? null,
        stage: m.stage ?? null,
        storeId: m.storeId ?? null,
        orderCount: m.stats?.orderCount ?? 0,
        tags: (m.tags ?? []).slice(0, 5).map((t: string) => tagLabel(t, model)),
      })),
    };
  },
});

const saveSegment = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['name', 'def'],
    additionalProperties: false,
    properties: { _id: id, name: { type: 'string', minLength: 1, maxLength: 20 }, def: segmentDefSchema },
  },
  async run(ctx) {
    const [{ total: count }, model] = await Promise.all([
      ctx.db
        .collection('members')
        .where(segmentWhere(ctx.input.def, ctx.db.command as never))
        .count(),
      loadCrmModel(ctx.db, ctx.now),
    ]);
    const doc = {
      name: ctx.input.name,
      def: ctx.input.def,
      summary: describeSegment(ctx.input.def, (t) => tagLabel(t, model)),
      lastCount: count,
      countedAt: ctx.now,
      updatedAt: ctx.now,
      by: ctx.caller.openid,
    };
    let sid = ctx.input._id;
    if (sid) {
      const r = await ctx.db
        .collection('segments')
        .doc(sid)
        .update({ data: { ...doc, def: ctx.db.command.set(ctx.input.def) } });
      if (!r.stats.updated) throw new AppError('NOT_FOUND', '人群不存在');
    } else sid = (await ctx.db.collection('segments').add({ data: { ...doc, createdAt: ctx.now } }))._id;
    await audit(ctx, 'saveSegment', sid, ctx.input);
    return { _id: sid, count };
  },
});

const listSegments = action({
  roles: OP,
  async run({ db }) {
    return { segments: (await db.collection('segments').orderBy('updatedAt', 'desc').limit(100).get()).data };
  },
});

// Dashboards: each chart computed in the database; the answer says how many DB calls it took.
const dashboard = action({
  roles: OP,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { charts: { type: 'array', maxItems: 10, items: { type: 'string', enum: Object.keys(CHARTS) } } },
  },
  async run({ db, input }) {
    const names = input.charts ?? Object.keys(CHARTS);
    // The schema's enum admits chart names only; this names one it let through by mistake.
    const unknown = names.find((n) => !isChartName(n));
    if (unknown !== undefined) throw new AppError('INVALID_ARGUMENT', `没有这个图表：${unknown}`);
    return drawDashboard(db, names.filter(isChartName));
  },
});

/** The customer actions of `ops`. */
export const crmActions = {
  listStaff,
  saveStaff,
  setStaffActive,
  reassignCustomer,
  previewSegment,
  saveSegment,
  listSegments,
  dashboard,
};

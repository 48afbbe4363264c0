// Cloud function `campaign`: subscribe-message quota, referral (invite card, invites, leaderboard),
// and the operators' campaigns (recall, birthday month, member day, marketing nodes) with a
// per-minute timer that sends them in resumable chunks and results with lift against the holdout.
import * as cloud from 'wx-server-sdk';
import {
  contaminatedHoldouts,
  DEFAULT_CAMPAIGN_CONFIG,
  DEFAULT_REFERRAL_RULES,
  lift,
  natureOf,
  parseSchedule,
  ReferralRules,
} from '../../domain/campaigns';
import { nicknameOf } from '../../domain/member-doc';
import { PAID_STATUSES } from '../../domain/orders';
import { buildScene } from '../../domain/scene';
import { describeSegment, segmentWhere } from '../../domain/segments';
import { tagLabel } from '../../domain/tags';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { action, ApiOf, createMain } from '../../lib/handler';
import { runCampaigns, subscribeTemplates, templateIdOf } from '../../store/campaigns';
import { isDuplicateKey } from '../../store/db-errors';
import { loadCrmModel } from '../../store/intelligence';
import { requireMember } from '../../store/members';
import { referralRules } from '../../store/referrals';
import { sceneCodeFor } from '../../store/scene-codes';
import { safeId, segmentDefSchema } from '../../lib/schemas';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const OP: ['operator'] = ['operator'];
const id = safeId;
// Subscribe-message template ids (WeChat's are 43 characters of [A-Za-z0-9_-]); they name quota documents.
const templateIdSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', format: 'safe-key' } as const;

// --- consumers ---------------------------------------------------------------------------------

const templates = action({
  roles: ['consumer'],
  async run({ db, now }) {
    return { templates: await subscribeTemplates(db, now) };
  },
});

// The client reports requestSubscribeMessage results; each `accept` is one send of that template.
const subscribed = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    required: ['results'],
    additionalProperties: false,
    properties: {
      results: {
        type: 'object',
        maxProperties: 5,
        propertyNames: templateIdSchema,
        additionalProperties: { type: 'string', enum: ['accept', 'reject', 'ban', 'filter'] },
      },
    },
  },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const known = new Set(Object.values(await subscribeTemplates(db, now)));
    const out: Record<string, number> = {};
    for (const [tmpl, result] of Object.entries(input.results)) {
      if (!known.has(tmpl) || result !== 'accept') continue;
      const qid = `${m._id}:${tmpl}`;
      const r = await db
        .collection('subscriptions')
        .where({ _id: qid })
        .update({ data: { left: db.command.inc(1), acceptedAt: now } });
      if (!r.stats.updated) {
        try {
          const doc = { _id: qid, memberId: m._id, templateId: tmpl, left: 1, acceptedAt: now };
          await db.collection('subscriptions').add({ data: doc });
        } catch (e) {
          // A concurrent first acceptance created it in between: count this one on it.
          if (!isDuplicateKey(e)) throw e;
          await db
            .collection('subscriptions')
            .doc(qid)
            .update({ data: { left: db.command.inc(1), acceptedAt: now } });
        }
      }
      const { data } = await db.collection('subscriptions').where({ _id: qid }).limit(1).get();
      out[tmpl] = Number(data[0]?.left ?? 0);
    }
    return { quota: out };
  },
});

const setMarketing = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    required: ['optOut'],
    additionalProperties: false,
    properties: { optOut: { type: 'boolean' } },
  },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    await db
      .collection('members')
      .doc(m._id)
      .update({ data: { marketingOptOut: input.optOut, marketingOptOutAt: now } });
    return { optOut: input.optOut };
  },
});

const inviteCard = action({
  roles: ['consumer'],
  async run({ db, caller, now }) {
    const m = await requireMember(db, caller.openid);
    // A member id (32 hex) does not fit a 32-character scene: the card carries the member's short code.
    const code = await sceneCodeFor(db, 'invite', m._id, now);
    const scene = buildScene({ i: code });
    const res = await cloud.openapi.wxacode.getUnlimited({
      scene,
      page: 'pages/index/index',
      check_path: false,
      width: 430,
    });
    const rules = await referralRules(db, now);
    return {
      scene,
      path: `pages/index/index?i=${code}`,
      qr: `data:${res.contentType};base64,${Buffer.from(res.buffer).toString('base64')}`,
      rules,
      nickname: nicknameOf(m),
    };
  },
});

const myInvites = action({
  roles: ['consumer'],
  async run({ db, caller }) {
    const m = await requireMember(db, caller.openid);
    const { data } = await db
      .collection('referrals')
      .where({ inviterId: m._id })
      .orderBy('joinedAt', 'desc')
      .limit(100)
      .get();
    const { data: friends } = data.length
      ? await db
          .collection('members')
          .where({ _id: db.command.in(data.map((r) => r._id)) })
          .field({ nickname: true, avatar: true })
          .limit(100)
          .get()
      : { data: [] };
    const names = new Map(friends.map((f) => [f._id, f.nickname]));
    return {
      invites: data.map((r) => ({
        nickname: names.get(r._id) ?? '好友',
        joinedAt: r.joinedAt,
        status: r.status,
        firstOrder: r.firstOrderRewarded,
      })),
      total: data.length,
    };
  },
});

const leaderboard = action({
  roles: ['consumer', 'operator'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { from: { type: 'integer', minimum: 0 }, to: { type: 'integer', minimum: 0 } },
  },
  async run({ db, input }) {
    const _ = db.command;
    const match: Record<string, unknown> = { rewarded: true };
    if (input.from !== undefined || input.to !== undefined)
      match.joinedAt = _.and(_.gte(input.from ?? 0), _.lte(input.to ?? 4102444800000));
    const { list } = await db
      .collection('referrals')
      .aggregate()
      .match(match)
      .group({
        _id: '$inviterId',
        invites: _.aggregate.sum(1),
        firstOrders: _.aggregate.sum(_.aggregate.cond(['$firstOrderRewarded', 1, 0])),
      })
      .sort({ invites: -1, _id: 1 })
      .limit(20)
      .end();
    const { data: ms } = list.length
      ? await db
          .collection('members')
          .where({ _id: _.in(list.map((r) => r._id)) })
          .field({ nickname: true, avatar: true })
          .limit(20)
          .get()
      : { data: [] };
    const names = new Map(ms.map((m) => [m._id, m.nickname]));
    return {
      leaders: list.map((r, i) => ({
        rank: i + 1,
        nickname: names.get(r._id) ?? '会员',
        invites: r.invites,
        firstOrders: r.firstOrders,
      })),
    };
  },
});

// --- operators ---------------------------------------------------------------------------------

const hour = { type: 'integer', minimum: 0, maximum: 23 } as const;
const campaignSchema = {
  type: 'object',
  required: ['name', 'kind', 'segment', 'offer', 'schedule'],
  additionalProperties: false,
  properties: {
    _id: id,
    name: { type: 'string', minLength: 1, maxLength: 30 },
    kind: { type: 'string', enum: ['recall', 'birthday', 'member_day', 'node', 'custom'] },
    segment: segmentDefSchema,
    offer: {
      type: 'object',
      additionalProperties: false,
      properties: { couponTemplateId: { anyOf: [id, { type: 'null' }] }, tierBirthdayCoupon: { type: 'boolean' } },
    },
    // The template key is looked up in the configured templates (checked in the action); data keys are
    // WeChat's field names (thing1, time2, amount3…) and become keys of the message sent.
    message: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['templateKey', 'page', 'data'],
          additionalProperties: false,
          properties: {
            templateKey: templateIdSchema,
            page: { type: 'string', maxLength: 100 },
            data: {
              type: 'object',
              maxProperties: 10,
              propertyNames: { pattern: '^[a-z_]{1,20}[0-9]{1,2}$' },
              additionalProperties: { type: 'string', maxLength: 20 },
            },
          },
        },
      ],
    },
    schedule: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['now', 'at', 'monthly', 'yearly'] },
        at: { type: 'integer', minimum: 0 },
        month: { type: 'integer', minimum: 1, maximum: 12 },
        day: { type: 'integer', minimum: 1, maximum: 28 },
        hour: { type: 'integer', minimum: 0, maximum: 23 },
      },
    },
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        holdoutPercent: { type: 'integer', minimum: 0, maximum: 50 },
        frequencyCapDays: { type: 'integer', minimum: 0, maximum: 30 },
        quietHours: {
          type: 'object',
          required: ['start', 'end'],
          additionalProperties: false,
          properties: { start: hour, end: hour },
        },
        conversionDays: { type: 'integer', minimum: 1, maximum: 60 },
      },
    },
  },
} as const;

const saveCampaign = action({
  roles: OP,
  schema: campaignSchema,
  async run(ctx) {
    const { _id, ...c } = ctx.input;
    const problems: string[] = [];
    const model = await loadCrmModel(ctx.db, ctx.now);
    const schedule = parseSchedule(c.schedule);
    if (!schedule.ok) problems.push(schedule.problem);
    if (!c.offer.couponTemplateId && !c.offer.tierBirthdayCoupon && !c.message) problems.push('请至少设置优惠券或消息');
    const templates = await subscribeTemplates(ctx.db, ctx.now);
    if (c.message && !templateIdOf(templates, c.message.templateKey)) problems.push('消息模板不存在');
    if (c.offer.couponTemplateId) {
      const { total } = await ctx.db.collection('coupon_templates').where({ _id: c.offer.couponTemplateId }).count();
      if (!total) problems.push('券模板不存在');
    }
    if (problems.length || !schedule.ok) throw new AppError('INVALID_ARGUMENT', problems.join('；'), problems);
    const doc = {
      ...c,
      schedule: schedule.schedule,
      offer: { ...c.offer, couponTemplateId: c.offer.couponTemplateId ?? null },
      message: c.message ?? null,
      config: { ...DEFAULT_CAMPAIGN_CONFIG, ...(c.config ?? {}) },
      summary: describeSegment(c.segment, (t) => tagLabel(t, model)),
      updatedAt: ctx.now,
    };
    let cid = _id;
    if (cid) {
      // Only a draft can change; a launched campaign is stopped and copied instead.
      const r = await ctx.db
        .collection('campaigns')
        .where({ _id: cid, status: 'draft' })
        .update({
          data: {
            ...doc,
            segment: ctx.db.command.set(c.segment),
            offer: ctx.db.command.set(doc.offer),
            schedule: ctx.db.command.set(doc.schedule),
            config: ctx.db.command.set(doc.config),
            message: doc.message ? ctx.db.command.set(doc.message) : null,
          },
        });
      if (!r.stats.updated) throw new AppError('CAMPAIGN_NOT_EDITABLE');
    } else
      cid = (
        await ctx.db
          .collection('campaigns')
          .add({ data: { ...doc, status: 'draft', createdAt: ctx.now, by: ctx.caller.openid } })
      )._id;
    await audit(ctx, 'saveCampaign', cid, ctx.input);
    return { _id: cid };
  },
});

const previewCampaign = action({
  roles: OP,
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run({ db, input, now }) {
    const { data } = await db.collection('campaigns').where({ _id: input.id }).limit(1).get();
    const c = data[0];
    if (!c) throw new AppError('NOT_FOUND', '活动不存在');
    const [{ total }, model] = await Promise.all([
      db
        .collection('members')
        .where(segmentWhere(c.segment, db.command as never))
        .count(),
      loadCrmModel(db, now),
    ]);
    // An entitlement (the birthday gift) has no holdout.
    const holdout = natureOf(c.offer) === 'entitlement' ? 0 : Math.round((total * c.config.holdoutPercent) / 100);
    return {
      audience: total,
      holdout,
      toTouch: total - holdout,
      summary: describeSegment(c.segment, (t) => tagLabel(t, model)),
    };
  },
});

// Launching is one conditional update from draft: a second launch is refused, never sent twice.
const launchCampaign = action({
  roles: OP,
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run(ctx) {
    const r = await ctx.db
      .collection('campaigns')
      .where({ _id: ctx.input.id, status: 'draft' })
      .update({ data: { status: 'active', launchedAt: ctx.now, launchedBy: ctx.caller.openid } });
    if (!r.stats.updated) {
      const { total } = await ctx.db.collection('campaigns').where({ _id: ctx.input.id }).count();
      throw total
        ? new AppError('CAMPAIGN_ALREADY_LAUNCHED', '活动已发布，不能重复发布')
        : new AppError('NOT_FOUND', '活动不存在');
    }
    await audit(ctx, 'launchCampaign', ctx.input.id, null);
    return { id: ctx.input.id, status: 'active' };
  },
});

const stopCampaign = action({
  roles: OP,
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run(ctx) {
    const r = await ctx.db
      .collection('campaigns')
      .where({ _id: ctx.input.id, status: ctx.db.command.in(['draft', 'active']) })
      .update({ data: { status: 'stopped', stoppedAt: ctx.now } });
    if (!r.stats.updated) throw new AppError('NOT_FOUND', '活动不存在或已停止');
    await audit(ctx, 'stopCampaign', ctx.input.id, null);
    return { id: ctx.input.id, status: 'stopped' };
  },
});

const listCampaigns = action({
  roles: OP,
  async run({ db }) {
    const [{ data: campaigns }, { data: runs }] = await Promise.all([
      db.collection('campaigns').orderBy('createdAt', 'desc').limit(100).get(),
      db.collection('campaign_runs').orderBy('startedAt', 'desc').limit(200).get(),
    ]);
    return { campaigns: campaigns.map((c) => ({ ...c, runs: runs.filter((r) => r.campaignId === c._id) })) };
  },
});

// Conversion within N days of the touch, touched vs holdout, read in pages of 1,000 touches.
const campaignResults = action({
  roles: OP,
  schema: { type: 'object', required: ['id'], additionalProperties: false, properties: { id } },
  async run({ db, input }) {
    const _ = db.command;
    const { data } = await db.collection('campaigns').where({ _id: input.id }).limit(1).get();
    const c = data[0];
    if (!c) throw new AppError('NOT_FOUND', '活动不存在');
    const days = (c.config?.conversionDays ?? 7) * 24 * 3600_000;
    const groups = {
      touched: { members: 0, converted: 0, revenue: 0 },
      holdout: { members: 0, converted: 0, revenue: 0 },
    };
    const statuses: Record<string, number> = {};
    let contaminated = 0;
    let cursor = '';
    let dbCalls = 1;
    for (;;) {
      const { data: touches } = await db
        .collection('campaign_touches')
        .where({ campaignId: c._id, _id: _.gt(cursor) })
        .orderBy('_id', 'asc')
        .limit(1000)
        .get();
      dbCalls++;
      const tail = touches[touches.length - 1];
      if (!tail) break;
      for (const t of touches) statuses[t.status] = (statuses[t.status] ?? 0) + 1;
      const counted = touches.filter((t) => t.status === 'touched' || t.status === 'holdout');
      if (counted.length) {
        const minAt = Math.min(...counted.map((t) => Number(t.at)));
        const { data: orders } = await db
          .collection('orders')
          .where({ memberId: _.in(counted.map((t) => t.memberId)), status: _.in(PAID_STATUSES), paidAt: _.gte(minAt) })
          .field({ memberId: true, paidAt: true, payAmount: true })
          .limit(1000)
          .get();
        dbCalls++;
        for (const t of counted) {
          const g = groups[t.group as 'touched' | 'holdout'];
          g.members++;
          // Every order read is paid (paidAt matched by the query).
          const hits = orders.filter(
            (o) => o.memberId === t.memberId && (o.paidAt ?? 0) >= t.at && (o.paidAt ?? 0) <= t.at + days,
          );
          if (hits.length) {
            g.converted++;
            g.revenue += hits.reduce((s, o) => s + Number(o.payAmount), 0);
          }
        }
      }
      const held = touches
        .filter((t) => t.status === 'holdout')
        .map((t) => ({ memberId: String(t.memberId), at: Number(t.at) }));
      const check = await otherMarketing(db, c._id, held);
      dbCalls += check.calls;
      contaminated += contaminatedHoldouts(held, check.touches, c.config?.conversionDays ?? 7).size;
      cursor = tail._id;
      if (touches.length < 1000) break;
    }
    const { data: runs } = await db.collection('campaign_runs').where({ campaignId: c._id }).limit(50).get();
    // The lift is clean when no holdout member was reached by another campaign's marketing inside the window.
    const clean = { holdoutContaminated: contaminated, liftClean: contaminated === 0 };
    const campaign = { _id: c._id, name: c.name, status: c.status };
    const rates = lift(groups.touched, groups.holdout);
    return { campaign, runs: runs, statuses, groups, ...rates, ...clean, dbCalls };
  },
});

// Marketing touches of other campaigns to these holdout members since the earliest of them (entitlements excluded).
async function otherMarketing(db: cloud.Database, campaignId: string, held: { memberId: string; at: number }[]) {
  const _ = db.command;
  const out: { memberId: string; at: number }[] = [];
  let calls = 0;
  if (!held.length) return { touches: out, calls };
  const minAt = Math.min(...held.map((t) => t.at));
  const where = {
    memberId: _.in(held.map((t) => t.memberId)),
    status: 'touched',
    nature: _.neq('entitlement'),
    campaignId: _.neq(campaignId),
    at: _.gte(minAt),
  };
  const touches = db.collection('campaign_touches');
  for (let cursor = ''; ; ) {
    const { data } = await touches
      .where({ ...where, _id: _.gt(cursor) })
      .orderBy('_id', 'asc')
      .limit(1000)
      .field({ memberId: true, at: true })
      .get();
    calls++;
    out.push(...data.map((t) => ({ memberId: String(t.memberId), at: Number(t.at) })));
    const tail = data[data.length - 1];
    if (!tail || data.length < 1000) break;
    cursor = tail._id;
  }
  return { touches: out, calls };
}

const points = { type: 'integer', minimum: 0, maximum: 100000 } as const;

// Join rewards wait for a real invitee: `qualifyBy` is a bound phone (default) or a first paid order.
const saveReferralRules = action({
  roles: OP,
  schema: {
    type: 'object',
    required: ['rules'],
    additionalProperties: false,
    properties: {
      rules: {
        type: 'object',
        required: ['inviterPointsOnJoin', 'inviteePointsOnJoin', 'inviterPointsOnFirstOrder', 'dailyCapPerInviter'],
        additionalProperties: false,
        properties: {
          inviterPointsOnJoin: points,
          inviteePointsOnJoin: points,
          inviterPointsOnFirstOrder: points,
          dailyCapPerInviter: { type: 'integer', minimum: 0, maximum: 1000 },
          qualifyBy: { type: 'string', enum: ['phone', 'first_order'] },
        },
      },
    },
  },
  async run(ctx) {
    const rules: ReferralRules = { ...DEFAULT_REFERRAL_RULES, ...ctx.input.rules };
    await ctx.db
      .collection('config')
      .doc('referral')
      .set({ data: { value: rules, updatedAt: ctx.now, updatedBy: ctx.caller.openid } });
    await audit(ctx, 'saveReferralRules', 'referral', rules);
    return { rules };
  },
});

/** The actions of this function, by name. */
export const actions = {
  templates,
  subscribed,
  setMarketing,
  inviteCard,
  myInvites,
  leaderboard,
  saveCampaign,
  previewCampaign,
  launchCampaign,
  stopCampaign,
  listCampaigns,
  campaignResults,
  saveReferralRules,
};

/** Each action's validated input and its result (the client's contract, see functions/api.ts). */
export type Api = ApiOf<typeof actions>;

/** Entry point. */
export const main = createMain(actions, {
  onTimer: ({ db, now, event }) =>
    runCampaigns(
      db,
      now,
      typeof event.BudgetMs === 'number' ? event.BudgetMs : undefined,
      typeof event.Chunk === 'number' ? event.Chunk : undefined,
    ),
});

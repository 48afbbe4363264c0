// Cloud function `member`: the consumer's membership — profile and ONE ID, tier, check-in, points,
// points mall, stored value and the member code — plus the nightly points-expiry / tier-review job.
import * as cloud from 'wx-server-sdk';
import * as QRCode from 'qrcode';
import {
  decideCheckin,
  decideMakeup,
  DEFAULT_CHECKIN_RULES,
  CheckinRules,
  currentStreak,
  newCheckin,
} from '../../domain/checkin';
import { checkIssue, CouponTemplate, issueCoupon } from '../../domain/coupons';
import {
  decideRedemption,
  mallCounterId,
  newRedemption,
  newTopupOrder,
  Redemption,
  redemptionIds,
  topupCredit,
} from '../../domain/mall';
import { issueMemberCode } from '../../domain/member-code';
import { joinSourceFrom, JoinSource } from '../../domain/join-source';
import { MemberDoc, nicknameOf } from '../../domain/member-doc';
import { earn, expiresAt, expiringThisYear, LEDGER_TITLE, PointsBuckets, spend } from '../../domain/points';
import { benefitsOf, rollingGrowth, tierById, tierFor } from '../../domain/tiers';
import { addDays, dayStart, isDay, shanghaiDay } from '../../domain/time';
import { AppError } from '../../lib/errors';
import { action, ApiOf, createMain, loadStaff } from '../../lib/handler';
import { daySchema, monthSchema } from '../../lib/schemas';
import { memberCodeSecret } from '../../lib/secrets';
import { getConfig } from '../../store/config';
import { isDuplicateKey } from '../../store/db-errors';
import { findById, withoutId } from '../../store/docs';
import { giveBack, newHoldId, Taken, takeStock, whileHolding } from '../../store/holds';
import { takeCouponQuota } from '../../store/coupons';
import { takeFromCounter } from '../../store/counters';
import { AlreadyApplied, memberTransaction } from '../../store/member-tx';
import { bindIdentity, findMemberByOpenid, loadTiers, requireMember, resolveMember } from '../../store/members';
import { unifiedOrder } from '../../store/payments';
import { mergeMembers } from '../../store/merge';
import { resolveJoinSource } from '../../store/scene-codes';
import { applyReferral, qualifyReferral } from '../../store/referrals';
import { runNightly } from './nightly';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const launchSchema = {
  type: 'object',
  properties: {
    launch: {
      type: 'object',
      properties: { scene: { type: 'integer', minimum: 0, maximum: 99999 }, query: { type: 'object' } },
      additionalProperties: true,
    },
  },
  additionalProperties: false,
} as const;

// A join source's ids must exist: a forged guide or store id is dropped, not recorded.
async function checkedSource(db: cloud.Database, src: JoinSource): Promise<JoinSource> {
  if (src.guideId) {
    const { data } = await db
      .collection('staff')
      .where({ _id: src.guideId, role: 'guide', active: true })
      .limit(1)
      .get();
    if (!data[0]) return { channel: 'direct', scene: src.scene };
    return { ...src, storeId: String(data[0].storeId) };
  }
  if (src.storeId) {
    const { data } = await db.collection('stores').where({ _id: src.storeId }).limit(1).get();
    if (!data[0]) return { channel: 'direct', scene: src.scene };
  }
  if (src.inviterId) {
    const { data } = await db.collection('members').where({ _id: src.inviterId }).limit(1).get();
    if (!data[0]) return { channel: 'direct', scene: src.scene };
  }
  return src;
}

/** The member as the client sees it (me, checkin, tiers). */
function memberView(m: MemberDoc, tiers: Awaited<ReturnType<typeof loadTiers>>, now: number) {
  const tier = tierById(String(m.tierId), tiers);
  // Only the rolling 12 months count: the stored total is as of the last change, older months may have expired since.
  const growth = m.growthByMonth ? rollingGrowth(m.growthByMonth, now) : (m.growth ?? 0);
  const { next, gap } = tierFor(growth, tiers);
  const nextTier = next && next.level > tier.level ? next : (tiers.find((t) => t.level === tier.level + 1) ?? null);
  const today = shanghaiDay(now);
  const ck = m.checkin ?? { lastDay: null, streak: 0 };
  return {
    _id: m._id,
    openid: m.openid,
    nickname: nicknameOf(m),
    avatar: m.avatar ?? '',
    gender: m.gender ?? 'unknown',
    birthday: m.birthday ?? null,
    city: m.city ?? '',
    phoneBound: Boolean(m.phone),
    points: m.points ?? 0,
    balance: m.balance ?? 0,
    growth,
    tierId: tier._id,
    tierName: tier.name,
    tierLevel: tier.level,
    benefits: benefitsOf(tier),
    tierThreshold: tier.threshold,
    nextTierThreshold: nextTier?.threshold ?? null,
    nextTierName: nextTier?.name ?? null,
    growthToNext: nextTier ? Math.max(0, nextTier.threshold - growth) : (gap ?? null),
    checkedInToday: ck.lastDay === today,
    streak: ck.lastDay === today || ck.lastDay === addDays(today, -1) ? ck.streak : 0,
    expiring: expiringThisYear(m.pointsBuckets ?? {}, now),
    storeId: m.storeId ?? null,
    guideId: m.guideId ?? null,
    joinedAt: m.joinedAt ?? m.createdAt ?? 0,
    marketingOptOut: Boolean(m.marketingOptOut),
  };
}

const me = action({
  roles: ['consumer'],
  schema: launchSchema,
  async run({ db, caller, now, input }) {
    const launch = input.launch;
    // Scenes carry short codes (a 32-hex id does not fit WeChat's 32 characters): resolved to ids here.
    const src = await resolveJoinSource(db, joinSourceFrom(launch));
    const [staff, tiers] = await Promise.all([loadStaff(db, caller.openid), loadTiers(db)]);
    const member = await resolveMember(
      db,
      caller.openid,
      caller.unionid,
      now,
      () => checkedSource(db, src),
      Boolean(staff),
    );
    // A friend's invite counts only for a member created by this very call.
    let referral: Awaited<ReturnType<typeof applyReferral>> | null = null;
    if (src.inviterId)
      referral = await applyReferral(db, { _id: member._id, created: Boolean(member.created) }, src.inviterId, now);
    const fresh = referral?.rewarded ? ((await findMemberByOpenid(db, caller.openid)) ?? member) : member;
    return { member: memberView(fresh, tiers, now), created: Boolean(member.created), referral, staff };
  },
});

const updateProfile = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    properties: {
      nickname: { type: 'string', minLength: 1, maxLength: 20 },
      avatar: { type: 'string', maxLength: 300 },
      gender: { type: 'string', enum: ['male', 'female', 'unknown'] },
      birthday: daySchema,
      city: { type: 'string', maxLength: 20 },
    },
    additionalProperties: false,
    minProperties: 1,
  },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const patch: Record<string, unknown> = { ...input, updatedAt: now };
    if (input.birthday !== undefined) {
      if (!isDay(input.birthday) || dayStart(input.birthday) > now || input.birthday < '1900-01-01')
        throw new AppError('INVALID_ARGUMENT', '生日日期无效');
      // The birthday gift makes the birthday worth faking: it can be set once.
      if (m.birthday && m.birthday !== input.birthday)
        throw new AppError('BIRTHDAY_LOCKED', '生日设置后不可修改，如需更改请联系客服');
    }
    await db
      .collection('members')
      .doc(m._id)
      .update({ data: withoutId(patch) });
    return { updated: Object.keys(input) };
  },
});

// Phone numbers come from WeChat (getPhoneNumber code), never from the client's text.
const bindPhone = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    properties: { code: { type: 'string', minLength: 1, maxLength: 128 } },
    required: ['code'],
    additionalProperties: false,
  },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    let phone: string;
    try {
      const res = await cloud.openapi.phonenumber.getPhoneNumber({ code: input.code });
      phone = res.phoneInfo.purePhoneNumber;
    } catch {
      throw new AppError('PHONE_CODE_INVALID');
    }
    if (m.phone !== phone) {
      const owner = await bindIdentity(db, `phone:${phone}`, m._id, now);
      if (owner !== m._id) {
        // The phone belongs to an earlier member: this OPENID joins that member (ONE ID). Not a new person, so
        // an invite this account came with is never rewarded.
        // Everything this member holds moves over: points, stored value, growth, coupons, orders, aggregates, tags…
        return {
          memberId: await mergeMembers(db, m._id, owner, caller.openid, now),
          merged: true,
          referralRewarded: false,
        };
      }
      await db
        .collection('members')
        .doc(m._id)
        .update({ data: { phone, updatedAt: now } });
    }
    // A bound phone shows a real person: a pending invite pays its join rewards now (once; a retry heals a crash).
    return { memberId: m._id, merged: false, referralRewarded: await qualifyReferral(db, m._id, 'phone', now) };
  },
});

const checkin = action({
  roles: ['consumer'],
  schema: { type: 'object', additionalProperties: false },
  async run({ db, caller, now }) {
    const [m, rules] = await Promise.all([
      requireMember(db, caller.openid),
      getConfig<CheckinRules>(db, 'checkin', DEFAULT_CHECKIN_RULES, now),
    ]);
    try {
      return await memberTransaction(db, m._id, now, async (cur, tx) => {
        const d = decideCheckin(
          (cur.checkin ?? { lastDay: null, streak: 0 }) as { lastDay: string | null; streak: number },
          now,
          rules,
        );
        if (!d.ok) throw new AppError(d.code, '今天已经签到过了');
        // The unique key (memberId + Shanghai day) is what makes a second check-in impossible.
        await tx.collection('checkins').add({ data: newCheckin(m._id, d.day, d, now) });
        return {
          points: {
            buckets: earn(cur.pointsBuckets ?? {}, d.points, now),
            source: 'checkin',
            refId: d.day,
            title: LEDGER_TITLE.checkin(d.streak, d.bonus),
            expireAt: expiresAt(now),
          },
          patch: { checkin: { lastDay: d.day, streak: d.streak } },
          result: {
            day: d.day,
            streak: d.streak,
            points: d.points,
            bonus: d.bonus,
            balance: Number(cur.points ?? 0) + d.points,
          },
        };
      });
    } catch (e) {
      if (e instanceof AlreadyApplied || isDuplicateKey(e)) throw new AppError('ALREADY_CHECKED_IN');
      throw e;
    }
  },
});

async function checkedDays(db: cloud.Database, memberId: string, from: string, to: string): Promise<Set<string>> {
  const _ = db.command;
  const { data } = await db
    .collection('checkins')
    .where({ memberId, day: _.gte(from).and(_.lte(to)) })
    .field({ day: true })
    .limit(100)
    .get();
  return new Set(data.map((c) => String(c.day)));
}

const calendar = action({
  roles: ['consumer'],
  schema: { type: 'object', properties: { month: monthSchema }, additionalProperties: false },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const rules = await getConfig<CheckinRules>(db, 'checkin', DEFAULT_CHECKIN_RULES, now);
    const month = input.month ?? shanghaiDay(now).slice(0, 7);
    const today = shanghaiDay(now);
    // One read covers the month and the streak window before it.
    const from = addDays(`${month}-01`, -40) < addDays(today, -40) ? addDays(`${month}-01`, -40) : addDays(today, -40);
    const days = await checkedDays(db, m._id, from, today > `${month}-31` ? today : `${month}-31`);
    return {
      month,
      today,
      days: [...days].filter((d) => d.startsWith(month)).sort(),
      streak: currentStreak(days, now),
      checkedInToday: days.has(today),
      rules: { basePoints: rules.basePoints, bonuses: rules.bonuses, cycleDays: rules.cycleDays, makeup: rules.makeup },
    };
  },
});

const makeup = action({
  roles: ['consumer'],
  schema: { type: 'object', properties: { day: daySchema }, required: ['day'], additionalProperties: false },
  async run({ db, caller, now, input }) {
    if (!isDay(input.day)) throw new AppError('INVALID_ARGUMENT', '日期无效');
    const rules = await getConfig<CheckinRules>(db, 'checkin', DEFAULT_CHECKIN_RULES, now);
    const m = await requireMember(db, caller.openid);
    const today = shanghaiDay(now);
    const days = await checkedDays(db, m._id, addDays(today, -40), today);
    const d = decideMakeup(input.day, days, now, rules);
    if (!d.ok)
      throw new AppError(
        d.code,
        d.code === 'MAKEUP_DISABLED'
          ? '补签功能未开启'
          : d.code === 'ALREADY_CHECKED_IN'
            ? '这一天已经签到过了'
            : `只能补签最近 ${rules.makeup.maxDaysBack} 天内漏签的日期`,
      );
    days.add(input.day);
    const streak = currentStreak(days, now);
    try {
      return await memberTransaction(db, m._id, now, async (cur, tx) => {
        const buckets = cur.pointsBuckets ?? {};
        const net = d.points - d.cost;
        let next: PointsBuckets = buckets;
        if (net < 0) {
          const s = spend(buckets, -net);
          if (!s.ok) throw new AppError('INSUFFICIENT_POINTS', `补签需要 ${d.cost} 积分，当前积分不足`);
          next = s.buckets;
        } else if (net > 0) next = earn(buckets, net, now);
        await tx
          .collection('checkins')
          .add({ data: newCheckin(m._id, input.day, { streak: 0, points: d.points }, now, d.cost) });
        const lastDay = days.has(today) ? today : addDays(today, -1);
        return {
          points: {
            buckets: next,
            source: 'makeup',
            refId: input.day,
            title: LEDGER_TITLE.makeup(input.day, d.cost),
            expireAt: null,
          },
          patch: {
            checkin: {
              lastDay: days.has(lastDay) ? lastDay : ((cur.checkin as { lastDay: string | null })?.lastDay ?? null),
              streak,
            },
          },
          result: { day: input.day, cost: d.cost, points: d.points, streak },
        };
      });
    } catch (e) {
      if (e instanceof AlreadyApplied || isDuplicateKey(e))
        throw new AppError('ALREADY_CHECKED_IN', '这一天已经签到过了');
      throw e;
    }
  },
});

const pageSchema = {
  type: 'object',
  properties: {
    before: { type: 'integer', minimum: 0 },
    beforeId: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 50 },
  },
  additionalProperties: false,
} as const;

// Pages by (createdAt, _id) descending, so entries sharing a millisecond are never skipped.
async function ledgerPage(
  db: cloud.Database,
  collection: 'points_ledger' | 'balance_ledger',
  memberId: string,
  before: number | undefined,
  beforeId: string | undefined,
  limit: number,
) {
  const _ = db.command;
  const where =
    before === undefined
      ? { memberId }
      : beforeId === undefined
        ? { memberId, createdAt: _.lt(before) }
        : _.and([{ memberId }, _.or([{ createdAt: _.lt(before) }, { createdAt: before, _id: _.lt(beforeId) }])]);
  const { data } = await db
    .collection(collection)
    .where(where)
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'desc')
    .limit(limit)
    .get();
  const last = data.length === limit ? data[data.length - 1] : undefined;
  return {
    items: data,
    nextBefore: last ? Number(last.createdAt) : null,
    nextBeforeId: last ? String(last._id) : null,
  };
}

const pointsLedger = action({
  roles: ['consumer'],
  schema: pageSchema,
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const page = await ledgerPage(db, 'points_ledger', m._id, input.before, input.beforeId, input.limit ?? 20);
    return {
      balance: Number(m.points ?? 0),
      expiring: expiringThisYear(m.pointsBuckets ?? {}, now),
      ...page,
    };
  },
});

const balanceLedger = action({
  roles: ['consumer'],
  schema: pageSchema,
  async run({ db, caller, input }) {
    const m = await requireMember(db, caller.openid);
    return {
      balance: Number(m.balance ?? 0),
      ...(await ledgerPage(db, 'balance_ledger', m._id, input.before, input.beforeId, input.limit ?? 20)),
    };
  },
});

const tiers = action({
  roles: ['consumer'],
  schema: { type: 'object', additionalProperties: false },
  async run({ db, caller, now }) {
    const [m, ladder] = await Promise.all([requireMember(db, caller.openid), loadTiers(db)]);
    return {
      member: memberView(m, ladder, now),
      tiers: [...ladder]
        .sort((a, b) => a.level - b.level)
        .map((t) => ({
          _id: t._id,
          name: t.name,
          level: t.level,
          threshold: t.threshold,
          keepThreshold: t.keepThreshold ?? t.threshold,
          benefits: benefitsOf(t),
        })),
      rules: [
        '每消费 1 元累计 1 成长值，成长值按近 12 个月计算',
        '成长值达到门槛立即升级',
        '等级每年复核一次：近 12 个月成长值达到保级值即可保级，否则最多降一级',
        '退款会扣回对应成长值',
      ],
    };
  },
});

const mallItems = action({
  roles: ['consumer'],
  schema: { type: 'object', additionalProperties: false },
  async run({ db, caller }) {
    const m = await requireMember(db, caller.openid);
    const [{ data }, { data: mine }] = await Promise.all([
      db.collection('mall_items').where({ onShelf: true }).orderBy('sort', 'asc').limit(100).get(),
      db.collection('mall_counters').where({ memberId: m._id }).limit(100).get(),
    ]);
    const redeemed = new Map(mine.map((c) => [String(c.itemId), Number(c.count)]));
    return {
      items: data.map((i) => ({
        _id: i._id,
        type: i.type,
        name: i.name,
        pointsPrice: i.pointsPrice,
        stock: i.stock,
        perMemberLimit: i.perMemberLimit,
        redeemedByMe: redeemed.get(i._id) ?? 0,
        image: i.image ?? '',
        desc: i.desc ?? '',
      })),
    };
  },
});

type RedeemRefusal = 'NOT_FOUND' | 'ITEM_OFF_SHELF' | 'SOLD_OUT' | 'LIMIT_REACHED' | 'INSUFFICIENT_POINTS';
// The catalogue's text, except what only the mall says: which thing is missing or gone.
const refuseRedemption = (code: RedeemRefusal) =>
  new AppError(code, code === 'NOT_FOUND' ? '商品不存在' : code === 'SOLD_OUT' ? '已兑完' : undefined);
// A coupon template that cannot issue: used up reads as sold out, stopped or ended as off the shelf.
const issueRefusal = (tpl: CouponTemplate, now: number): RedeemRefusal => {
  const v = checkIssue(tpl, now);
  return !v.ok && v.code === 'COUPON_SOLD_OUT' ? 'SOLD_OUT' : 'ITEM_OFF_SHELF';
};

// The answer to a request id that was redeemed already (balance null: it may have moved since).
const replayedRedemption = (r: Redemption) => ({
  redemptionId: r._id,
  itemId: r.itemId,
  name: r.name,
  points: r.points,
  couponId: r.couponId,
  balance: null,
  replayed: true,
});

// Redemption: the member's per-item count and the item's stock are each one conditional update taken
// first (the item is shared by every member, so never inside a member's transaction); then points down and
// the item issued in one transaction. If that fails, count and stock go back (see store/holds.ts).
const redeem = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    properties: {
      itemId: { type: 'string', minLength: 1, maxLength: 64 },
      requestId: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
    },
    required: ['itemId', 'requestId'],
    additionalProperties: false,
  },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const ids = redemptionIds(m._id, input.requestId);
    const { redemptionId } = ids;
    const prior = await findById(db, 'redemptions', redemptionId);
    if (prior) return replayedRedemption(prior);
    const item = await findById(db, 'mall_items', input.itemId);
    // Refusals visible from what was read come before anything is taken.
    const pre = decideRedemption({ buckets: m.pointsBuckets ?? {}, item, redeemedBefore: 0 });
    if (!pre.ok) throw refuseRedemption(pre.code);
    const it = item!;
    const tpl =
      it.type === 'coupon' && it.couponTemplateId ? await findById(db, 'coupon_templates', it.couponTemplateId) : null;
    // A coupon item issues under its template's rules: nothing from a stopped or ended template, never past its quota.
    if (it.type === 'coupon' && (!tpl || !checkIssue(tpl, now).ok))
      throw refuseRedemption(tpl ? issueRefusal(tpl, now) : 'ITEM_OFF_SHELF');
    const counterId = mallCounterId(m._id, it._id);
    // Unlimited items are still counted (the mall shows how many the member redeemed).
    const limit = it.perMemberLimit > 0 ? it.perMemberLimit : Number.MAX_SAFE_INTEGER;
    const fields = { memberId: m._id, itemId: it._id };
    const within = await takeFromCounter(db, 'mall_counters', counterId, fields, 1, limit);
    if (!within) throw refuseRedemption('LIMIT_REACHED');
    const counted: Taken = { collection: 'mall_counters', id: counterId, giveBack: { count: -1 } };
    const stock = await takeStock(db, 'mall_items', it._id, 1, { onShelf: true }, { redeemed: 1 });
    if (!stock) {
      await giveBack(db, [counted]);
      throw refuseRedemption('SOLD_OUT');
    }
    const held: Taken[] = [counted, stock];
    if (tpl) {
      const quota = await takeCouponQuota(db, tpl, now);
      if (!quota.ok) {
        await giveBack(db, held);
        throw refuseRedemption(quota.code === 'COUPON_SOLD_OUT' ? 'SOLD_OUT' : 'ITEM_OFF_SHELF');
      }
      held.push(quota.taken);
    }
    const holdId = newHoldId();
    const landed = async () => (await findById(db, 'redemptions', redemptionId))?.holdId === holdId;
    try {
      return await whileHolding(
        db,
        held,
        () =>
          memberTransaction(db, m._id, now, async (cur, tx) => {
            // Stock and the member's count are held already; what is left to decide is the fresh balance.
            const d = spend(cur.pointsBuckets ?? {}, it.pointsPrice);
            if (!d.ok) throw refuseRedemption('INSUFFICIENT_POINTS');
            let couponId: string | null = null;
            if (tpl) {
              couponId = ids.couponId;
              await tx
                .collection('member_coupons')
                .add({ data: { _id: couponId, ...issueCoupon(tpl, m._id, now, 'mall') } });
            }
            await tx
              .collection('redemptions')
              .add({ data: newRedemption({ _id: redemptionId, memberId: m._id, item: it, couponId, holdId, now }) });
            return {
              points: {
                buckets: d.buckets,
                source: 'redeem',
                refId: input.requestId,
                title: LEDGER_TITLE.redeem(it.name),
                expireAt: null,
              },
              result: {
                redemptionId,
                itemId: it._id,
                name: it.name,
                points: it.pointsPrice,
                couponId,
                balance: Number(cur.points ?? 0) - it.pointsPrice,
              },
            };
          }),
        landed,
      );
    } catch (e) {
      if (e instanceof AlreadyApplied || isDuplicateKey(e)) {
        const again = await findById(db, 'redemptions', redemptionId);
        if (again) return replayedRedemption(again);
      }
      throw e;
    }
  },
});

const myRedemptions = action({
  roles: ['consumer'],
  schema: { type: 'object', additionalProperties: false },
  async run({ db, caller }) {
    const m = await requireMember(db, caller.openid);
    const { data } = await db
      .collection('redemptions')
      .where({ memberId: m._id })
      .orderBy('createdAt', 'desc')
      .limit(50)
      .get();
    return { items: data };
  },
});

const svPackages = action({
  roles: ['consumer'],
  schema: { type: 'object', additionalProperties: false },
  async run({ db }) {
    const { data } = await db.collection('sv_packages').where({ onShelf: true }).orderBy('pay', 'asc').limit(20).get();
    return {
      packages: data.map((p) => ({
        _id: p._id,
        name: p.name,
        pay: p.pay,
        bonus: p.bonus,
        credit: topupCredit(p),
      })),
    };
  },
});

const topup = action({
  roles: ['consumer'],
  schema: {
    type: 'object',
    properties: { packageId: { type: 'string', minLength: 1, maxLength: 64 } },
    required: ['packageId'],
    additionalProperties: false,
  },
  async run({ db, caller, now, input }) {
    const m = await requireMember(db, caller.openid);
    const { data } = await db.collection('sv_packages').where({ _id: input.packageId, onShelf: true }).limit(1).get();
    const pkg = data[0];
    if (!pkg) throw new AppError('NOT_FOUND', '充值套餐不存在或已下架');
    const outTradeNo = `SV${now.toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    await db
      .collection('sv_orders')
      .add({ data: newTopupOrder({ _id: outTradeNo, memberId: m._id, openid: caller.openid, pkg, now }) });
    const body = `会员储值-${pkg.name}`;
    const payment = await unifiedOrder({ outTradeNo, totalFee: pkg.pay, body, openid: caller.openid });
    return { outTradeNo, payment, pay: pkg.pay, credit: topupCredit(pkg) };
  },
});

const memberCode = action({
  roles: ['consumer'],
  schema: { type: 'object', additionalProperties: false },
  async run({ db, caller, now }) {
    const m = await requireMember(db, caller.openid);
    const { code, expiresAt: exp } = issueMemberCode(m._id, now, memberCodeSecret());
    const qr = await QRCode.toDataURL(code, { margin: 1, width: 360, errorCorrectionLevel: 'M' });
    return { code, expiresAt: exp, refreshInSeconds: 50, qr };
  },
});

/** The actions of this function, by name. */
export const actions = {
  me,
  updateProfile,
  bindPhone,
  checkin,
  calendar,
  makeup,
  pointsLedger,
  balanceLedger,
  tiers,
  mallItems,
  redeem,
  myRedemptions,
  svPackages,
  topup,
  memberCode,
};

/** Each action's validated input and its result (the client's contract, see functions/api.ts). */
export type Api = ApiOf<typeof actions>;

/** Entry point. */
export const main = createMain(actions, { onTimer: ({ db, now }) => runNightly(db, now) });

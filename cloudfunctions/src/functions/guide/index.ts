// Cloud function `guide`: store guides (导购) scan member codes, bind customers, record visits.
import * as cloud from 'wx-server-sdk';
import { verifyMemberCode } from '../../domain/member-code';
import { tierById } from '../../domain/tiers';
import { shanghaiDay } from '../../domain/time';
import { AppError } from '../../lib/errors';
import { action, createMain } from '../../lib/handler';
import { memberCodeSecret } from '../../lib/secrets';
import { loadTiers } from '../../store/members';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

// Scanning a member code: refused when forged or expired; binds an unbound customer to this guide
// and store (first guide keeps the customer), and records today's in-store visit once.
const scanMember = action<{ code: string }>({
  roles: ['guide'],
  schema: { type: 'object', properties: { code: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['code'], additionalProperties: false },
  async run({ db, caller, now, input }) {
    const v = verifyMemberCode(input.code, now, memberCodeSecret());
    if (!v.ok) throw new AppError(v.code, v.code === 'MEMBER_CODE_EXPIRED' ? '会员码已过期，请让顾客刷新后重新出示' : '无效的会员码');
    const guide = caller.staff!;
    const { data } = await db.collection('members').where({ _id: v.memberId }).limit(1).get();
    const m = data[0];
    if (!m || m.mergedInto) throw new AppError('MEMBER_NOT_FOUND', '会员不存在');
    const bind = await db.collection('members').where({ _id: m._id, guideId: null }).update({ data: { guideId: caller.openid, storeId: guide.storeId, boundAt: now } });
    const day = shanghaiDay(now);
    let visitRecorded = true;
    try {
      await db.collection('store_visits').add({ data: { _id: `${m._id}_${guide.storeId}_${day}`, memberId: m._id, storeId: guide.storeId, guideId: caller.openid, day, at: now } });
    } catch { visitRecorded = false; }
    const tiers = await loadTiers(db);
    const boundToMe = bind.stats.updated === 1 || m.guideId === caller.openid;
    return {
      member: {
        _id: m._id, nickname: m.nickname, tierName: tierById(String(m.tierId), tiers).name, points: m.points,
        // Another store's customer shows only what the counter needs.
        ...(boundToMe || m.storeId === guide.storeId ? { lastOrderAt: m.stats?.lastOrderAt ?? null, orderCount: m.stats?.orderCount ?? 0, tags: m.tags ?? [] } : {}),
      },
      bound: bind.stats.updated === 1, boundToMe, visitRecorded,
    };
  },
});

/** Entry point. */
export const main = createMain({ scanMember });

// Cloud function `member`: the consumer's membership (profile, tier, points, check-in, ...).
import * as cloud from 'wx-server-sdk';
import { tierFor } from '../../domain/tiers';
import { action, createMain } from '../../lib/handler';
import { ensureMember, loadTiers } from '../../store/members';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const me = action({
  roles: ['consumer'],
  schema: { type: 'object', additionalProperties: true },
  async run({ db, caller, now }) {
    const [member, tiers] = await Promise.all([ensureMember(db, caller.openid, now), loadTiers(db)]);
    const { tier, next, gap } = tierFor(Number(member.growth ?? 0), tiers);
    return {
      member: {
        _id: member._id, openid: member.openid, nickname: member.nickname, points: member.points, balance: member.balance,
        growth: member.growth, tierId: tier._id, tierName: tier.name, nextTierName: next?.name ?? null, growthToNext: gap,
      },
    };
  },
});

/** Entry point. */
export const main = createMain({ me });

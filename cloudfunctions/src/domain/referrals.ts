// A referral document and its states: one per invitee, from joining through qualifying to rewarded (or capped,
// reversed after a refund, void when the invitee was merged into an existing member). Pure: the client reads the
// state texts from here.

/** A referral's states. */
export const REFERRAL_STATUS = {
  /** Joined through an invite; not yet shown to be a real person. */
  pending: 'pending',
  /** Being qualified: one caller holds it while the inviter's daily cap is taken. */
  qualifying: 'qualifying',
  /** Qualified and rewarded. */
  joined: 'joined',
  /** Qualified past the inviter's daily cap: no join rewards. */
  capped: 'capped',
  /** Rewards taken back after the qualifying or first order was refunded. */
  reversed: 'reversed',
  /** The invitee was an existing member (merged away): never counts. */
  void: 'void',
} as const;
/** A referral's state. */
export type ReferralStatus = (typeof REFERRAL_STATUS)[keyof typeof REFERRAL_STATUS];

/** What the inviter sees for each state on the invite page. */
export const REFERRAL_STATUS_TEXT: Record<ReferralStatus, string> = {
  pending: '已入会（待激活，激活后发放奖励）',
  qualifying: '已激活，奖励发放中',
  joined: '已入会',
  capped: '已入会（今日奖励已达上限）',
  reversed: '奖励已扣回',
  void: '已是老会员，不计奖励',
};

/** A referral (collection `referrals`, id = the invitee's member id: an invitee has one inviter). */
export type ReferralDoc = {
  _id: string;
  inviterId: string;
  inviteeId: string;
  joinedAt: number;
  /** Shanghai day of joining. */
  day: string;
  /** Join rewards are due (qualified within the inviter's cap). */
  rewarded: boolean;
  status: ReferralStatus;
  firstOrderId: string | null;
  firstOrderRewarded: boolean;
  firstOrderAt?: number;
  firstOrderPoints?: number;
  qualifiedBy?: 'phone' | 'order';
  qualifiedAt?: number;
  qualifiedByOrderId?: string | null;
  rewardDay?: string;
  joinRewardsPaidAt?: number;
  joinRewardsReversedAt?: number;
  reversedAt?: number;
  voidedAt?: number;
  mergedInto?: string;
};

/** A new referral: the invitee joined through the inviter's invite just now. */
export function newReferral(inviterId: string, inviteeId: string, now: number, day: string): ReferralDoc {
  return {
    _id: inviteeId,
    inviterId,
    inviteeId,
    joinedAt: now,
    day,
    rewarded: false,
    status: REFERRAL_STATUS.pending,
    firstOrderId: null,
    firstOrderRewarded: false,
  };
}

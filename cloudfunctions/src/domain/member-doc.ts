// The member document (collection `members`): who the member is, their balances, tier, purchase aggregates, the
// customer-intelligence fields the nightly job and each payment keep, and ONE ID bookkeeping. Fields a later feature
// adds are declared here; every read of `members` is typed by it (domain/documents.ts).
import type { JoinSource } from './join-source';
import { emptyStats } from './orders';
import type { RfmLayer } from './rfm';
import type { Stage } from './lifecycle';
import type { PurchaseStats } from './orders';
import type { PointsBuckets } from './points';

/** Where a member came from (set once at join; imported members have no launch scene). */
export type MemberSource = Omit<JoinSource, 'channel' | 'scene'> & { channel: string; scene?: number | null };

/** A tag a guide or operator set by hand. */
export interface ManualTag {
  tag: string;
  by: string;
  at: number;
}

/** A member. */
export type MemberDoc = {
  _id: string;
  /** The first OPENID (unique); later ones, the unionid and the phone live in `identities`. */
  openid: string;
  unionid?: string;
  phone?: string;
  nickname?: string;
  avatar?: string;
  gender?: 'male' | 'female' | 'unknown';
  birthday?: string | null;
  city?: string;
  source?: MemberSource;
  storeId?: string | null;
  guideId?: string | null;
  boundAt?: number;
  tierId?: string;
  growth?: number;
  growthByMonth?: Record<string, number>;
  tierReviewAt?: number | null;
  points?: number;
  pointsBuckets?: PointsBuckets;
  /** Stored value, fen. */
  balance?: number;
  joinedAt?: number;
  createdAt?: number;
  stats?: Partial<PurchaseStats> & { months?: Record<string, { n: number; amt: number }> };
  checkin?: { lastDay: string | null; streak: number };
  behavior?: Record<string, Record<string, Record<string, number>>>;
  tags?: string[];
  manualTags?: ManualTag[];
  rfm?: { r: number; f: number; m: number; layer: RfmLayer | string } | null;
  stage?: Stage;
  marketingOptOut?: boolean;
  lastMarketingAt?: number;
  heldOutUntil?: number;
  /** ONE ID: the member this one was merged into (its data moved there). */
  mergedInto?: string;
  /** A staff member's own account: not a customer. */
  staffAccount?: boolean;
};

/** The name WeChat shows for a user who has not set one. */
export const DEFAULT_NICKNAME = '微信用户';

/** The name to show for a member (imported or not-yet-named members have none). */
export const nicknameOf = (m: Pick<MemberDoc, 'nickname'>): string => m.nickname || DEFAULT_NICKNAME;

/** A new member: what the first call of an OPENID creates (and the seed starts each demo member from). */
export function newMemberDoc(openid: string, now: number, source: MemberSource, staffAccount = false) {
  const doc = {
    openid,
    ...(staffAccount ? { staffAccount: true } : {}),
    nickname: DEFAULT_NICKNAME,
    avatar: '',
    gender: 'unknown',
    birthday: null,
    city: '',
    tierId: 't_normal',
    growth: 0,
    growthByMonth: {},
    tierReviewAt: null,
    points: 0,
    pointsBuckets: {},
    balance: 0,
    checkin: { lastDay: null, streak: 0 },
    joinedAt: now,
    createdAt: now,
    source,
    storeId: source.storeId ?? null,
    guideId: source.guideId ?? null,
    stats: emptyStats(),
    tags: [] as string[],
  } satisfies Omit<MemberDoc, '_id'>;
  return doc;
}

/** An identity bound to a member (collection `identities`, id `openid:…`, `unionid:…` or `phone:…`): ONE ID. */
export type IdentityDoc = { _id: string; memberId: string; createdAt: number };

// The stored document of each collection whose shape the domain declares: reads through the SDK are typed by this
// map (cloudfunctions/types/wx-server-sdk.d.ts `DocOf`), writes of a whole document (add) must be one. Collections
// not listed here are read as plain `Doc`.
import type { Category, Product, Sku } from './catalog';
import type { Campaign, CampaignRun, CampaignTouch, SubscribeQuota } from './campaigns';
import type { CheckinDoc } from './checkin';
import type { CouponTemplate } from './coupons';
import type { MemberCoupon } from './coupon-rules';
import type { FlashSale, Group, GroupBuy } from './activities';
import type { MallCounter, MallItem, Redemption, TopupOrder, TopupPackage } from './mall';
import type { EventDoc } from './events';
import type { IdentityDoc, MemberDoc } from './member-doc';
import type { OrderDoc } from './orders';
import type { LedgerEntry } from './points';
import type { AuditEntry, Brand, CustomerNote, Staff, Store, StoreVisit } from './org';
import type { ReferralDoc } from './referrals';
import type { SavedSegment } from './segments';
import type { Tier } from './tiers';

/** Collection name → its document. */
export interface Collections {
  members: MemberDoc;
  identities: IdentityDoc;
  checkins: CheckinDoc;
  events: EventDoc;
  orders: OrderDoc;
  categories: Category;
  products: Product;
  skus: Sku;
  coupon_templates: CouponTemplate;
  member_coupons: MemberCoupon;
  flash_sales: FlashSale;
  group_buys: GroupBuy;
  groups: Group;
  campaigns: Campaign;
  campaign_runs: CampaignRun;
  campaign_touches: CampaignTouch;
  subscriptions: SubscribeQuota;
  points_ledger: LedgerEntry;
  balance_ledger: LedgerEntry;
  mall_items: MallItem;
  redemptions: Redemption;
  mall_counters: CounterDoc<'mall_counters'>;
  coupon_counters: CounterDoc<'coupon_counters'>;
  flash_counters: CounterDoc<'flash_counters'>;
  referral_daily: CounterDoc<'referral_daily'>;
  rate_limits: CounterDoc<'rate_limits'>;
  sv_packages: TopupPackage;
  sv_orders: TopupOrder;
  tiers: Tier;
  brands: Brand;
  stores: Store;
  staff: Staff;
  store_visits: StoreVisit;
  customer_notes: CustomerNote;
  ops_log: AuditEntry;
  segments: SavedSegment;
  referrals: ReferralDoc;
}

/**
 * What each counter collection records besides its count: a per-key count taken by one conditional update
 * (store/counters.ts), e.g. a member's redemptions of a mall item or an inviter's rewarded invites of a day.
 */
export interface CounterFields {
  mall_counters: Omit<MallCounter, '_id' | 'count'>;
  coupon_counters: { memberId: string; templateId: string };
  flash_counters: { memberId: string; saleId: string };
  referral_daily: { inviterId: string; day: string };
  rate_limits: { expiresAt: number };
}
/** A counter collection's name. */
export type CounterCollection = keyof CounterFields;
/** A counter document. */
export type CounterDoc<C extends CounterCollection> = { _id: string; count: number } & CounterFields[C];

/** Documents of several collections at once (the demo data set, a backup): each by its declared shape. */
export type CollectionSet = { [K in keyof Collections]?: Collections[K][] };

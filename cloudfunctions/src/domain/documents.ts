// The stored document of each collection whose shape the domain declares: reads through the SDK are typed by this
// map (cloudfunctions/types/wx-server-sdk.d.ts `DocOf`), writes of a whole document (add) must be one. Collections
// not listed here are read as plain `Doc`.
import type { Category, Product, Sku } from './catalog';
import type { Campaign, CampaignRun, CampaignTouch } from './campaigns';
import type { CheckinDoc } from './checkin';
import type { CouponTemplate } from './coupons';
import type { MemberCoupon } from './coupon-rules';
import type { FlashSale, Group, GroupBuy } from './activities';
import type { MallCounter, MallItem, Redemption, TopupOrder, TopupPackage } from './mall';
import type { EventDoc } from './events';
import type { IdentityDoc, MemberDoc } from './member-doc';
import type { OrderDoc } from './orders';
import type { LedgerEntry } from './points';
import type { Brand, Staff, Store } from './org';
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
  points_ledger: LedgerEntry;
  balance_ledger: LedgerEntry;
  mall_items: MallItem;
  redemptions: Redemption;
  mall_counters: MallCounter;
  sv_packages: TopupPackage;
  sv_orders: TopupOrder;
  tiers: Tier;
  brands: Brand;
  stores: Store;
  staff: Staff;
  segments: SavedSegment;
  referrals: ReferralDoc;
}

/** Documents of several collections at once (the demo data set, a backup): each by its declared shape. */
export type CollectionSet = { [K in keyof Collections]?: Collections[K][] };

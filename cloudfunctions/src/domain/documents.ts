// The stored document of each collection whose shape the domain declares: reads through the SDK are typed by this
// map (cloudfunctions/types/wx-server-sdk.d.ts `DocOf`), writes of a whole document (add) must be one. Collections
// not listed here (behaviour events among them) are read as plain `Doc`.
import type { Category, Product, Sku } from './catalog';
import type { Campaign, CampaignRun, CampaignTouch } from './campaigns';
import type { CouponTemplate } from './coupons';
import type { MemberCoupon } from './coupon-rules';
import type { FlashSale, Group, GroupBuy } from './activities';
import type { MallItem, Redemption, TopupOrder, TopupPackage } from './mall';
import type { MemberDoc } from './member-doc';
import type { OrderDoc } from './orders';
import type { LedgerEntry } from './points';
import type { Brand, Staff, Store } from './org';
import type { SavedSegment } from './segments';
import type { Tier } from './tiers';

/** Collection name → its document. */
export interface Collections {
  members: MemberDoc;
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
  sv_packages: TopupPackage;
  sv_orders: TopupOrder;
  tiers: Tier;
  brands: Brand;
  stores: Store;
  staff: Staff;
  segments: SavedSegment;
}

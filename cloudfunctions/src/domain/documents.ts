// The stored document of each collection whose shape the domain declares: reads through the SDK are typed by this
// map (cloudfunctions/types/wx-server-sdk.d.ts `DocOf`), writes of a whole document (add) must be one. Collections
// not listed here (members among them, whose fields grow with each feature) are read as plain `Doc`.
import type { Campaign, CampaignRun } from './campaigns';
import type { CouponTemplate } from './coupons';
import type { MemberCoupon } from './coupon-rules';
import type { FlashSale, Group, GroupBuy } from './activities';
import type { MallItem, TopupOrder, TopupPackage } from './mall';
import type { OrderDoc } from './orders';
import type { Tier } from './tiers';

/** Collection name → its document. */
export interface Collections {
  orders: OrderDoc;
  coupon_templates: CouponTemplate;
  member_coupons: MemberCoupon;
  flash_sales: FlashSale;
  group_buys: GroupBuy;
  groups: Group;
  campaigns: Campaign;
  campaign_runs: CampaignRun;
  mall_items: MallItem;
  sv_packages: TopupPackage;
  sv_orders: TopupOrder;
  tiers: Tier;
}

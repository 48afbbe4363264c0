// Test factories for the trade domain: partial overrides on sensible defaults.
import { compileTemplate, MemberCoupon } from './coupon-rules';
import { CouponTemplate } from './coupons';
import { DEFAULT_POINTS_RULE, PriceInput, PriceLineInput } from './pricing';

/** A priced line input. */
export const createLine = (p: Partial<PriceLineInput> = {}): PriceLineInput => ({
  skuId: 'sku_1',
  productId: 'p_1',
  categoryId: 'cat_coffee',
  name: '拿铁',
  qty: 1,
  listPrice: 3000,
  memberPrice: null,
  activityPrice: null,
  ...p,
});

/** A member coupon compiled from template fields. */
export function createCoupon(
  p: Partial<MemberCoupon> & { template?: Partial<CouponTemplate> & { stackWithActivity?: boolean } } = {},
): MemberCoupon {
  const { template, ...rest } = p;
  const t = {
    kind: 'threshold' as const,
    threshold: 5000,
    amount: 1000,
    percent: null,
    cap: null,
    scope: { type: 'all' as const },
    ...template,
  };
  return {
    _id: 'c_1',
    memberId: 'm_1',
    templateId: 'ct_1',
    name: '券',
    status: 'unused',
    validFrom: 0,
    validTo: 10 ** 13,
    ...compileTemplate(t),
    ...rest,
  };
}

/** An order to price: `createOrder({ lines: [...] })`. */
export const createOrder = (p: Partial<PriceInput> = {}): PriceInput => ({
  lines: [createLine()],
  tierPercent: 100,
  coupon: null,
  memberId: 'm_1',
  now: 1_000_000,
  pointsToUse: 0,
  pointsBalance: 0,
  pointsRule: DEFAULT_POINTS_RULE,
  useBalance: false,
  balance: 0,
  ...p,
});

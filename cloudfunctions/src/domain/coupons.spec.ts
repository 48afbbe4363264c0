import { CouponTemplate, describeCoupon, issueCoupon, validityWindow } from './coupons';

const tpl = (p: Partial<CouponTemplate> = {}): CouponTemplate => ({
  _id: 'ct1', name: '新人券', kind: 'threshold', threshold: 10000, amount: 2000, percent: null, cap: null, scope: { type: 'all' },
  validity: { type: 'relative', days: 7 }, quota: 100, issued: 0, perMemberLimit: 1, status: 'active', ...p,
});

describe('coupons', () => {
  it('describes each kind in Chinese', () => {
    expect(describeCoupon(tpl())).toBe('满100减20');
    expect(describeCoupon(tpl({ kind: 'no_threshold', threshold: 0, amount: 500 }))).toBe('无门槛减5');
    expect(describeCoupon(tpl({ kind: 'discount', threshold: 0, percent: 85, cap: 3000 }))).toBe('8.5折 最高减30');
  });
  it('issues relative validity from the claim time and fixed as configured', () => {
    expect(validityWindow({ type: 'relative', days: 7 }, 1000)).toEqual({ validFrom: 1000, validTo: 1000 + 7 * 86400000 });
    expect(validityWindow({ type: 'fixed', from: 5, to: 9 }, 1000)).toEqual({ validFrom: 5, validTo: 9 });
    expect(issueCoupon(tpl(), 'm_1', 1000, 'mall')).toMatchObject({ memberId: 'm_1', templateId: 'ct1', status: 'unused', source: 'mall', validTo: 1000 + 7 * 86400000 });
  });
});

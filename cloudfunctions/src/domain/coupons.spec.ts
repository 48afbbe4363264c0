import {
  checkClaim,
  checkIssue,
  CouponTemplate,
  describeCoupon,
  issueCoupon,
  parseScope,
  parseValidity,
  validityWindow,
} from './coupons';

const tpl = (p: Partial<CouponTemplate> = {}): CouponTemplate => ({
  _id: 'ct1',
  name: '新人券',
  kind: 'threshold',
  threshold: 10000,
  amount: 2000,
  percent: null,
  cap: null,
  scope: { type: 'all' },
  validity: { type: 'relative', days: 7 },
  quota: 100,
  issued: 0,
  perMemberLimit: 1,
  status: 'active',
  ...p,
});

describe('coupons', () => {
  it('describes each kind in Chinese', () => {
    expect(describeCoupon(tpl())).toBe('满100减20');
    expect(describeCoupon(tpl({ kind: 'no_threshold', threshold: 0, amount: 500 }))).toBe('无门槛减5');
    expect(describeCoupon(tpl({ kind: 'discount', threshold: 0, percent: 85, cap: 3000 }))).toBe('8.5折 最高减30');
  });
  it('issues relative validity from the claim time and fixed as configured', () => {
    expect(validityWindow({ type: 'relative', days: 7 }, 1000)).toEqual({
      validFrom: 1000,
      validTo: 1000 + 7 * 86400000,
    });
    expect(validityWindow({ type: 'fixed', from: 5, to: 9 }, 1000)).toEqual({ validFrom: 5, validTo: 9 });
    expect(issueCoupon(tpl(), 'm_1', 1000, 'mall')).toMatchObject({
      memberId: 'm_1',
      templateId: 'ct1',
      status: 'unused',
      source: 'mall',
      validTo: 1000 + 7 * 86400000,
    });
  });
});

describe('who may claim and what may be issued', () => {
  const newbie = { paidOrders: 0, claimedByMe: 0 };
  const claimable = (p: Partial<CouponTemplate> = {}) => tpl({ claimable: true, ...p });

  it('only templates marked claimable are in the claim centre; gifts are issued by their own flow', () => {
    expect(checkClaim(tpl(), newbie, 1000)).toEqual({ ok: false, code: 'COUPON_NOT_CLAIMABLE' });
    expect(checkClaim(tpl({ claimable: false }), newbie, 1000)).toEqual({ ok: false, code: 'COUPON_NOT_CLAIMABLE' });
    expect(checkClaim(claimable(), newbie, 1000)).toEqual({ ok: true });
  });

  it('a new-member coupon goes only to a member without a paid order', () => {
    const t = claimable({ audience: 'new_member' });
    expect(checkClaim(t, newbie, 1000)).toEqual({ ok: true });
    expect(checkClaim(t, { paidOrders: 1, claimedByMe: 0 }, 1000)).toEqual({
      ok: false,
      code: 'COUPON_NEW_MEMBERS_ONLY',
    });
    expect(checkClaim(claimable({ audience: 'all' }), { paidOrders: 3, claimedByMe: 0 }, 1000)).toEqual({ ok: true });
  });

  it('holds the per-member limit (0 = none) and the total quota', () => {
    expect(checkClaim(claimable({ perMemberLimit: 2 }), { paidOrders: 0, claimedByMe: 2 }, 1000)).toEqual({
      ok: false,
      code: 'CLAIM_LIMIT_REACHED',
    });
    expect(checkClaim(claimable({ perMemberLimit: 0 }), { paidOrders: 0, claimedByMe: 50 }, 1000)).toEqual({
      ok: true,
    });
    expect(checkClaim(claimable({ quota: 5, issued: 5 }), newbie, 1000)).toEqual({
      ok: false,
      code: 'COUPON_SOLD_OUT',
    });
  });

  it('nothing is issued from a stopped or ended template, by any flow', () => {
    expect(checkIssue(tpl({ status: 'stopped' }), 1000)).toEqual({ ok: false, code: 'COUPON_ENDED' });
    expect(checkIssue(tpl({ validity: { type: 'fixed', from: 0, to: 1000 } }), 1000)).toEqual({
      ok: false,
      code: 'COUPON_ENDED',
    });
    expect(checkIssue(tpl({ validity: { type: 'fixed', from: 0, to: 1001 } }), 1000)).toEqual({ ok: true });
    expect(checkIssue(tpl({ quota: 1, issued: 1 }), 1000)).toEqual({ ok: false, code: 'COUPON_SOLD_OUT' });
  });
});

describe('console forms', () => {
  it('keeps only a validity whose fields go together', () => {
    expect(parseValidity({ type: 'relative', days: 7 })).toEqual({ ok: true, validity: { type: 'relative', days: 7 } });
    expect(parseValidity({ type: 'relative' })).toEqual({ ok: false, problem: '请设置领取后有效天数' });
    expect(parseValidity({ type: 'fixed', from: 1, to: 2, days: 9 })).toEqual({
      ok: true,
      validity: { type: 'fixed', from: 1, to: 2 },
    });
    expect(parseValidity({ type: 'fixed', from: 2, to: 2 }).ok).toBe(false);
    expect(parseValidity({ type: 'fixed', to: 2 }).ok).toBe(false);
  });
  it('keeps only a scope that names what it covers', () => {
    expect(parseScope({ type: 'all', ids: ['p1'] })).toEqual({ ok: true, scope: { type: 'all' } });
    expect(parseScope({ type: 'categories', ids: ['c1'] })).toEqual({
      ok: true,
      scope: { type: 'categories', ids: ['c1'] },
    });
    expect(parseScope({ type: 'products', ids: [] })).toEqual({ ok: false, problem: '请选择适用的分类或商品' });
    expect(parseScope({ type: 'products' }).ok).toBe(false);
  });
});

import {
  bestCoupon,
  COUPON_ACTIONS,
  COUPON_CONDITIONS,
  COUPON_EVENTS,
  compileTemplate,
  couponCan,
  CouponEvent,
  CouponStatus,
  evaluateCoupon,
} from './coupon-rules';
import { createCoupon } from './test-factories';

const ctx = (amount: number, over: Partial<{ categoryId: string; activity: boolean }> = {}) => ({
  memberId: 'm_1',
  now: 1_000_000,
  lines: [{ productId: 'p_1', categoryId: over.categoryId ?? 'cat_coffee', amount, activity: over.activity ?? false }],
});

describe('coupon registry', () => {
  it('compiles a template into declarative conditions and actions', () => {
    expect(
      compileTemplate({
        kind: 'threshold',
        threshold: 10000,
        amount: 2000,
        percent: null,
        cap: null,
        scope: { type: 'all' },
      }),
    ).toEqual({
      conditions: [
        { code: 'in_scope', args: { scope: { type: 'all' } } },
        { code: 'min_amount', args: { amount: 10000 } },
      ],
      actions: [{ code: 'amount_off', args: { amount: 2000 } }],
    });
  });
  it('every referenced code exists in the registries', () => {
    const t = compileTemplate({
      kind: 'discount',
      threshold: 100,
      amount: 0,
      percent: 90,
      cap: 100,
      scope: { type: 'all' },
      stackWithActivity: true,
    });
    for (const c of t.conditions) expect(COUPON_CONDITIONS[c.code]).toBeDefined();
    for (const a of t.actions) expect(COUPON_ACTIONS[a.code]).toBeDefined();
  });
  it('an activity line: "does not stack" only for a coupon covering it that does not stack; else out of scope', () => {
    const tea = { type: 'categories' as const, ids: ['cat_tea'] };
    const teaStack = { threshold: 0, scope: tea, stackWithActivity: true };
    const refusal = (c: ReturnType<typeof createCoupon>, over: Parameters<typeof ctx>[1]) => {
      const r = evaluateCoupon(c, ctx(8000, over));
      return r.ok ? 'ok' : r.code;
    };
    expect(refusal(createCoupon({ template: { threshold: 0 } }), { activity: true })).toBe('COUPON_NOT_STACKABLE');
    expect(refusal(createCoupon({ template: { threshold: 0, scope: tea } }), { activity: true })).toBe(
      'COUPON_NOT_APPLICABLE',
    );
    expect(refusal(createCoupon({ template: teaStack }), { activity: true })).toBe('COUPON_NOT_APPLICABLE');
    expect(refusal(createCoupon({ template: teaStack }), { activity: true, categoryId: 'cat_tea' })).toBe('ok');
  });
  it('a no-threshold amount never exceeds the goods', () => {
    expect(COUPON_ACTIONS.amount_off?.apply(300, { amount: 500 })).toBe(300);
  });
});

describe('bestCoupon', () => {
  it('suggests the coupon saving the most and explains the others', () => {
    const a = createCoupon({ _id: 'a', template: { threshold: 5000, amount: 1000 } });
    const b = createCoupon({ _id: 'b', template: { kind: 'discount', threshold: 0, percent: 85, cap: null } });
    const c = createCoupon({ _id: 'c', template: { threshold: 20000, amount: 5000 } });
    const r = bestCoupon([a, b, c], ctx(8000));
    expect(r.best?.coupon._id).toBe('b');
    expect(r.best?.discount).toBe(1200);
    expect(r.verdicts.find((v) => v.couponId === 'c')).toMatchObject({ ok: false, code: 'COUPON_THRESHOLD_NOT_MET' });
  });
  it('prefers the one expiring first on a tie', () => {
    const a = createCoupon({ _id: 'a', validTo: 5_000_000, template: { threshold: 0 } });
    const b = createCoupon({ _id: 'b', validTo: 2_000_000, template: { threshold: 0 } });
    expect(bestCoupon([a, b], ctx(8000)).best?.coupon._id).toBe('b');
  });
  it('suggests nothing when none applies', () => {
    expect(
      bestCoupon([createCoupon({ template: { scope: { type: 'categories', ids: ['cat_tea'] } } })], ctx(8000)).best,
    ).toBeNull();
  });
});

describe('the wallet coupon state machine', () => {
  it('walks lock → use → give back, or lock → release; nothing else from each state', () => {
    const walk = (events: CouponEvent[]) =>
      events.reduce<CouponStatus | 'refused'>(
        (s, e) => (s !== 'refused' && couponCan(s, e) ? COUPON_EVENTS[e].to : 'refused'),
        'unused',
      );
    expect(walk(['lock', 'use', 'giveBack'])).toBe('unused');
    expect(walk(['lock', 'release', 'lock'])).toBe('locked');
    expect(walk(['use'])).toBe('refused');
    expect(walk(['lock', 'lock'])).toBe('refused');
    expect(walk(['lock', 'use', 'release'])).toBe('refused');
    expect(couponCan('expired', 'lock')).toBe(false);
  });
});

import {
  bucketOf,
  checkReferral,
  DEFAULT_CAMPAIGN_CONFIG as C,
  DEFAULT_REFERRAL_RULES,
  inHoldout,
  inQuietHours,
  lift,
  qualifiesReferral,
  quietHoursEnd,
  touchBlock,
} from './campaigns';
import {
  birthdayGiftId,
  contaminatedHoldouts,
  deliveryOutcome,
  duePeriod,
  heldOut,
  holdoutUntil,
  natureOf,
  parseSchedule,
} from './campaigns';

const sh = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00+08:00`);

describe('holdout', () => {
  it('is stable per member and close to the configured share', () => {
    expect(bucketOf('c1', 'm_1')).toBe(bucketOf('c1', 'm_1'));
    const n = Array.from({ length: 10000 }, (_, i) => inHoldout('c1', `m_${i}`, 10)).filter(Boolean).length;
    expect(n).toBeGreaterThan(900);
    expect(n).toBeLessThan(1100);
  });
});

describe('quiet hours 22:00–08:00 Shanghai', () => {
  it('spans midnight', () => {
    expect(inQuietHours(sh('21:59'), C.quietHours)).toBe(false);
    expect(inQuietHours(sh('22:00'), C.quietHours)).toBe(true);
    expect(inQuietHours(sh('03:00'), C.quietHours)).toBe(true);
    expect(inQuietHours(sh('08:00'), C.quietHours)).toBe(false);
  });
  it('ends at 08:00 the next morning', () => {
    expect(quietHoursEnd(sh('23:30'), C.quietHours)).toBe(Date.parse('2026-11-26T08:00:00+08:00'));
    expect(quietHoursEnd(sh('02:10'), C.quietHours)).toBe(sh('08:00'));
  });
  it('also works for a window inside one day', () => {
    expect(inQuietHours(sh('13:00'), { start: 12, end: 14 })).toBe(true);
    expect(inQuietHours(sh('14:00'), { start: 12, end: 14 })).toBe(false);
  });
});

describe('touch rules', () => {
  const now = sh('10:00');
  it('caps marketing touches at one per 3 days and respects opt-out', () => {
    expect(touchBlock({ lastMarketingAt: now - 2 * 864e5 }, now, C)).toBe('FREQUENCY_CAP');
    expect(touchBlock({ lastMarketingAt: now - 3 * 864e5 }, now, C)).toBeNull();
    expect(touchBlock({ marketingOptOut: true }, now, C)).toBe('UNSUBSCRIBED');
  });
  it('measures lift against the holdout', () => {
    expect(lift({ members: 900, converted: 90 }, { members: 100, converted: 5 })).toEqual({
      touchedRate: 0.1,
      holdoutRate: 0.05,
      liftPoints: 0.05,
      liftRelative: 1,
    });
  });
});

describe('deliveries, entitlements and clean holdouts', () => {
  const now = sh('10:00');
  const day = 864e5;
  it('only a coupon issued or a message sent is a touch', () => {
    expect(deliveryOutcome({ couponId: 'c1', message: 'NO_QUOTA' })).toEqual({ status: 'touched', reason: null });
    expect(deliveryOutcome({ couponId: null, message: 'SENT' })).toEqual({ status: 'touched', reason: null });
    const notSent = (reason: string) => ({ status: 'not_sent', reason });
    expect(deliveryOutcome({ couponId: null, message: 'NO_QUOTA' })).toEqual(notSent('NO_QUOTA'));
    expect(deliveryOutcome({ couponId: null, message: null, noEntitlement: true })).toEqual(notSent('NO_ENTITLEMENT'));
    expect(deliveryOutcome({ couponId: null, message: null })).toEqual(notSent('NOTHING_TO_SEND'));
  });
  it('an entitlement ignores caps, opt-out and holdouts, and has no holdout of its own', () => {
    const busy = { lastMarketingAt: now - 3600_000, marketingOptOut: true, heldOutUntil: now + day };
    expect(natureOf({ tierBirthdayCoupon: true })).toBe('entitlement');
    expect(touchBlock(busy, now, C, 'entitlement')).toBeNull();
    expect(touchBlock({ mergedInto: 'm_2' }, now, C, 'entitlement')).toBe('MERGED');
    const everyone = Array.from({ length: 200 }, (_, i) => `m_${i}`);
    expect(everyone.filter((m) => heldOut({ _id: 'c', offer: { tierBirthdayCoupon: true } }, m, 50))).toEqual([]);
    const marketing = { _id: 'c', offer: {} };
    expect(everyone.filter((m) => heldOut(marketing, m, 50)).length).toBeGreaterThan(50);
  });
  it("a member in a holdout is left alone by other marketing until that holdout's conversion window ends", () => {
    const until = holdoutUntil(now, { conversionDays: 7 });
    expect(until).toBe(now + 7 * day);
    expect(touchBlock({ heldOutUntil: until }, now + 6 * day, C)).toBe('HELD_OUT');
    expect(touchBlock({ heldOutUntil: until }, until, C)).toBeNull();
    // Opt-out is reported first: it is the member's own choice.
    expect(touchBlock({ heldOutUntil: until, marketingOptOut: true }, now, C)).toBe('UNSUBSCRIBED');
  });
  it('gives one birthday gift per member and Shanghai year', () => {
    expect(birthdayGiftId('m_1', Date.parse('2026-12-31T23:30:00+08:00'))).toBe('gift:birthday:m_1:2026');
    expect(birthdayGiftId('m_1', Date.parse('2027-01-01T00:30:00+08:00'))).toBe('gift:birthday:m_1:2027');
  });
  it('finds holdout members reached by other marketing inside their window', () => {
    const held = [
      { memberId: 'a', at: now },
      { memberId: 'b', at: now },
      { memberId: 'c', at: now },
    ];
    const others = [
      { memberId: 'a', at: now + day },
      { memberId: 'b', at: now + 8 * day },
      { memberId: 'x', at: now },
    ];
    expect([...contaminatedHoldouts(held, others, 7)]).toEqual(['a']);
  });
});

describe('referral', () => {
  const base = { inviterId: 'a', inviteeId: 'b', inviteeIsNew: true, inviterExists: true };
  it('accepts a new member invited by an existing one', () => expect(checkReferral(base)).toEqual({ ok: true }));
  it('refuses self-invites, existing members, unknown inviters and loops', () => {
    expect(checkReferral({ ...base, inviteeId: 'a' })).toMatchObject({ code: 'SELF_INVITE' });
    expect(checkReferral({ ...base, inviteeIsNew: false })).toMatchObject({ code: 'NOT_NEW_MEMBER' });
    expect(checkReferral({ ...base, inviterExists: false })).toMatchObject({ code: 'INVITER_NOT_FOUND' });
    expect(checkReferral({ ...base, inviterInvitedBy: 'b' })).toMatchObject({ code: 'REFERRAL_LOOP' });
  });
});

describe('referral join rewards wait for a real invitee', () => {
  it('a bound phone qualifies under the phone rule; a paid order under either; opening the app never', () => {
    expect(DEFAULT_REFERRAL_RULES.qualifyBy).toBe('phone');
    expect([qualifiesReferral('phone', 'phone'), qualifiesReferral('phone', 'order')]).toEqual([true, true]);
    expect([qualifiesReferral('first_order', 'phone'), qualifiesReferral('first_order', 'order')]).toEqual([
      false,
      true,
    ]);
  });
});

describe('parseSchedule', () => {
  it('keeps only the fields of the chosen kind, and names what is missing', () => {
    expect(parseSchedule({ type: 'now', at: 5 })).toEqual({ ok: true, schedule: { type: 'now' } });
    expect(parseSchedule({ type: 'at', at: 5, day: 3 })).toEqual({ ok: true, schedule: { type: 'at', at: 5 } });
    expect(parseSchedule({ type: 'at' })).toEqual({ ok: false, problem: '请设置发送时间' });
    expect(parseSchedule({ type: 'monthly', day: 8, hour: 10 })).toEqual({
      ok: true,
      schedule: { type: 'monthly', day: 8, hour: 10 },
    });
    expect(parseSchedule({ type: 'monthly', day: 8 })).toEqual({ ok: false, problem: '请设置每月的日期和时间' });
    expect(parseSchedule({ type: 'yearly', month: 11, day: 11, hour: 0 }).ok).toBe(true);
    expect(parseSchedule({ type: 'yearly', day: 11, hour: 0 })).toEqual({
      ok: false,
      problem: '请设置每年的月、日和时间',
    });
  });
});

const at = (iso: string) => Date.parse(`${iso}+08:00`);

describe('duePeriod (scheduled touches)', () => {
  it('runs once for now / at', () => {
    expect(duePeriod({ schedule: { type: 'now' } }, at('2026-11-25T10:00:00'))).toBe('once');
    expect(
      duePeriod({ schedule: { type: 'at', at: at('2026-11-25T12:00:00') } }, at('2026-11-25T11:59:00')),
    ).toBeNull();
    expect(duePeriod({ schedule: { type: 'at', at: at('2026-11-25T12:00:00') } }, at('2026-11-25T12:00:00'))).toBe(
      'once',
    );
  });
  it('member day: monthly on the day from the hour, one run per month', () => {
    const s = { schedule: { type: 'monthly' as const, day: 8, hour: 10 } };
    expect(duePeriod(s, at('2026-11-08T09:59:00'))).toBeNull();
    expect(duePeriod(s, at('2026-11-08T10:00:00'))).toBe('2026-11');
    expect(duePeriod(s, at('2026-12-08T23:00:00'))).toBe('2026-12');
    expect(duePeriod(s, at('2026-11-09T10:00:00'))).toBeNull();
  });
  it('marketing nodes (618, 双11): yearly on the date, by Shanghai calendar', () => {
    const s = { schedule: { type: 'yearly' as const, month: 11, day: 11, hour: 0 } };
    expect(duePeriod(s, Date.UTC(2026, 10, 10, 16, 0))).toBe('2026');
    expect(duePeriod(s, Date.UTC(2026, 10, 10, 15, 59))).toBeNull();
  });
});

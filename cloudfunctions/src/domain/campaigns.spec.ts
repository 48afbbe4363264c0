import { bucketOf, checkReferral, DEFAULT_CAMPAIGN_CONFIG as C, inHoldout, inQuietHours, lift, quietHoursEnd, touchBlock } from './campaigns';

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
    expect(lift({ members: 900, converted: 90 }, { members: 100, converted: 5 })).toEqual({ touchedRate: 0.1, holdoutRate: 0.05, liftPoints: 0.05, liftRelative: 1 });
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

import { duePeriod } from './campaigns';

const sh = (iso: string) => Date.parse(`${iso}+08:00`);

describe('duePeriod (scheduled touches)', () => {
  it('runs once for now / at', () => {
    expect(duePeriod({ schedule: { type: 'now' } }, sh('2026-11-25T10:00:00'))).toBe('once');
    expect(
      duePeriod({ schedule: { type: 'at', at: sh('2026-11-25T12:00:00') } }, sh('2026-11-25T11:59:00')),
    ).toBeNull();
    expect(duePeriod({ schedule: { type: 'at', at: sh('2026-11-25T12:00:00') } }, sh('2026-11-25T12:00:00'))).toBe(
      'once',
    );
  });
  it('member day: monthly on the day from the hour, one run per month', () => {
    const s = { schedule: { type: 'monthly' as const, day: 8, hour: 10 } };
    expect(duePeriod(s, sh('2026-11-08T09:59:00'))).toBeNull();
    expect(duePeriod(s, sh('2026-11-08T10:00:00'))).toBe('2026-11');
    expect(duePeriod(s, sh('2026-12-08T23:00:00'))).toBe('2026-12');
    expect(duePeriod(s, sh('2026-11-09T10:00:00'))).toBeNull();
  });
  it('marketing nodes (618, 双11): yearly on the date, by Shanghai calendar', () => {
    const s = { schedule: { type: 'yearly' as const, month: 11, day: 11, hour: 0 } };
    expect(duePeriod(s, Date.UTC(2026, 10, 10, 16, 0))).toBe('2026');
    expect(duePeriod(s, Date.UTC(2026, 10, 10, 15, 59))).toBeNull();
  });
});

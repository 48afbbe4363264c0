import { addDays, dayStart, daysBetween, endOfYear, isDay, shanghaiDay, shanghaiMonth } from './time';

describe('Shanghai calendar', () => {
  it('puts 16:00 UTC on the next Shanghai day', () => {
    expect(shanghaiDay(Date.UTC(2026, 10, 24, 15, 59, 59))).toBe('2026-11-24');
    expect(shanghaiDay(Date.UTC(2026, 10, 24, 16, 0, 0))).toBe('2026-11-25');
  });
  it('starts a day at 16:00 UTC the day before', () => {
    expect(dayStart('2026-11-25')).toBe(Date.UTC(2026, 10, 24, 16));
  });
  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-11-01', '2026-11-25')).toBe(24);
  });
  it('ends a year at Shanghai midnight', () => {
    expect(shanghaiDay(endOfYear(2027))).toBe('2027-12-31');
    expect(shanghaiDay(endOfYear(2027) + 1)).toBe('2028-01-01');
    expect(shanghaiMonth(endOfYear(2027) + 1)).toBe('2028-01');
  });
  it('validates day strings', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-1-1')).toBe(false);
  });
});

import {
  addDays,
  addMonths,
  addMonthsAt,
  dayStart,
  daysBetween,
  endOfYear,
  formatShanghai,
  isDay,
  isMonth,
  monthLayout,
  shanghaiAt,
  shanghaiDay,
  shanghaiHour,
  shanghaiMonth,
  shanghaiWeekday,
  shanghaiYear,
} from './time';

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
  it('adds calendar months at the same Shanghai wall time, clamping to the month end', () => {
    const at = (day: string, h = 0) => dayStart(day) + h * 3600_000;
    expect(addMonthsAt(at('2026-12-03', 23), -12)).toBe(at('2025-12-03', 23));
    expect(addMonthsAt(at('2026-01-01', 1), -1)).toBe(at('2025-12-01', 1));
    expect(addMonthsAt(at('2026-03-31'), -1)).toBe(at('2026-02-28'));
    expect(addMonthsAt(at('2028-02-29'), 12)).toBe(at('2029-02-28'));
    expect(addMonthsAt(at('2026-11-30', 5), 3)).toBe(at('2027-02-28', 5));
  });
  it('validates day strings', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-1-1')).toBe(false);
  });
});

describe('impossible dates', () => {
  it('refuses month 13, day 45, day 0 and 30 February without throwing', () => {
    for (const s of [
      '2026-13-45',
      '2026-00-10',
      '2026-01-00',
      '2026-02-30',
      '2026-04-31',
      '0000-01-01',
      '2026-1-01',
      '',
    ]) {
      expect(() => isDay(s)).not.toThrow();
      expect(isDay(s)).toBe(false);
    }
    expect(isDay(42)).toBe(false);
    expect(isDay('2000-02-29')).toBe(true);
    expect(isDay('1900-02-29')).toBe(false);
    expect(isDay('2026-12-31')).toBe(true);
  });
  it('validates months and steps across years', () => {
    expect([isMonth('2026-12'), isMonth('2026-13'), isMonth('2026-00'), isMonth('2026-1')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-11', -11)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
  });
});

describe('Shanghai wall time', () => {
  const t = Date.UTC(2026, 11, 31, 16, 5, 9); // 2027-01-01 00:05:09 in Shanghai
  it('reads hour, weekday and year on the Shanghai side of midnight', () => {
    expect([shanghaiHour(t), shanghaiWeekday(t), shanghaiYear(t)]).toEqual([0, 5, 2027]);
    expect(shanghaiHour(t - 6 * 60_000)).toBe(23);
    expect(formatShanghai(t, 'YYYYMMDDHHmmss')).toBe('20270101000509');
    expect(formatShanghai(t, 'YYYY-MM-DD HH:mm')).toBe('2027-01-01 00:05');
  });
  it('builds an instant from a Shanghai day and hour', () => {
    expect(shanghaiAt('2026-11-25', 8)).toBe(Date.parse('2026-11-25T08:00:00+08:00'));
    expect(shanghaiAt('2026-11-25', 23, 30)).toBe(Date.parse('2026-11-25T23:30:00+08:00'));
  });
  it('lays out a month: its days and the weekday of the 1st', () => {
    expect(monthLayout('2026-02')).toEqual({ days: 28, firstWeekday: 0 });
    expect(monthLayout('2028-02')).toEqual({ days: 29, firstWeekday: 2 });
    expect(monthLayout('2026-11')).toEqual({ days: 30, firstWeekday: 0 });
  });
});

// The 7-field timer-trigger cron (sec min hour day month weekday year), evaluated in Asia/Shanghai.
import { parseCron } from './cron';

// A Shanghai wall-clock time as epoch ms (UTC+8, no DST).
const sh = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h - 8, mi, s);

describe('parseCron', () => {
  test("'0 0 2 * * * *' fires at 02:00 Shanghai = 18:00 UTC the day before, and at no other second", () => {
    const c = parseCron('0 0 2 * * * *');
    expect(c.matches(Date.UTC(2026, 10, 24, 18, 0, 0))).toBe(true);
    expect(c.matches(sh(2026, 11, 25, 2, 0, 0))).toBe(true);
    expect(c.matches(Date.UTC(2026, 10, 25, 2, 0, 0))).toBe(false); // 02:00 UTC is 10:00 Shanghai
    expect(c.matches(sh(2026, 11, 25, 2, 0, 1))).toBe(false);
    expect(c.matches(sh(2026, 11, 25, 2, 1, 0))).toBe(false);
    expect(c.matches(sh(2026, 11, 25, 14, 0, 0))).toBe(false);
  });

  test('milliseconds within the matching second still match', () => {
    expect(parseCron('0 0 2 * * * *').matches(sh(2026, 11, 25, 2, 0, 0) + 999)).toBe(true);
  });

  test('steps: */15 seconds, 0/20 minutes, 3/5 hours', () => {
    const c = parseCron('*/15 * * * * * *');
    const hits = Array.from({ length: 60 }, (_x, s) => s).filter((s) => c.matches(sh(2026, 1, 1, 0, 0, s)));
    expect(hits).toEqual([0, 15, 30, 45]);
    const m = parseCron('0 0/20 * * * * *');
    expect(Array.from({ length: 60 }, (_x, i) => i).filter((i) => m.matches(sh(2026, 1, 1, 0, i, 0)))).toEqual([
      0, 20, 40,
    ]);
    const h = parseCron('0 0 3/5 * * * *');
    expect(Array.from({ length: 24 }, (_x, i) => i).filter((i) => h.matches(sh(2026, 1, 1, i)))).toEqual([
      3, 8, 13, 18, 23,
    ]);
  });

  test('lists and ranges, ranges with a step', () => {
    const c = parseCron('0 0,30 9-11 * * * *');
    expect(c.matches(sh(2026, 3, 3, 9, 0))).toBe(true);
    expect(c.matches(sh(2026, 3, 3, 10, 30))).toBe(true);
    expect(c.matches(sh(2026, 3, 3, 11, 30))).toBe(true);
    expect(c.matches(sh(2026, 3, 3, 12, 0))).toBe(false);
    expect(c.matches(sh(2026, 3, 3, 8, 30))).toBe(false);
    expect(c.matches(sh(2026, 3, 3, 10, 15))).toBe(false);
    const r = parseCron('0 0 0-12/6 * * * *');
    expect(Array.from({ length: 24 }, (_x, i) => i).filter((i) => r.matches(sh(2026, 1, 1, i)))).toEqual([0, 6, 12]);
  });

  test('day, month, weekday (0 = Sunday) and year are read on the Shanghai calendar', () => {
    // 2026-11-01 is a Sunday in Shanghai; at 00:30 Shanghai it is still Saturday in UTC.
    const sunday = parseCron('0 30 0 * * 0 *');
    expect(sunday.matches(sh(2026, 11, 1, 0, 30))).toBe(true);
    expect(sunday.matches(sh(2026, 10, 31, 0, 30))).toBe(false);
    const weekdays = parseCron('0 0 9 * * 1-5 *');
    expect(weekdays.matches(sh(2026, 11, 2, 9))).toBe(true); // Monday
    expect(weekdays.matches(sh(2026, 11, 7, 9))).toBe(false); // Saturday
    const firstOfMonth = parseCron('0 0 0 1 * * *');
    expect(firstOfMonth.matches(sh(2026, 12, 1))).toBe(true);
    expect(firstOfMonth.matches(Date.UTC(2026, 11, 1, 0, 0, 0))).toBe(false); // 08:00 Shanghai
    const onlyNov2026 = parseCron('0 0 0 25 11 ? 2026');
    expect(onlyNov2026.matches(sh(2026, 11, 25))).toBe(true);
    expect(onlyNov2026.matches(sh(2027, 11, 25))).toBe(false);
    expect(onlyNov2026.matches(sh(2026, 10, 25))).toBe(false);
  });

  test('extra whitespace around and between fields is accepted', () => {
    expect(parseCron('  0  0   2 * * * *  ').matches(sh(2026, 1, 1, 2))).toBe(true);
  });

  test.each([
    ['', 'empty'],
    ['0 0 2 * * *', '6 fields'],
    ['0 0 0 2 * * * *', '8 fields'],
    ['60 * * * * * *', 'second out of range'],
    ['0 60 * * * * *', 'minute out of range'],
    ['0 0 24 * * * *', 'hour out of range'],
    ['0 0 0 0 * * *', 'day 0'],
    ['0 0 0 32 * * *', 'day 32'],
    ['0 0 0 * 13 * *', 'month 13'],
    ['0 0 0 * * 7 *', 'weekday 7'],
    ['a * * * * * *', 'not a number'],
    ['*/0 * * * * * *', 'zero step'],
    ['1.5 * * * * * *', 'fraction'],
    ['0 0 5-3 * * * *', 'reversed range'],
    ['0 0 -5 * * * *', 'range without a start'],
    ['0 0 5- * * * *', 'range without an end'],
    ['0 0 1,,2 * * * *', 'empty list item'],
    ['0 0 1/2/3 * * * *', 'two steps'],
  ])('%j throws (%s)', (expr) => {
    expect(() => parseCron(expr)).toThrow();
  });
});

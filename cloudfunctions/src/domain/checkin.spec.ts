import { currentStreak, decideCheckin, decideMakeup, DEFAULT_CHECKIN_RULES as R, pointsForStreak } from './checkin';

const sh = (day: string, hh = '10:00') => Date.parse(`${day}T${hh}:00+08:00`);

describe('decideCheckin', () => {
  it('starts a streak at 1 and continues it the next Shanghai day', () => {
    const first = decideCheckin({ lastDay: null, streak: 0 }, sh('2026-11-20'), R);
    expect(first).toMatchObject({ ok: true, day: '2026-11-20', streak: 1, points: 5 });
    const second = decideCheckin({ lastDay: '2026-11-20', streak: 1 }, sh('2026-11-21'), R);
    expect(second).toMatchObject({ ok: true, streak: 2 });
  });

  it('refuses a second check-in on the same Shanghai day', () => {
    expect(decideCheckin({ lastDay: '2026-11-20', streak: 1 }, sh('2026-11-20', '23:59'), R)).toMatchObject({
      ok: false,
      code: 'ALREADY_CHECKED_IN',
    });
  });

  it('counts 00:30 Shanghai (16:30 UTC the day before) on the Shanghai day', () => {
    const utcEvening = Date.UTC(2026, 10, 20, 16, 30); // 2026-11-21 00:30 Shanghai
    expect(decideCheckin({ lastDay: '2026-11-20', streak: 4 }, utcEvening, R)).toMatchObject({
      ok: true,
      day: '2026-11-21',
      streak: 5,
    });
  });

  it('resets the streak after a missed day', () => {
    expect(decideCheckin({ lastDay: '2026-11-18', streak: 6 }, sh('2026-11-20'), R)).toMatchObject({
      streak: 1,
      points: 5,
    });
  });

  it('pays bonuses on day 3 and 7 and restarts the cycle', () => {
    expect(pointsForStreak(3, R)).toEqual({ points: 15, bonus: 10 });
    expect(pointsForStreak(7, R)).toEqual({ points: 25, bonus: 20 });
    expect(pointsForStreak(8, R)).toEqual({ points: 5, bonus: 0 });
    expect(pointsForStreak(14, R)).toEqual({ points: 25, bonus: 20 });
  });
});

describe('streaks and make-up', () => {
  const days = new Set(['2026-11-18', '2026-11-19', '2026-11-21', '2026-11-22']);
  it('counts the current streak from today or yesterday', () => {
    expect(currentStreak(days, sh('2026-11-22'))).toBe(2);
    expect(currentStreak(days, sh('2026-11-23'))).toBe(2);
    expect(currentStreak(days, sh('2026-11-24'))).toBe(0);
  });
  it('allows a make-up within the window for a missed day, at a cost', () => {
    expect(decideMakeup('2026-11-20', days, sh('2026-11-22'), R)).toEqual({ ok: true, cost: 20, points: 5 });
  });
  it('refuses today, future, too old, already checked and disabled', () => {
    expect(decideMakeup('2026-11-22', days, sh('2026-11-22'), R)).toMatchObject({ code: 'MAKEUP_NOT_ALLOWED' });
    expect(decideMakeup('2026-11-23', days, sh('2026-11-22'), R)).toMatchObject({ code: 'MAKEUP_NOT_ALLOWED' });
    expect(decideMakeup('2026-11-10', days, sh('2026-11-22'), R)).toMatchObject({ code: 'MAKEUP_NOT_ALLOWED' });
    expect(decideMakeup('2026-11-19', days, sh('2026-11-22'), R)).toMatchObject({ code: 'ALREADY_CHECKED_IN' });
    expect(
      decideMakeup('2026-11-20', days, sh('2026-11-22'), { ...R, makeup: { ...R.makeup, enabled: false } }),
    ).toMatchObject({ code: 'MAKEUP_DISABLED' });
  });
});

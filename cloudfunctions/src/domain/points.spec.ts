import { bucketTotal, earn, expire, expiresAt, expiringThisYear, spend } from './points';
import { shanghaiDay } from './time';

const at = (iso: string) => Date.parse(iso);

describe('points buckets', () => {
  it('points earned in year N expire at the end of year N+1 (Shanghai)', () => {
    expect(shanghaiDay(expiresAt(at('2026-06-01T00:00:00Z')))).toBe('2027-12-31');
    // 2026-12-31 17:00 UTC is already 2027-01-01 in Shanghai.
    expect(earn({}, 10, at('2026-12-31T17:00:00Z'))).toEqual({ '2028': 10 });
  });

  it('spends the soonest-expiring points first', () => {
    const r = spend({ '2027': 30, '2028': 50 }, 40);
    expect(r).toEqual({ ok: true, buckets: { '2028': 40 } });
  });

  it('refuses to go negative and says the balance', () => {
    expect(spend({ '2027': 30 }, 31)).toEqual({ ok: false, code: 'INSUFFICIENT_POINTS', balance: 30 });
  });

  it('rejects non-integer and non-positive amounts', () => {
    expect(() => earn({}, 1.5, 0)).toThrow(RangeError);
    expect(() => spend({ '2027': 10 }, 0)).toThrow(RangeError);
    expect(() => spend({ '2027': 10 }, -5)).toThrow(RangeError);
  });

  it('expires buckets whose year has ended, keeps the rest', () => {
    const r = expire({ '2026': 5, '2027': 7 }, at('2027-03-01T00:00:00Z'));
    expect(r).toEqual({ expired: 5, buckets: { '2027': 7 } });
    expect(bucketTotal(r.buckets) + r.expired).toBe(12);
  });

  it('tells what expires at the end of this year', () => {
    expect(expiringThisYear({ '2026': 5, '2027': 7 }, at('2026-11-25T00:00:00Z')).amount).toBe(5);
  });
});

import { addToHistogram, binOf, binValue, buildModel, layerOf, quintileBins, rawRfm, RFM_LAYERS } from './rfm';
import { rfmWindow, scoreMember } from './rfm';
import { dayStart } from './time';

describe('histogram quantiles', () => {
  it('bins small integers exactly and large values within ~5%', () => {
    expect(binOf(7)).toBe(7);
    for (const v of [150, 9999, 123456]) expect(Math.abs(binValue(binOf(v)) - v) / v).toBeLessThan(0.06);
  });
  it('finds quintile boundaries of a uniform distribution', () => {
    const h = {};
    for (let i = 1; i <= 100; i++) addToHistogram(h, i);
    expect(quintileBins(h)).toEqual([20, 40, 60, 80]);
  });
});

describe('scoring and layers', () => {
  // A brand of 100 buyers with recency 1..100 days, frequency 1..100, monetary 1..100 yuan.
  const d = { r: {}, f: {}, m: {}, buyers: 100 };
  for (let i = 1; i <= 100; i++) {
    addToHistogram(d.r, i);
    addToHistogram(d.f, i);
    addToHistogram(d.m, i * 100);
  }
  const model = buildModel(d);

  it('scores recent, frequent, big spenders 5 and the opposite 1', () => {
    expect(scoreMember({ recencyDays: 1, frequency: 100, monetary: 10000 }, model)).toMatchObject({
      r: 5,
      f: 5,
      m: 5,
      layer: '重要价值客户',
    });
    expect(scoreMember({ recencyDays: 100, frequency: 1, monetary: 100 }, model)).toMatchObject({
      r: 1,
      f: 1,
      m: 1,
      layer: '一般挽留客户',
    });
  });
  it('mean scores of a uniform brand are 3', () => {
    expect([model.meanR, model.meanF, model.meanM]).toEqual([3, 3, 3]);
  });
  it('maps all 8 combinations to the 8 layers of the brief', () => {
    const seen = new Set<string>();
    for (const r of [true, false])
      for (const f of [true, false]) for (const m of [true, false]) seen.add(layerOf(r, f, m));
    expect([...seen].sort()).toEqual([...RFM_LAYERS].sort());
    expect(layerOf(false, true, true)).toBe('重要保持客户');
    expect(layerOf(true, false, false)).toBe('一般发展客户');
  });
  it('windows frequency and monetary to recent months', () => {
    const now = Date.UTC(2026, 10, 25);
    const w = rfmWindow(now, 12);
    const raw = rawRfm({ '2024-01': { n: 5, amt: 50000 }, '2026-10': { n: 2, amt: 6000 } }, Date.UTC(2026, 9, 20), w);
    expect(raw).toEqual({ recencyDays: 36, frequency: 2, monetary: 6000 });
    expect(rawRfm({ '2024-01': { n: 5, amt: 50000 } }, Date.UTC(2024, 0, 5), w)).toBeNull();
  });
});

describe('the RFM window: the 12 calendar months ending now (Shanghai)', () => {
  const months = (list: [string, number][]) => Object.fromEntries(list.map(([k, n]) => [k, { n, amt: n * 1000 }]));
  it('starts at the same Shanghai wall time 12 months earlier, and keeps that month', () => {
    const now = dayStart('2026-12-03') + 10 * 3600_000;
    const w = rfmWindow(now, 12);
    const startMs = dayStart('2025-12-03') + 10 * 3600_000;
    expect(w).toEqual({ startMs, endMs: now, firstMonth: '2025-12', lastMonth: '2026-12' });
    // A buyer whose only orders are on 5 and 20 Dec 2025 bought inside the window: they have RFM values.
    const lateDec = dayStart('2025-12-20');
    expect(rawRfm(months([['2025-12', 2]]), lateDec, w)).toEqual({ recencyDays: 348, frequency: 2, monetary: 2000 });
    const spread = months([
      ['2025-11', 3],
      ['2025-12', 1],
      ['2026-12', 1],
    ]);
    expect(rawRfm(spread, now - 3600_000, w)).toMatchObject({ frequency: 2 });
    // Last order before the window start (even inside the start month): no order in the window.
    expect(rawRfm(months([['2025-12', 1]]), dayStart('2025-12-02'), w)).toBeNull();
  });
  it('uses Shanghai months at the UTC day boundary and clamps month ends', () => {
    // 1 Jan 2027 00:30 Shanghai is still 2026 in UTC: the window starts 1 Jan 2026, not in December.
    expect(rfmWindow(dayStart('2027-01-01') + 1800_000, 12).firstMonth).toBe('2026-01');
    expect(rfmWindow(dayStart('2028-02-29'), 12).startMs).toBe(dayStart('2027-02-28'));
    expect(rfmWindow(dayStart('2026-03-31'), 1).startMs).toBe(dayStart('2026-02-28'));
  });
});

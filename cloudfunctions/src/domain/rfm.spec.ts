import { addToHistogram, binOf, binValue, buildModel, layerOf, quintileBins, rawRfm, RFM_LAYERS, scoreMember } from './rfm';
import { shanghaiMonth } from './time';

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
  for (let i = 1; i <= 100; i++) { addToHistogram(d.r, i); addToHistogram(d.f, i); addToHistogram(d.m, i * 100); }
  const model = buildModel(d);

  it('scores recent, frequent, big spenders 5 and the opposite 1', () => {
    expect(scoreMember({ recencyDays: 1, frequency: 100, monetary: 10000 }, model)).toMatchObject({ r: 5, f: 5, m: 5, layer: '重要价值客户' });
    expect(scoreMember({ recencyDays: 100, frequency: 1, monetary: 100 }, model)).toMatchObject({ r: 1, f: 1, m: 1, layer: '一般挽留客户' });
  });
  it('mean scores of a uniform brand are 3', () => {
    expect([model.meanR, model.meanF, model.meanM]).toEqual([3, 3, 3]);
  });
  it('maps all 8 combinations to the 8 layers of the brief', () => {
    const seen = new Set<string>();
    for (const r of [true, false]) for (const f of [true, false]) for (const m of [true, false]) seen.add(layerOf(r, f, m));
    expect([...seen].sort()).toEqual([...RFM_LAYERS].sort());
    expect(layerOf(false, true, true)).toBe('重要保持客户');
    expect(layerOf(true, false, false)).toBe('一般发展客户');
  });
  it('windows frequency and monetary to recent months', () => {
    const now = Date.UTC(2026, 10, 25);
    const raw = rawRfm({ '2024-01': { n: 5, amt: 50000 }, '2026-10': { n: 2, amt: 6000 } }, Date.UTC(2026, 9, 20), now, 12, shanghaiMonth);
    expect(raw).toEqual({ recencyDays: 36, frequency: 2, monetary: 6000 });
    expect(rawRfm({ '2024-01': { n: 5, amt: 50000 } }, Date.UTC(2024, 0, 5), now, 12, shanghaiMonth)).toBeNull();
  });
});

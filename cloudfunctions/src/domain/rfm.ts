// RFM: recency, frequency and monetary over a window, scored 1–5 against the brand's own
// distribution (quintiles, from histograms so the nightly job can stream over any number of
// members), and the 8 classic layers: a score is "high" above the brand's mean score.
import { addMonthsAt, shanghaiMonth } from './time';

/** The eight layers, fixed (domain brief). */
export const RFM_LAYERS = [
  '重要价值客户',
  '重要发展客户',
  '重要保持客户',
  '重要挽留客户',
  '一般价值客户',
  '一般发展客户',
  '一般保持客户',
  '一般挽留客户',
] as const;
/** One of the eight layers. */
export type RfmLayer = (typeof RFM_LAYERS)[number];

/** Raw values of one buyer in the window. */
export interface RfmRaw {
  recencyDays: number;
  frequency: number;
  monetary: number;
}

/** A sparse histogram: bin key → count. */
export type Histogram = Record<string, number>;

/** The histogram bin of a value: exact for small integers, ~5% wide log bins above 100. */
export function binOf(v: number): number {
  if (v <= 100) return Math.max(0, Math.floor(v));
  return Math.floor(100 + Math.log(v / 100) / Math.log(1.05));
}

/** The lower edge of a bin (inverse of binOf). */
export function binValue(b: number): number {
  return b <= 100 ? b : Math.ceil(100 * Math.pow(1.05, b - 100));
}

/** Adds a value to a histogram (mutates and returns it). */
export function addToHistogram(h: Histogram, v: number): Histogram {
  const k = String(binOf(v));
  h[k] = (h[k] ?? 0) + 1;
  return h;
}

/** Merges histograms (for chunked jobs). */
export function mergeHistograms(a: Histogram, b: Histogram): Histogram {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The 20/40/60/80% boundaries of a histogram, as bin indices. */
export function quintileBins(h: Histogram): number[] {
  const bins = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .sort(([x], [y]) => x - y);
  const total = bins.reduce((s, [, n]) => s + n, 0);
  const out: number[] = [];
  let acc = 0;
  let q = 1;
  for (const [b, n] of bins) {
    acc += n;
    while (q <= 4 && acc >= (total * q) / 5) {
      out.push(b);
      q++;
    }
  }
  while (out.length < 4) out.push(bins[bins.length - 1]?.[0] ?? 0);
  return out;
}

/** Score 1–5 of a value against quintile bins; `higherIsBetter` false for recency. */
export function scoreAgainst(v: number, qBins: number[], higherIsBetter: boolean): number {
  const b = binOf(v);
  let s = 1;
  for (const q of qBins) if (b > q) s++;
  return higherIsBetter ? s : 6 - s;
}

/** The brand's distribution, gathered over all buyers. */
export interface RfmDistribution {
  r: Histogram;
  f: Histogram;
  m: Histogram;
  buyers: number;
}

/** Thresholds derived from a distribution: quintile bins plus the mean score of each dimension. */
export interface RfmModel {
  rBins: number[];
  fBins: number[];
  mBins: number[];
  meanR: number;
  meanF: number;
  meanM: number;
  buyers: number;
}

/** Builds the scoring model; mean scores come from scoring the histograms themselves. */
export function buildModel(d: RfmDistribution): RfmModel {
  const rBins = quintileBins(d.r);
  const fBins = quintileBins(d.f);
  const mBins = quintileBins(d.m);
  const mean = (h: Histogram, bins: number[], higher: boolean) => {
    let n = 0;
    let s = 0;
    for (const [k, c] of Object.entries(h)) {
      s += scoreAgainst(binValue(Number(k)), bins, higher) * c;
      n += c;
    }
    return n ? s / n : 3;
  };
  return {
    rBins,
    fBins,
    mBins,
    meanR: mean(d.r, rBins, false),
    meanF: mean(d.f, fBins, true),
    meanM: mean(d.m, mBins, true),
    buyers: d.buyers,
  };
}

/** Scores and layer of one buyer. */
export function scoreMember(raw: RfmRaw, model: RfmModel): { r: number; f: number; m: number; layer: RfmLayer } {
  const r = scoreAgainst(raw.recencyDays, model.rBins, false);
  const f = scoreAgainst(raw.frequency, model.fBins, true);
  const m = scoreAgainst(raw.monetary, model.mBins, true);
  return { r, f, m, layer: layerOf(r > model.meanR, f > model.meanF, m > model.meanM) };
}

/** The layer for high/low R, F, M (domain brief table). */
export function layerOf(rHigh: boolean, fHigh: boolean, mHigh: boolean): RfmLayer {
  if (mHigh) return rHigh ? (fHigh ? '重要价值客户' : '重要发展客户') : fHigh ? '重要保持客户' : '重要挽留客户';
  return rHigh ? (fHigh ? '一般价值客户' : '一般发展客户') : fHigh ? '一般保持客户' : '一般挽留客户';
}

/** Monthly order aggregates kept on the member: 'YYYY-MM' → { n orders, amt fen }. */
export type MonthlyStats = Record<string, { n: number; amt: number }>;

/** The RFM window: the `months` calendar months ending at `now` (Shanghai), and the aggregate months it reaches. */
export interface RfmWindow {
  startMs: number;
  endMs: number;
  firstMonth: string;
  lastMonth: string;
}

/**
 * The window of the last `months` calendar months ending at `now`, Shanghai time: it starts at the same wall time
 * `months` months earlier, so it reaches into that month's aggregate (the month is never dropped). A buyer is in
 * the window when their last order is; F and M sum the monthly aggregates from the start month through `now`'s.
 */
export function rfmWindow(now: number, months: number): RfmWindow {
  const startMs = addMonthsAt(now, -months);
  return { startMs, endMs: now, firstMonth: shanghaiMonth(startMs), lastMonth: shanghaiMonth(now) };
}

/** Raw RFM of a member in the window, or null for someone with no order in it. */
export function rawRfm(months: MonthlyStats, lastOrderAt: number | null, w: RfmWindow): RfmRaw | null {
  if (!lastOrderAt || lastOrderAt < w.startMs) return null;
  let frequency = 0;
  let monetary = 0;
  for (const [k, v] of Object.entries(months)) {
    if (k >= w.firstMonth && k <= w.lastMonth) {
      frequency += v.n;
      monetary += v.amt;
    }
  }
  if (frequency <= 0) return null;
  return { recencyDays: Math.max(0, Math.floor((w.endMs - lastOrderAt) / (24 * 3600_000))), frequency, monetary };
}

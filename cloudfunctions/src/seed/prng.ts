/**
 * Small seeded PRNG for deterministic demo data. Never use Math.random in the seed.
 * mulberry32: 32-bit state, good enough statistical quality for fixtures, a few lines.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = {
  /** uniform in [0, 1) */
  next(): number;
  /** integer uniform in [min, max] (inclusive) */
  int(min: number, max: number): number;
  /** float uniform in [min, max) */
  range(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** k distinct items (k capped at items.length), in random order */
  sample<T>(items: readonly T[], k: number): T[];
};

export function createRng(seed: number): Rng {
  // Mix the seed so that nearby seeds (1, 2, 3…) start far apart.
  const next = mulberry32(Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ (seed >>> 16));
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    range: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items) => {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from empty list');
      return last[0];
    },
    sample: (items, k) => {
      const copy = items.slice();
      const n = Math.min(k, copy.length);
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(next() * (copy.length - i));
        const tmp = copy[i] as (typeof copy)[number];
        copy[i] = copy[j] as (typeof copy)[number];
        copy[j] = tmp;
      }
      return copy.slice(0, n);
    },
  };
  return rng;
}

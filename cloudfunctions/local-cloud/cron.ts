// The 7-field cron of WeChat cloud timer triggers (sec min hour day month weekday year), in UTC+8.

const RANGES: [number, number][] = [
  [0, 59],
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
  [1970, 2199],
];

function field(spec: string, [lo, hi]: [number, number]): Set<number> | null {
  if (spec === '*' || spec === '?') return null;
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    // `*`, `n` or `a-b`, optionally `/step`: anything else (`-5`, `5-`, `1,,2`, `1/2/3`) is malformed.
    if (!/^(\*|\d+(-\d+)?)(\/\d+)?$/.test(part)) throw new Error(`bad cron field "${spec}"`);
    const [range = '', stepText] = part.split('/');
    const step = stepText ? Number(stepText) : 1;
    const [a, to] = range === '*' ? [lo, hi] : (range.split('-').map(Number) as [number, number?]);
    const b = to ?? (stepText ? hi : a);
    if (![a, b, step].every(Number.isInteger) || a < lo || b > hi || a > b || step < 1)
      throw new Error(`bad cron field "${spec}"`);
    for (let v = a; v <= b; v += step) out.add(v);
  }
  return out;
}

/** A parsed trigger expression. */
export interface Cron {
  matches(epochMs: number): boolean;
}

/** Parses a 7-field expression; throws on a malformed one. */
export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 7) throw new Error(`cron needs 7 fields (sec min hour day month weekday year): "${expr}"`);
  const sets = RANGES.map((range, i) => field(parts[i] ?? '', range));
  return {
    matches(epochMs: number) {
      const d = new Date(Math.floor(epochMs / 1000) * 1000 + 8 * 3600_000); // Shanghai wall clock
      const values = [
        d.getUTCSeconds(),
        d.getUTCMinutes(),
        d.getUTCHours(),
        d.getUTCDate(),
        d.getUTCMonth() + 1,
        d.getUTCDay(),
        d.getUTCFullYear(),
      ];
      return values.every((v, i) => sets[i] === null || sets[i]!.has(v));
    },
  };
}

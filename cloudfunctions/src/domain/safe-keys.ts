// Client values that end up as object keys or database field paths (category ids, event types, tag
// names, message keys, config keys…) must never reach Object.prototype or name a path the client did not
// mean: this is the one rule deciding which strings may, shared by validation and by the code that
// aggregates by such keys.

// Names every plain object inherits (toString, hasOwnProperty, __proto__, constructor…) plus `prototype`.
const INHERITED = new Set<string>([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Longest key accepted from a client. */
export const MAX_KEY_LENGTH = 100;

/** Whether a string may be used as an object key or one segment of a database field path. */
export function isSafeKey(k: unknown): k is string {
  return (
    typeof k === 'string' && k.length > 0 && k.length <= MAX_KEY_LENGTH && !/[.$\u0000]/.test(k) && !INHERITED.has(k)
  );
}

/** JSON-pointer paths of every key in `v` that is not safe (objects nested deeper than `maxDepth` count too). */
export function unsafeKeyPaths(v: unknown, maxDepth = 16): string[] {
  const out: string[] = [];
  const walk = (x: unknown, path: string, depth: number): void => {
    if (x === null || typeof x !== 'object') return;
    if (depth > maxDepth) {
      out.push(`${path || '/'} (nested too deep)`);
      return;
    }
    if (Array.isArray(x)) {
      x.forEach((e, i) => walk(e, `${path}/${i}`, depth + 1));
      return;
    }
    for (const k of Object.keys(x)) {
      const p = `${path}/${k.slice(0, 40)}`;
      if (!isSafeKey(k)) out.push(p);
      else walk((x as Record<string, unknown>)[k], p, depth + 1);
    }
  };
  walk(v, '', 0);
  return out;
}

/** `obj[key]` only when `key` is the object's own property (never an inherited one such as `constructor`). */
export function own<T>(obj: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** An empty object without a prototype, for maps keyed by values that came from outside. */
export const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

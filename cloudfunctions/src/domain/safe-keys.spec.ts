import { dict, isSafeKey, own, unsafeKeyPaths } from './safe-keys';

describe('safe keys', () => {
  it('refuses dots, dollars, NUL and every inherited name; accepts ids, tags and Chinese text', () => {
    const bad = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'a.b', '$set', 'a\u0000', ''];
    bad.push('x'.repeat(101));
    for (const k of bad) {
      expect({ k, safe: isSafeKey(k) }).toEqual({ k, safe: false });
    }
    const good = ['cat_coffee', 'manual:爱喝拿铁', 'p-001', 'TMPL_CAMPAIGN', '2026-11-25', 'Constructor'];
    for (const k of good) expect(isSafeKey(k)).toBe(true);
    expect(isSafeKey(42)).toBe(false);
  });

  it('finds unsafe keys at any depth of a JSON payload, including own __proto__ keys from JSON.parse', () => {
    const v = JSON.parse('{"events":[{"id":"x","__proto__":{"a":1}}],"message":{"data":{"a.b":"x"}},"o":{"d":1}}');
    expect(unsafeKeyPaths(v)).toEqual(['/events/0/__proto__', '/message/data/a.b']);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 30; i++) deep = (deep.n = {}) as Record<string, unknown>;
    expect(unsafeKeyPaths(root)).toHaveLength(1);
    expect(unsafeKeyPaths({ a: [1, 'x', null] })).toEqual([]);
  });

  it('looks up own properties only, and makes prototype-free maps', () => {
    const table: Record<string, string> = { a: '甲' };
    expect(own(table, 'a')).toBe('甲');
    expect(own(table, 'constructor')).toBeUndefined();
    expect(own(undefined, 'a')).toBeUndefined();
    const d = dict<number>();
    d.__proto__ = 1;
    expect(Object.getPrototypeOf(d)).toBeNull();
    expect(({} as Record<string, unknown>).__proto__).toBe(Object.prototype);
  });
});

import { addCoPurchase, bestNextCategory, nextCategoryFrom, ruleTags, tagLabel, TAG_RULES } from './tags';
import { shanghaiDay } from './time';

const now = Date.UTC(2026, 10, 25, 4);
const ctx = {
  now,
  today: shanghaiDay,
  nextCategory: { cat_coffee: 'cat_beans' },
  categoryNames: { cat_coffee: '咖啡', cat_beans: '咖啡豆' },
};

describe('rule tags', () => {
  it('gives interest:X for ≥ 3 views of a category in 7 days, not for older or fewer', () => {
    const views = (byDay: Record<string, number>) => ({ behavior: { product_view: { cat_coffee: byDay } } });
    expect(ruleTags(views({ '2026-11-25': 2, '2026-11-20': 1 }), ctx)).toContain('interest:cat_coffee');
    expect(ruleTags(views({ '2026-11-25': 2 }), ctx)).not.toContain('interest:cat_coffee');
    expect(ruleTags(views({ '2026-11-10': 5 }), ctx)).not.toContain('interest:cat_coffee');
  });
  it('business tags from purchase aggregates', () => {
    const t = ruleTags(
      {
        stats: {
          orderCount: 3,
          paidTotal: 120000,
          categoryIds: ['cat_coffee', 'cat_tea'],
          firstOrderAt: now - 30 * 864e5,
          lastOrderAt: now - 864e5,
        },
      },
      ctx,
    );
    expect(t).toEqual(
      expect.arrayContaining([
        'buyer',
        'repurchase',
        'multi-category',
        'high-value',
        'bought:cat_coffee',
        'stage:repurchase',
      ]),
    );
  });
  it('predicts the next category from co-purchase statistics', () => {
    expect(
      ruleTags({ stats: { orderCount: 1, categoryIds: ['cat_coffee'], firstOrderAt: now, lastOrderAt: now } }, ctx),
    ).toContain('likely:cat_beans');
    expect(
      nextCategoryFrom([
        ['a', 'b'],
        ['a', 'b'],
        ['a', 'c'],
      ]),
    ).toEqual({ a: 'b', b: 'a', c: 'a' });
  });
  it('covers all five kinds and four origins', () => {
    expect(new Set(TAG_RULES.map((r) => r.kind))).toEqual(
      new Set(['source', 'basic', 'behavior', 'business', 'predicted']),
    );
    expect(new Set(TAG_RULES.map((r) => r.origin))).toEqual(new Set(['channel', 'system', 'private_domain']));
  });
  it('labels tags in Chinese', () => {
    expect(tagLabel('interest:cat_coffee', ctx)).toBe('偏好：咖啡');
    expect(tagLabel('stage:at_risk', ctx)).toBe('流失预警');
  });
});

describe('tags from untrusted input', () => {
  it('labels inherited names as plain text, never as a prototype member', () => {
    const tags = ['constructor', 'toString', 'stage:constructor', 'source:__proto__', 'bought:valueOf'];
    for (const t of tags) {
      expect(typeof tagLabel(t, ctx)).toBe('string');
    }
    expect(tagLabel('stage:constructor', ctx)).toBe('constructor');
    expect(tagLabel('source:constructor', ctx)).toBe('来源：constructor');
    const odd = { stats: { orderCount: 1, categoryIds: ['constructor'], firstOrderAt: now, lastOrderAt: now } };
    expect(ruleTags(odd, ctx).filter((t) => t.startsWith('likely:'))).toEqual([]);
  });

  it('co-purchase counting skips unsafe category ids and never writes to Object.prototype', () => {
    const pairs = addCoPurchase({}, ['__proto__', 'cat_coffee', 'constructor', 'cat_tea']);
    expect(JSON.parse(JSON.stringify(pairs))).toEqual({ cat_coffee: { cat_tea: 1 }, cat_tea: { cat_coffee: 1 } });
    expect(({} as Record<string, unknown>).cat_coffee).toBeUndefined();
    expect(bestNextCategory(JSON.parse('{"__proto__":{"a":1},"a":{"constructor":2,"b":1}}'))).toEqual({ a: 'b' });
  });
});

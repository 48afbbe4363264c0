import { nextCategoryFrom, ruleTags, tagLabel, TAG_RULES } from './tags';
import { shanghaiDay } from './time';

const now = Date.UTC(2026, 10, 25, 4);
const ctx = { now, today: shanghaiDay, nextCategory: { cat_coffee: 'cat_beans' }, categoryNames: { cat_coffee: '咖啡', cat_beans: '咖啡豆' } };

describe('rule tags', () => {
  it('gives interest:X for ≥ 3 views of a category in 7 days, not for older or fewer', () => {
    const views = (byDay: Record<string, number>) => ({ behavior: { product_view: { cat_coffee: byDay } } });
    expect(ruleTags(views({ '2026-11-25': 2, '2026-11-20': 1 }), ctx)).toContain('interest:cat_coffee');
    expect(ruleTags(views({ '2026-11-25': 2 }), ctx)).not.toContain('interest:cat_coffee');
    expect(ruleTags(views({ '2026-11-10': 5 }), ctx)).not.toContain('interest:cat_coffee');
  });
  it('business tags from purchase aggregates', () => {
    const t = ruleTags({ stats: { orderCount: 3, paidTotal: 120000, categoryIds: ['cat_coffee', 'cat_tea'], firstOrderAt: now - 30 * 864e5, lastOrderAt: now - 864e5 } }, ctx);
    expect(t).toEqual(expect.arrayContaining(['buyer', 'repurchase', 'multi-category', 'high-value', 'bought:cat_coffee', 'stage:repurchase']));
  });
  it('predicts the next category from co-purchase statistics', () => {
    expect(ruleTags({ stats: { orderCount: 1, categoryIds: ['cat_coffee'], firstOrderAt: now, lastOrderAt: now } }, ctx)).toContain('likely:cat_beans');
    expect(nextCategoryFrom([['a', 'b'], ['a', 'b'], ['a', 'c']])).toEqual({ a: 'b', b: 'a', c: 'a' });
  });
  it('covers all five kinds and four origins', () => {
    expect(new Set(TAG_RULES.map((r) => r.kind))).toEqual(new Set(['source', 'basic', 'behavior', 'business', 'predicted']));
    expect(new Set(TAG_RULES.map((r) => r.origin))).toEqual(new Set(['channel', 'system', 'private_domain']));
  });
  it('labels tags in Chinese', () => {
    expect(tagLabel('interest:cat_coffee', ctx)).toBe('偏好：咖啡');
    expect(tagLabel('stage:at_risk', ctx)).toBe('流失预警');
  });
});

import { MAX_FUTURE_MS, screenEvents, tallyBehavior } from './events';
import { shanghaiDay } from './time';

const now = 1_800_000_000_000;
const ev = (id: string, p: Record<string, unknown> = {}) => ({
  id,
  type: 'page_view',
  ts: now,
  page: 'pages/index/index',
  ...p,
});

describe('screenEvents', () => {
  it('accepts valid client events', () => {
    expect(
      screenEvents([ev('a'), ev('b', { type: 'product_view', productId: 'p_1', categoryId: 'c' })], now).accepted,
    ).toHaveLength(2);
  });
  it('rejects server-only and unknown types, future and stale timestamps, duplicates', () => {
    const r = screenEvents(
      [
        ev('1', { type: 'purchase' }),
        ev('2', { type: 'hack' }),
        ev('3', { ts: now + MAX_FUTURE_MS + 1 }),
        ev('4', { ts: now - 10 * 86400000 }),
        ev('5'),
        ev('5'),
        ev('6', { type: 'product_view' }),
      ],
      now,
    );
    expect(r.rejected.map((x) => x.reason)).toEqual([
      'SERVER_ONLY_TYPE',
      'UNKNOWN_TYPE',
      'FUTURE_TIMESTAMP',
      'TOO_OLD',
      'DUPLICATE',
      'MISSING_PRODUCT',
    ]);
    expect(r.accepted.map((x) => x.id)).toEqual(['5']);
  });
});

describe('categories as keys', () => {
  it('rejects an unknown or unsafe category per event', () => {
    const cats = new Set(['cat_coffee']);
    const batch = ['cat_coffee', 'cat_x', '__proto__'].map((categoryId, i) => ev('abc'.charAt(i), { categoryId }));
    const r = screenEvents(batch, now, cats);
    expect(r.accepted.map((x) => x.id)).toEqual(['a']);
    expect(r.rejected).toEqual([
      { id: 'b', reason: 'UNKNOWN_CATEGORY' },
      { id: 'c', reason: 'UNKNOWN_CATEGORY' },
    ]);
  });

  it('tallies behavior per type → category → day without ever touching Object.prototype', () => {
    const day = shanghaiDay(now);
    const current = JSON.parse(`{"product_view":{"cat_coffee":{"${day}":2},"__proto__":{"${day}":5}}}`);
    const events = [
      { type: 'product_view', ts: now, categoryId: 'cat_coffee' },
      { type: 'product_view', ts: now, categoryId: '__proto__' },
      { type: 'constructor', ts: now, categoryId: 'cat_coffee' },
      { type: 'share', ts: now, categoryId: 'cat_tea' },
      { type: 'page_view', ts: now },
    ];
    const { behavior, incs } = tallyBehavior(current, events, shanghaiDay);
    const plain = JSON.parse(JSON.stringify(behavior));
    expect(plain).toEqual({ product_view: { cat_coffee: { [day]: 3 } }, share: { cat_tea: { [day]: 1 } } });
    expect([...incs]).toEqual([
      [`behavior.product_view.cat_coffee.${day}`, 1],
      [`behavior.share.cat_tea.${day}`, 1],
    ]);
    expect(({} as Record<string, unknown>)[day]).toBeUndefined();
  });
});

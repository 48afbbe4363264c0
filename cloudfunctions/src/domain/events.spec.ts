import { MAX_FUTURE_MS, screenEvents } from './events';

const now = 1_800_000_000_000;
const ev = (id: string, p: Record<string, unknown> = {}) => ({ id, type: 'page_view', ts: now, page: 'pages/index/index', ...p });

describe('screenEvents', () => {
  it('accepts valid client events', () => {
    expect(screenEvents([ev('a'), ev('b', { type: 'product_view', productId: 'p_1', categoryId: 'c' })], now).accepted).toHaveLength(2);
  });
  it('rejects server-only and unknown types, future and stale timestamps, duplicates', () => {
    const r = screenEvents([
      ev('1', { type: 'purchase' }), ev('2', { type: 'hack' }), ev('3', { ts: now + MAX_FUTURE_MS + 1 }), ev('4', { ts: now - 10 * 86400000 }),
      ev('5'), ev('5'), ev('6', { type: 'product_view' }),
    ], now);
    expect(r.rejected.map((x) => x.reason)).toEqual(['SERVER_ONLY_TYPE', 'UNKNOWN_TYPE', 'FUTURE_TIMESTAMP', 'TOO_OLD', 'DUPLICATE', 'MISSING_PRODUCT']);
    expect(r.accepted.map((x) => x.id)).toEqual(['5']);
  });
});

import type { Database, Transaction } from 'wx-server-sdk';
import { findById, txGet, withoutId } from './docs';
import { SHAPES } from './test-db-errors';

// A db whose where().limit().get() answers `answer` (or throws it) and records each condition.
function fakeDb(answer: { data: unknown[] } | Error) {
  const wheres: unknown[] = [];
  const db = {
    collection: () => ({
      where: (cond: unknown) => {
        wheres.push(cond);
        return {
          limit: () => ({
            get: async () => {
              if (answer instanceof Error) throw answer;
              return answer;
            },
          }),
        };
      },
    }),
  } as unknown as Database;
  return { db, wheres };
}

const fakeTx = (get: () => Promise<unknown>) =>
  ({ collection: () => ({ doc: () => ({ get }) }) }) as unknown as Transaction;

describe('withoutId', () => {
  it('drops _id (set/update refuse it) and keeps everything else', () => {
    const t = { _id: 't_gold', name: '金卡', level: 2, nested: { _id: 'kept' } };
    expect(withoutId(t)).toEqual({ name: '金卡', level: 2, nested: { _id: 'kept' } });
    expect(Object.prototype.hasOwnProperty.call(withoutId({ _id: undefined, a: 1 }), '_id')).toBe(false);
    expect(t._id).toBe('t_gold');
  });
});

describe('findById', () => {
  it('the document, or null when there is none', async () => {
    expect(await findById(fakeDb({ data: [{ _id: 'a', v: 1 }] }).db, 'c', 'a')).toEqual({ _id: 'a', v: 1 });
    expect(await findById(fakeDb({ data: [] }).db, 'c', 'a')).toBeNull();
  });
  it('a failed read throws: it is never taken for "absent"', async () => {
    const e = SHAPES.timeout();
    await expect(findById(fakeDb(e).db, 'c', 'a')).rejects.toBe(e);
  });
  it('no id: null without sending a where() whose values are all undefined', async () => {
    const { db, wheres } = fakeDb({ data: [{ _id: 'x' }] });
    for (const id of [undefined, null, '']) expect(await findById(db, 'c', id)).toBeNull();
    expect(wheres).toEqual([]);
  });
});

describe('txGet', () => {
  it('the document; null when it does not exist', async () => {
    expect(
      await txGet(
        fakeTx(async () => ({ data: { _id: 'o1' } })),
        'orders',
        'o1',
      ),
    ).toEqual({ _id: 'o1' });
    expect(
      await txGet(
        fakeTx(async () => {
          throw SHAPES.missingDoc();
        }),
        'orders',
        'o1',
      ),
    ).toBeNull();
    expect(
      await txGet(
        fakeTx(async () => ({ data: null })),
        'orders',
        'o1',
      ),
    ).toBeNull();
  });
  it('any other failure propagates (a pay callback must not take it for a missing order)', async () => {
    for (const e of [SHAPES.timeout(), SHAPES.conflictInsideTx()]) {
      await expect(
        txGet(
          fakeTx(async () => {
            throw e;
          }),
          'orders',
          'o1',
        ),
      ).rejects.toBe(e);
    }
  });
});

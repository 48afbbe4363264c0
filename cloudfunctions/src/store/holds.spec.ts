import type { Database } from 'wx-server-sdk';
import { AppError } from '../lib/errors';
import { giveBack, Taken, takeStock, whileHolding } from './holds';
import { SHAPES } from './test-db-errors';

// A db recording conditional updates (answering `updated`) and doc increments; commands are plain objects.
function fakeDb(updated = 1, docUpdate: () => Promise<unknown> = async () => ({ stats: { updated: 1 } })) {
  const log: { op: string; collection: string; arg: unknown; data: unknown }[] = [];
  const db = {
    command: { inc: (n: number) => ({ $inc: n }), gte: (n: number) => ({ $gte: n }) },
    collection: (collection: string) => ({
      where: (cond: unknown) => ({
        update: async (o: { data: unknown }) => {
          log.push({ op: 'where.update', collection, arg: cond, data: o.data });
          return { stats: { updated } };
        },
      }),
      doc: (id: string) => ({
        update: async (o: { data: unknown }) => {
          log.push({ op: 'doc.update', collection, arg: id, data: o.data });
          return docUpdate();
        },
      }),
    }),
  } as unknown as Database;
  return { db, log };
}

const taken: Taken[] = [{ collection: 'skus', id: 's1', giveBack: { stock: 2 } }];

describe('takeStock', () => {
  it('one conditional update: enough stock and the extra condition, with the extra increments', async () => {
    const { db, log } = fakeDb(1);
    const t = await takeStock(db, 'mall_items', 'mi_mug', 1, { onShelf: true }, { redeemed: 1 });
    expect(log).toEqual([
      {
        op: 'where.update',
        collection: 'mall_items',
        arg: { onShelf: true, _id: 'mi_mug', stock: { $gte: 1 } },
        data: { stock: { $inc: -1 }, redeemed: { $inc: 1 } },
      },
    ]);
    expect(t).toEqual({ collection: 'mall_items', id: 'mi_mug', giveBack: { stock: 1, redeemed: -1 } });
  });
  it('null, changing nothing, when short', async () => {
    expect(await takeStock(fakeDb(0).db, 'skus', 's1', 3)).toBeNull();
  });
});

describe('giveBack', () => {
  it('increments each document back and never throws', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { db, log } = fakeDb(1, async () => {
      throw SHAPES.timeout();
    });
    await expect(giveBack(db, taken)).resolves.toBeUndefined();
    expect(log[0]).toMatchObject({ op: 'doc.update', collection: 'skus', arg: 's1', data: { stock: { $inc: 2 } } });
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('whileHolding', () => {
  it('keeps the units when the write succeeds', async () => {
    const { db, log } = fakeDb();
    await expect(
      whileHolding(
        db,
        taken,
        async () => 'ok',
        async () => false,
      ),
    ).resolves.toBe('ok');
    expect(log).toEqual([]);
  });
  it('gives them back when the write failed and did not land', async () => {
    const { db, log } = fakeDb();
    const e = SHAPES.duplicateOnWrite();
    const landed = jest.fn(async () => false);
    await expect(
      whileHolding(
        db,
        taken,
        async () => {
          throw e;
        },
        landed,
      ),
    ).rejects.toBe(e);
    expect(landed).toHaveBeenCalled();
    expect(log).toHaveLength(1);
  });
  it('keeps them when the write landed after all (its answer was lost)', async () => {
    const { db, log } = fakeDb();
    const run = whileHolding(
      db,
      taken,
      async () => {
        throw SHAPES.timeout();
      },
      async () => true,
    );
    await expect(run).rejects.toBeTruthy();
    expect(log).toEqual([]);
  });
  it('a refusal (AppError) never wrote: given back without asking', async () => {
    const { db, log } = fakeDb();
    const landed = jest.fn(async () => true);
    const run = whileHolding(
      db,
      taken,
      async () => {
        throw new AppError('INSUFFICIENT_POINTS');
      },
      landed,
    );
    await expect(run).rejects.toBeInstanceOf(AppError);
    expect(landed).not.toHaveBeenCalled();
    expect(log).toHaveLength(1);
  });
  it('cannot tell (the check failed): keeps them — a unit lost, never one sold twice', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { db, log } = fakeDb();
    const e = SHAPES.timeout();
    const run = whileHolding(
      db,
      taken,
      async () => {
        throw e;
      },
      async () => {
        throw SHAPES.timeout();
      },
    );
    await expect(run).rejects.toBe(e);
    expect(log).toEqual([]);
    spy.mockRestore();
  });
});

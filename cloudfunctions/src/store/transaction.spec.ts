import type { Database, Transaction } from 'wx-server-sdk';
import { AppError } from '../lib/errors';
import { SHAPES } from './test-db-errors';
import { runInTransaction, TxRetryOptions } from './transaction';

// A db whose runTransaction fails with the given errors, one per attempt, then runs the callback.
function fakeDb(failures: unknown[]) {
  const times: (number | undefined)[] = [];
  const db = {
    async runTransaction<T>(fn: (tx: Transaction) => Promise<T>, t?: number): Promise<T> {
      times.push(t);
      if (failures.length) throw failures.shift();
      return fn({} as Transaction);
    },
  };
  return { db, times };
}

const noWait = (): TxRetryOptions => ({ sleep: async () => undefined, random: () => 0.5 });

const CONFLICTS = {
  'raw at commit (code)': SHAPES.conflictAtCommit,
  'wrapped inside the transaction (errCode -501001)': SHAPES.conflictInsideTx,
  'wrapped, naming the code': SHAPES.conflictInsideTxByCode,
  'old local emulator': SHAPES.conflictLocal,
};

describe('runInTransaction', () => {
  beforeAll(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  it.each(Object.entries(CONFLICTS))('retries a conflict %s, then succeeds', async (_name, shape) => {
    const { db, times } = fakeDb([shape(), shape(), shape()]);
    await expect(runInTransaction(db, async () => 'done', noWait())).resolves.toBe('done');
    expect(times).toEqual([0, 0, 0, 0]);
  });

  it('every attempt is exactly one SDK attempt (times = 0)', async () => {
    const { db, times } = fakeDb([]);
    await runInTransaction(db, async () => 1, noWait());
    expect(times).toEqual([0]);
  });

  it.each(Object.entries(CONFLICTS))('exhausts into a clean AppError CONFLICT (%s)', async (_name, shape) => {
    const { db, times } = fakeDb(Array.from({ length: 20 }, () => shape()));
    const e = await runInTransaction(db, async () => 'never', noWait()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('CONFLICT');
    expect((e as AppError).message).toBe('当前参与人数较多，请稍后重试');
    expect(times).toHaveLength(8);
  });

  it.each([
    ['a duplicate key', SHAPES.duplicateOnWrite()],
    ['a duplicate at commit', SHAPES.duplicateAtCommit()],
    ['a timeout', SHAPES.timeout()],
    ['_id in the data', SHAPES.idInData()],
    ['a business refusal', new AppError('SOLD_OUT', '库存不足')],
  ])('never retries %s: it propagates unchanged after one attempt', async (_name, err) => {
    const { db, times } = fakeDb([err]);
    await expect(runInTransaction(db, async () => 'x', noWait())).rejects.toBe(err);
    expect(times).toHaveLength(1);
  });

  it('backs off exponentially with jitter, the total wait capped', async () => {
    const slept: number[] = [];
    const { db } = fakeDb(Array.from({ length: 7 }, SHAPES.conflictInsideTx));
    await runInTransaction(db, async () => 'ok', {
      sleep: async (ms) => {
        slept.push(ms);
      },
      random: () => 0.999,
    });
    expect(slept.slice(0, 4)).toEqual([9, 19, 39, 79]);
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(300);
    const small: number[] = [];
    const again = fakeDb(Array.from({ length: 7 }, SHAPES.conflictInsideTx));
    const opts = {
      sleep: async (ms: number) => {
        small.push(ms);
      },
      random: () => 0.999,
      maxTotalDelayMs: 50,
    };
    await runInTransaction(again.db, async () => 'ok', opts);
    expect(small.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(50);
  });

  it('honours the number of attempts', async () => {
    const { db, times } = fakeDb(Array.from({ length: 5 }, SHAPES.conflictAtCommit));
    const run = runInTransaction(db, async () => 'x', { ...noWait(), attempts: 3 });
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(times).toHaveLength(3);
  });
});

// The premise, checked against the real @cloudbase/database runTransaction over a fake request layer: with
// times = 0 it makes exactly one attempt; it retries a raw commit conflict by itself but never a conflict
// wrapped by wx-server-sdk at a doc operation — which runInTransaction does retry.
describe('over the real @cloudbase/database runTransaction', () => {
  const { Db } = require('@cloudbase/database') as { Db: { reqClass: unknown } };

  const sdkTx = require('@cloudbase/database/dist/commonjs/transaction/index.js') as {
    runTransaction(this: unknown, fn: (tx: unknown) => Promise<unknown>, times?: number): Promise<unknown>;
  };
  let commitFailures: unknown[] = [];
  const sent: string[] = [];
  let saved: unknown;
  beforeAll(() => {
    saved = Db.reqClass;
    Db.reqClass = class {
      async send(api: string) {
        sent.push(api);
        if (api === 'database.startTransaction') return { transactionId: `t${sent.length}` };
        if (api === 'database.commitTransaction') return commitFailures.shift() ?? { requestId: 'ok' };
        return { requestId: 'ok' };
      }
    };
  });
  afterAll(() => {
    Db.reqClass = saved;
  });
  const realDb = { config: {} };
  const asDatabase = {
    runTransaction: (fn: (tx: Transaction) => Promise<unknown>, times?: number) =>
      sdkTx.runTransaction.call(realDb, fn as (tx: unknown) => Promise<unknown>, times),
  } as unknown as Pick<Database, 'runTransaction'>;

  it('times = 0 is exactly one attempt', async () => {
    commitFailures = [SHAPES.conflictAtCommit()];
    let attempts = 0;
    const run = sdkTx.runTransaction.call(
      realDb,
      async () => {
        attempts++;
      },
      0,
    );
    await expect(run).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
    expect(attempts).toBe(1);
  });

  it('the SDK never retries a wrapped conflict, even with times = 3', async () => {
    let attempts = 0;
    const run = sdkTx.runTransaction.call(
      realDb,
      async () => {
        attempts++;
        throw SHAPES.conflictInsideTx();
      },
      3,
    );
    await expect(run).rejects.toMatchObject({ errCode: -501001 });
    expect(attempts).toBe(1);
  });

  it('runInTransaction retries both shapes through it and commits', async () => {
    commitFailures = [SHAPES.conflictAtCommit()];
    let attempts = 0;
    const r = await runInTransaction(
      asDatabase,
      async () => {
        attempts++;
        if (attempts <= 2) throw SHAPES.conflictInsideTx();
        return 'committed';
      },
      noWait(),
    );
    // Two wrapped conflicts inside, one raw conflict at the commit of the third, the fourth commits.
    expect(r).toBe('committed');
    expect(attempts).toBe(4);
  });
});

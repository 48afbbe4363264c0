// The product's own retry around db.runTransaction. The SDK retries only when the error has
// `code === 'DATABASE_TRANSACTION_CONFLICT'` (@cloudbase/database src/transaction/index.ts), but a
// conflict raised at a get/update/add inside the transaction reaches it wrapped by wx-server-sdk as
// `{ errCode: -501001, errMsg }` with no `code` (index.js `maybeTransformError`), and CloudBase fails a
// write that conflicts with another transaction at once — so the SDK's own retry never sees most of them.
// Here every attempt is exactly one SDK attempt, and conflicts of either shape are retried with a jittered
// exponential backoff whose total wait is capped; when attempts run out the caller gets a clean CONFLICT.
import type { Database, Transaction } from 'wx-server-sdk';
import { AppError } from '../lib/errors';
import { isConflict } from './db-errors';

/** Tuning of runInTransaction; the defaults suit a function answering a person. */
export interface TxRetryOptions {
  /** Attempts in all, the first included (default 8). */
  attempts?: number;
  /** The first backoff step in ms, doubled after each conflict (default 10). */
  baseDelayMs?: number;
  /** The most time spent waiting between attempts, in all (default 300 ms). */
  maxTotalDelayMs?: number;
  /** Waits `ms` (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** A uniform number in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` in a transaction, retrying it on conflicts (bounded, jittered, capped); any other error
 * propagates unchanged at once. Exhausted retries throw AppError('CONFLICT').
 */
export async function runInTransaction<T>(
  db: Pick<Database, 'runTransaction'>,
  fn: (tx: Transaction) => Promise<T>,
  opts: TxRetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, Math.floor(opts.attempts ?? 8));
  const base = Math.max(0, opts.baseDelayMs ?? 10);
  const maxTotal = Math.max(0, opts.maxTotalDelayMs ?? 300);
  const sleep = opts.sleep ?? wait;
  const random = opts.random ?? Math.random;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      // times = 0: one attempt only — @cloudbase/database runTransaction rethrows when `times <= 0`.
      return await db.runTransaction(fn, 0);
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (attempt >= attempts) {
        console.warn(`[tx] still conflicting after ${attempts} attempts`, (e as { errMsg?: string })?.errMsg ?? e);
        throw new AppError('CONFLICT');
      }
      // Full jitter over an exponential step, never past the total cap: contenders spread out instead of
      // colliding again in lockstep, and a person never waits more than a few hundred ms for the retries.
      const step = Math.min(base * 2 ** (attempt - 1), maxTotal - waited);
      const delay = Math.max(0, Math.floor(random() * step));
      waited += delay;
      if (delay > 0) await sleep(delay);
    }
  }
}

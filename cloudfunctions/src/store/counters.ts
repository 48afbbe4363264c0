// Capped counters (per-member limits, rate limits, daily caps): never read-then-write.
import type { Database } from 'wx-server-sdk';
import type { CounterCollection, CounterFields } from '../domain/documents';
import { isDuplicateKey } from './db-errors';

/**
 * Takes `n` from the counter `id`, capped at `limit`: the first use inserts it (one write); after that
 * one conditional increment decides. Returns false, changing nothing, when it would pass the cap.
 */
export async function takeFromCounter<C extends CounterCollection>(
  db: Database,
  collection: C,
  id: string,
  fields: CounterFields[C],
  n: number,
  limit: number,
): Promise<boolean> {
  if (n > limit) return false;
  try {
    // The fields are checked against the collection by the signature; TypeScript cannot follow `C` into add().
    await db.collection<string>(collection).add({ data: { _id: id, ...fields, count: n } });
    return true;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  const r = await db
    .collection(collection)
    .where({ _id: id, count: db.command.lte(limit - n) })
    .update({ data: { count: db.command.inc(n) } });
  return r.stats.updated === 1;
}

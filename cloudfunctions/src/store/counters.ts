// Capped counters (per-member limits, rate limits, daily caps): never read-then-write.
import type { Database } from 'wx-server-sdk';
import { isDuplicateKey } from './db-errors';

/**
 * Takes `n` from the counter `id`, capped at `limit`: the first use inserts it (one write); after that
 * one conditional increment decides. Returns false, changing nothing, when it would pass the cap.
 */
export async function takeFromCounter(
  db: Database,
  collection: string,
  id: string,
  fields: Record<string, unknown>,
  n: number,
  limit: number,
): Promise<boolean> {
  if (n > limit) return false;
  try {
    await db.collection(collection).add({ data: { _id: id, ...fields, count: n } });
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

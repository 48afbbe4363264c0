// Operator-editable configuration documents (collection `config`, one doc per key), cached briefly
// in the warm function instance so hot paths like check-in do not pay a read per call.
import type { Database } from 'wx-server-sdk';

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; value: unknown }>();

/** The config value under `key`, or `fallback` if the operator has not set it. */
export async function getConfig<T>(db: Database, key: string, fallback: T, now: number, maxAgeMs = TTL_MS): Promise<T> {
  const hit = cache.get(key);
  if (hit && now - hit.at < maxAgeMs) return hit.value as T;
  const { data } = await db.collection('config').where({ _id: key }).limit(1).get();
  const value = data[0] ? ({ ...fallback, ...(data[0].value as object) } as T) : fallback;
  cache.set(key, { at: now, value });
  return value;
}

/** Saves a config value (operator action) and refreshes this instance's cache. */
export async function setConfig<T>(db: Database, key: string, value: T, now: number, by: string): Promise<void> {
  await db
    .collection('config')
    .doc(key)
    .set({ data: { value, updatedAt: now, updatedBy: by } });
  cache.set(key, { at: now, value });
}

// Small document helpers that keep every call inside what the real SDK accepts.
import type { Database, DocOf, Transaction } from 'wx-server-sdk';
import { isMissingDoc } from './db-errors';

/**
 * `data` without `_id`, for set() and update(): @cloudbase/database refuses data that has an `_id` key
 * ("不能更新_id的值", src/document.ts set/update and src/query.ts update) before sending anything.
 */
export function withoutId<T extends object>(data: T): Omit<T, '_id'> {
  const { _id: _omit, ...rest } = data as T & { _id?: unknown };
  return rest;
}

/**
 * The document `id` of `collection`, or null when there is none. A failed read throws: it is never taken
 * for "absent". No id means no document: where() refuses a condition whose values are all undefined
 * (@cloudbase/database src/query.ts `where`), so none is sent.
 */
export async function findById<N extends string>(
  db: Database,
  collection: N,
  id: string | null | undefined,
): Promise<DocOf<N> | null> {
  if (typeof id !== 'string' || !id) return null;
  const { data } = await db.collection(collection).where({ _id: id }).limit(1).get();
  return data[0] ?? null;
}

/**
 * A document read inside a transaction, or null when it does not exist. A transaction reads by doc id only;
 * wx-server-sdk throws on a missing document (see isMissingDoc), and any other failure propagates.
 */
export async function txGet<N extends string>(tx: Transaction, collection: N, id: string): Promise<DocOf<N> | null> {
  try {
    return (await tx.collection(collection).doc(id).get()).data ?? null;
  } catch (e) {
    if (isMissingDoc(e)) return null;
    throw e;
  }
}

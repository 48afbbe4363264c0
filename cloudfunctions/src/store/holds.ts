// Stock and counters taken OUTSIDE a transaction. A hot document (a SKU everyone buys, a popular mall
// item) written inside member transactions makes every one of them conflict with every other; CloudBase
// fails such a write at once, so they would only retry into each other. Instead each unit is taken with one
// conditional update (never read-then-write, never below zero), the member's transaction runs alone, and
// when it fails the units go back — unless it did land after all (an answer lost after the commit), which
// the caller tells from a hold id it wrote into the transaction's own document.
import type { Database } from 'wx-server-sdk';
import { AppError } from '../lib/errors';

/** Something taken outside a transaction, and the increments that give it back. */
export interface Taken {
  collection: string;
  id: string;
  giveBack: Record<string, number>;
}

/** A fresh id naming one attempt's holds (stored on the document its transaction writes). */
export const newHoldId = (): string => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/**
 * Takes `n` units of `stock` from `collection/id` if at least `n` are left and `when` matches (one
 * conditional update); `also` are increments made with it (e.g. a sold counter). Null, changing nothing, if not.
 */
export async function takeStock(
  db: Database,
  collection: string,
  id: string,
  n: number,
  when: Record<string, unknown> = {},
  also: Record<string, number> = {},
): Promise<Taken | null> {
  const _ = db.command;
  const incs = Object.fromEntries(Object.entries(also).map(([k, v]) => [k, _.inc(v)]));
  const r = await db
    .collection(collection)
    .where({ ...when, _id: id, stock: _.gte(n) })
    .update({ data: { stock: _.inc(-n), ...incs } });
  if (!r.stats.updated) return null;
  const undo = Object.fromEntries(Object.entries(also).map(([k, v]) => [k, -v]));
  return { collection, id, giveBack: { stock: n, ...undo } };
}

/** Gives taken units back (one increment each). Never throws: a unit that cannot go back is logged, not resold. */
export async function giveBack(db: Database, taken: Taken[]): Promise<void> {
  const _ = db.command;
  await Promise.all(
    taken.map(async (t) => {
      try {
        const data = Object.fromEntries(Object.entries(t.giveBack).map(([k, v]) => [k, _.inc(v)]));
        await db.collection(t.collection).doc(t.id).update({ data });
      } catch (e) {
        console.error('[holds] could not give back', t.collection, t.id, t.giveBack, e);
      }
    }),
  );
}

/**
 * Runs `write` (the transaction) while `taken` is held. When it fails the units go back, unless `landed()`
 * says it took effect anyway; an AppError is a refusal that never wrote, so it is not asked. If `landed()`
 * itself fails the units stay taken (a unit lost, never one sold twice). The original error propagates.
 */
export async function whileHolding<T>(
  db: Database,
  taken: Taken[],
  write: () => Promise<T>,
  landed: () => Promise<boolean>,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    let keep = false;
    if (!(e instanceof AppError) && taken.length) {
      try {
        keep = await landed();
      } catch (err) {
        console.error('[holds] cannot tell whether the write landed; keeping the units', err);
        keep = true;
      }
    }
    if (!keep) await giveBack(db, taken);
    throw e;
  }
}

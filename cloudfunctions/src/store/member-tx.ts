// Changes to a member's points and stored value happen in one transaction with their ledger
// entries: the ledger id is `<memberId>:<source>:<refId>`, so the same reference never applies
// twice, and every entry records the balance after it (the ledger always sums to the balance).
import type { Database, Transaction } from 'wx-server-sdk';
import { bucketTotal, ledgerId, LedgerSource, PointsBuckets } from '../domain/points';
import type { MemberDoc } from '../domain/member-doc';
import { AppError } from '../lib/errors';
import { isDuplicateKey } from './db-errors';
import { withoutId } from './docs';
import { runInTransaction } from './transaction';

/** A points change: the member's new buckets and the ledger entry that explains it. */
export interface PointsChange {
  buckets: PointsBuckets;
  source: LedgerSource;
  refId: string;
  title: string;
  expireAt?: number | null;
}
/** A stored-value change in fen. */
export interface BalanceChange {
  delta: number;
  source: LedgerSource;
  refId: string;
  title: string;
}

/** What a decision inside a member transaction returns. */
export interface MemberTxPlan<T> {
  points?: PointsChange;
  balance?: BalanceChange;
  patch?: Record<string, unknown>;
  result: T;
}

/** Ledger collection names. */
export const LEDGERS = { points: 'points_ledger', balance: 'balance_ledger' } as const;

/** Thrown inside a transaction when the reference was applied before (idempotent replays). */
export class AlreadyApplied extends Error {}

/**
 * Reads the member inside a transaction, lets `decide` plan the change (it may also write other
 * single documents through `tx`), then writes ledger entries and the member. Conflicts are retried by
 * runInTransaction; a ledger id that exists already (the reference was applied) throws AlreadyApplied.
 * A member merged into another (ONE ID) is followed to the survivor inside the transaction, so a change
 * that started before the merge (a payment, a check-in in flight) lands on the survivor, never on the
 * emptied member.
 */
export async function memberTransaction<T>(
  db: Database,
  memberId: string,
  now: number,
  decide: (member: MemberDoc, tx: Transaction) => Promise<MemberTxPlan<T>>,
): Promise<T> {
  try {
    return await runInTransaction(db, async (tx) => {
      let { data: m } = await tx.collection('members').doc(memberId).get();
      for (let hops = 0; m?.mergedInto && hops < 3; hops++)
        m = (await tx.collection('members').doc(String(m.mergedInto)).get()).data;
      const id = String(m._id);
      const plan = await decide(m, tx);
      const update: Record<string, unknown> = { ...(plan.patch ?? {}) };
      // A zero change writes nothing: the ledger only holds real movements.
      if (plan.points && bucketTotal(plan.points.buckets) !== Number(m.points ?? 0)) {
        const before = Number(m.points ?? 0);
        const after = bucketTotal(plan.points.buckets);
        if (after < 0) throw new AppError('INSUFFICIENT_POINTS');
        await tx.collection(LEDGERS.points).add({
          data: {
            _id: ledgerId(id, plan.points.source, plan.points.refId),
            memberId: id,
            delta: after - before,
            balanceAfter: after,
            source: plan.points.source,
            refId: plan.points.refId,
            title: plan.points.title,
            createdAt: now,
            expireAt: plan.points.expireAt ?? null,
          },
        });
        update.points = after;
        update.pointsBuckets = db.command.set(plan.points.buckets);
      }
      if (plan.balance) {
        const after = Number(m.balance ?? 0) + plan.balance.delta;
        if (!Number.isSafeInteger(after) || after < 0) throw new AppError('INSUFFICIENT_BALANCE');
        await tx.collection(LEDGERS.balance).add({
          data: {
            _id: ledgerId(id, plan.balance.source, plan.balance.refId),
            memberId: id,
            delta: plan.balance.delta,
            balanceAfter: after,
            source: plan.balance.source,
            refId: plan.balance.refId,
            title: plan.balance.title,
            createdAt: now,
          },
        });
        update.balance = after;
      }
      if (Object.keys(update).length)
        await tx
          .collection('members')
          .doc(id)
          .update({ data: withoutId(update) });
      return plan.result;
    });
  } catch (e) {
    if (isDuplicateKey(e)) throw new AlreadyApplied(String((e as Error).message));
    throw e;
  }
}

// ONE ID merge of a member into the earlier member who owns the same phone. One transaction moves what lives
// on the two member documents (domain/merge.ts) and the merged member's per-member limit counters, with ledger
// entries on both sides; then the documents that name the member (coupons, orders, redemptions, top-ups,
// check-ins, notes, visits, events, identities, referrals) are re-pointed. Every step is idempotent, so a
// repeated merge finishes what an interrupted one left, and concurrent merges serialise on the member documents.
import type { Database, Doc, Transaction } from 'wx-server-sdk';
import { planMerge } from '../domain/merge';
import { REFERRAL_STATUS } from '../domain/referrals';
import { LEDGER_TITLE, ledgerId, LedgerSource } from '../domain/points';
import type { TagSubject } from '../domain/tags';
import { isDuplicateKey } from './db-errors';
import { txGet, withoutId } from './docs';
import { allTags, loadCrmModel, tagContext } from './intelligence';
import { LEDGERS } from './member-tx';
import { bindIdentity, loadTiers } from './members';
import { runInTransaction } from './transaction';

/** Documents that belong to one member through `memberId` and simply follow the merge. */
const FOLLOWERS = ['member_coupons', 'orders', 'redemptions', 'sv_orders', 'customer_notes', 'store_visits', 'events'];

/** Per-member limit counters (how many a member took of an item, a flash sale, a coupon) and their ids. */
const COUNTERS: Record<string, (c: Doc, memberId: string) => string> = {
  mall_counters: (c, m) => `${m}:${c.itemId}`,
  flash_counters: (c, m) => `${c.saleId}:${m}`,
  coupon_counters: (c, m) => `${c.templateId}:${m}`,
};

// Objects and arrays replace the stored value (an update would otherwise merge into it field by field).
function replacing(db: Database, patch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(withoutId(patch)).map(([k, v]) => [k, v !== null && typeof v === 'object' ? db.command.set(v) : v]),
  );
}

// The member `id` leads to once merges are followed (null if missing).
async function survivorIn(tx: Transaction, id: string): Promise<Doc | null> {
  let m = await txGet(tx, 'members', id);
  for (let hops = 0; m?.mergedInto && hops < 3; hops++) m = await txGet(tx, 'members', String(m.mergedInto));
  return m;
}

// Adds the merged member's counts to the survivor's counters and empties its own, inside the merge.
async function moveCounters(
  tx: Transaction,
  db: Database,
  counters: Record<string, Doc[]>,
  toId: string,
): Promise<void> {
  for (const [collection, idOf] of Object.entries(COUNTERS)) {
    for (const c of counters[collection] ?? []) {
      const mine = await txGet(tx, collection, String(c._id));
      const n = Number(mine?.count ?? 0);
      if (!mine || n <= 0) continue;
      const target = idOf(mine, toId);
      const theirs = await txGet(tx, collection, target);
      if (theirs)
        await tx
          .collection(collection)
          .doc(target)
          .update({ data: { count: db.command.inc(n) } });
      else await tx.collection(collection).add({ data: { ...withoutId(mine), _id: target, memberId: toId, count: n } });
      await tx
        .collection(collection)
        .doc(String(c._id))
        .update({ data: { count: 0, mergedInto: toId } });
    }
  }
}

/** Merges member `fromId` into `toId` (followed to its survivor); returns the survivor's id. */
export async function mergeMembers(
  db: Database,
  fromId: string,
  toId: string,
  openid: string,
  now: number,
): Promise<string> {
  await bindIdentity(db, `openid:${openid}`, toId, now);
  const [tiers, crm, ...lists] = await Promise.all([
    loadTiers(db),
    loadCrmModel(db, now),
    ...Object.keys(COUNTERS).map((c) => db.collection(c).where({ memberId: fromId }).limit(1000).get()),
  ]);
  const counters = Object.fromEntries(Object.keys(COUNTERS).map((c, i) => [c, (lists[i] as { data: Doc[] }).data]));
  const survivor = await runInTransaction(db, async (tx) => {
    const from = await txGet(tx, 'members', fromId);
    if (!from) return toId;
    if (from.mergedInto) return String(from.mergedInto);
    const to = await survivorIn(tx, toId);
    if (!to || to._id === fromId) return toId;
    const target = String(to._id);
    const plan = planMerge(from, to, now, tiers);
    const tags = allTags(
      { ...to, ...plan.to } as TagSubject & { manualTags?: { tag: string }[] },
      tagContext(crm, now),
    );
    const entry = (col: string, memberId: string, source: LedgerSource, refId: string, delta: number, after: number) =>
      tx.collection(col).add({
        data: {
          _id: ledgerId(memberId, source, refId),
          memberId,
          delta,
          balanceAfter: after,
          source,
          refId,
          title: LEDGER_TITLE.merge,
          createdAt: now,
        },
      });
    if (plan.points) {
      await entry(LEDGERS.points, fromId, 'merge_out', target, -plan.points, 0);
      await entry(LEDGERS.points, target, 'merge_in', fromId, plan.points, Number(plan.to.points));
    }
    if (plan.balance) {
      await entry(LEDGERS.balance, fromId, 'merge_out', target, -plan.balance, 0);
      await entry(LEDGERS.balance, target, 'merge_in', fromId, plan.balance, Number(plan.to.balance));
    }
    await moveCounters(tx, db, counters, target);
    await tx
      .collection('members')
      .doc(fromId)
      .update({ data: replacing(db, { ...plan.from, updatedAt: now }) });
    await tx
      .collection('members')
      .doc(target)
      .update({ data: replacing(db, { ...plan.to, tags, updatedAt: now }) });
    return target;
  });
  await repoint(db, fromId, survivor, now);
  return survivor;
}

// Re-points every document naming the merged member to the survivor (idempotent: run again on a repeat).
async function repoint(db: Database, fromId: string, toId: string, now: number): Promise<void> {
  const _ = db.command;
  await Promise.all(
    FOLLOWERS.map((c) =>
      db
        .collection(c)
        .where({ memberId: fromId })
        .update({ data: { memberId: toId, mergedFrom: fromId } }),
    ),
  );
  await db
    .collection('identities')
    .where({ memberId: fromId })
    .update({ data: { memberId: toId } });
  // Friends this member invited are now the survivor's; an invite this member came with never pays: not a new person.
  await db
    .collection('referrals')
    .where({ inviterId: fromId })
    .update({ data: { inviterId: toId } });
  await db
    .collection('referrals')
    .where({ _id: fromId, status: _.in([REFERRAL_STATUS.pending, REFERRAL_STATUS.qualifying]) })
    .update({ data: { status: REFERRAL_STATUS.void, voidedAt: now, mergedInto: toId } });
  // Check-ins are unique per member and day: a day both checked in stays with the merged member as history.
  for (let attempt = 0; attempt < 3; attempt++) {
    const { data } = await db.collection('checkins').where({ memberId: toId }).field({ day: true }).limit(1000).get();
    try {
      await db
        .collection('checkins')
        .where({ memberId: fromId, day: _.nin(data.map((d) => String(d.day))) })
        .update({ data: { memberId: toId, mergedFrom: fromId } });
      return;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
}

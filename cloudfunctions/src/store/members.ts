// Members and ONE ID: one member per person across OPENIDs, unionid and phone.
// members.openid is the member's first OPENID (unique index); later OPENIDs, the unionid and the
// phone are bound in `identities` (keyed `openid:…`, `unionid:…`, `phone:…`, unique by _id).
import type { Database } from 'wx-server-sdk';
import { JoinSource } from '../domain/join-source';
import { MemberDoc, newMemberDoc } from '../domain/member-doc';
import { DEFAULT_TIERS, Tier } from '../domain/tiers';
import { AppError } from '../lib/errors';
import { isDuplicateKey } from './db-errors';

async function byId(db: Database, id: string): Promise<MemberDoc | null> {
  const { data } = await db.collection('members').where({ _id: id }).limit(1).get();
  return data[0] ?? null;
}

// Follows a merge: a member merged into another answers as the survivor.
async function survivor(db: Database, m: MemberDoc | null): Promise<MemberDoc | null> {
  let cur = m;
  for (let hops = 0; cur?.mergedInto && hops < 3; hops++) cur = await byId(db, String(cur.mergedInto));
  return cur;
}

/** The member for an OPENID (following ONE ID bindings and merges), or null. */
export async function findMemberByOpenid(db: Database, openid: string): Promise<MemberDoc | null> {
  const { data } = await db.collection('members').where({ openid }).limit(1).get();
  if (data[0]) return survivor(db, data[0]);
  const { data: ids } = await db
    .collection('identities')
    .where({ _id: `openid:${openid}` })
    .limit(1)
    .get();
  return ids[0] ? survivor(db, await byId(db, String(ids[0].memberId))) : null;
}

/** The caller's member, created on the first call; concurrent first calls still create one. */
export async function resolveMember(
  db: Database,
  openid: string,
  unionid: string,
  now: number,
  source: () => Promise<JoinSource>,
  staffAccount = false,
): Promise<MemberDoc & { created?: boolean }> {
  const found = await findMemberByOpenid(db, openid);
  if (found) return found;
  // Same person through another app of the brand (same unionid): bind this OPENID to that member.
  if (unionid) {
    const { data } = await db
      .collection('identities')
      .where({ _id: `unionid:${unionid}` })
      .limit(1)
      .get();
    const target = data[0] ? await survivor(db, await byId(db, String(data[0].memberId))) : null;
    if (target) {
      await bindIdentity(db, `openid:${openid}`, target._id, now);
      return target;
    }
  }
  // A staff member's own account is flagged so dashboards and segments count customers only.
  const doc = newMemberDoc(openid, now, await source(), staffAccount);
  try {
    const { _id } = await db.collection('members').add({ data: doc });
    if (unionid) await bindIdentity(db, `unionid:${unionid}`, _id, now);
    return { _id, ...doc, created: true };
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const again = await findMemberByOpenid(db, openid);
    if (!again) throw e;
    return again;
  }
}

/** Binds an identity key to a member; an existing binding to another member is left alone. */
export async function bindIdentity(db: Database, key: string, memberId: string, now: number): Promise<string> {
  try {
    await db.collection('identities').add({ data: { _id: key, memberId, createdAt: now } });
    return memberId;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const { data } = await db.collection('identities').where({ _id: key }).limit(1).get();
    return String(data[0]?.memberId ?? memberId);
  }
}

/** The caller's member or NOT_FOUND (for actions that must not create one). */
export async function requireMember(db: Database, openid: string): Promise<MemberDoc> {
  const m = await findMemberByOpenid(db, openid);
  if (!m) throw new AppError('MEMBER_NOT_FOUND', '请先注册成为会员');
  return m;
}

let tierCache: { at: number; tiers: Tier[] } | null = null;

/** The brand's tier ladder (defaults if none configured), cached 30 s in a warm instance. */
export async function loadTiers(db: Database, now = Date.now()): Promise<Tier[]> {
  if (tierCache && now - tierCache.at < 30_000) return tierCache.tiers;
  const { data } = await db.collection('tiers').limit(20).get();
  const tiers = data.length ? data : DEFAULT_TIERS;
  tierCache = { at: now, tiers };
  return tiers;
}

/** Forgets cached tiers (after an operator saves them). */
export function forgetTiers(): void {
  tierCache = null;
}

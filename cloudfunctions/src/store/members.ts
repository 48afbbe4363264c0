// Members collection: one member per OPENID (unique index members.openid_unique).
import type { Database, Doc } from 'wx-server-sdk';
import { DEFAULT_TIERS, Tier } from '../domain/tiers';

/** True if a write failed on a unique index. */
export const isDuplicateKey = (e: unknown): boolean => /duplicate key/i.test(String((e as { errMsg?: string })?.errMsg ?? (e as Error)?.message ?? ''));

/** The member for an OPENID, or null. */
export async function findMemberByOpenid(db: Database, openid: string): Promise<Doc | null> {
  const { data } = await db.collection('members').where({ openid }).limit(1).get();
  return data[0] ?? null;
}

/** Returns the caller's member, creating it on first call; concurrent first calls create one. */
export async function ensureMember(db: Database, openid: string, now: number, source: Record<string, unknown> = { channel: 'direct' }): Promise<Doc> {
  const found = await findMemberByOpenid(db, openid);
  if (found) return found;
  const doc = {
    openid, nickname: '微信用户', tierId: 't_normal', growth: 0, points: 0, balance: 0, joinedAt: now, source,
    storeId: (source.storeId as string) ?? null, guideId: (source.guideId as string) ?? null,
    stats: { orderCount: 0, paidTotal: 0, firstOrderAt: null, lastOrderAt: null, categoryIds: [] }, tags: [],
  };
  try {
    const { _id } = await db.collection('members').add({ data: doc });
    return { _id, ...doc };
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const again = await findMemberByOpenid(db, openid);
    if (!again) throw e;
    return again;
  }
}

/** The brand's tier ladder (defaults if none configured). */
export async function loadTiers(db: Database): Promise<Tier[]> {
  const { data } = await db.collection('tiers').limit(20).get();
  return data.length ? (data as unknown as Tier[]) : DEFAULT_TIERS;
}

// Short codes for wxacode scenes, stored uniquely: `scene_codes/<code>` = { kind, ref }. The code is derived
// from the id (domain/scene.ts), so concurrent first uses insert the same document and agree; a code taken
// by another id (a hash collision) moves on to the next attempt.
import type { Database } from 'wx-server-sdk';
import type { JoinSource } from '../domain/join-source';
import { isShortCode, SceneKind, shortCodeFor } from '../domain/scene';
import { isDuplicateKey } from './db-errors';
import { findById } from './docs';

const COLLECTION = 'scene_codes';
const ATTEMPTS = 5;

/** The short code that stands for `ref` of `kind` in scenes, created on first use. */
export async function sceneCodeFor(db: Database, kind: SceneKind, ref: string, now: number): Promise<string> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const code = shortCodeFor(kind, ref, attempt);
    const mine = (d: Record<string, unknown> | null) => d?.kind === kind && d?.ref === ref;
    const found = await findById(db, COLLECTION, code);
    if (found) {
      if (mine(found)) return code;
      continue;
    }
    try {
      await db.collection(COLLECTION).add({ data: { _id: code, kind, ref, createdAt: now } });
      return code;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      if (mine(await findById(db, COLLECTION, code))) return code;
    }
  }
  throw new Error(`no free scene code for ${kind}`);
}

/** The id a scene value stands for: a stored code of `kind`, else the value itself (links made before codes). */
export async function resolveSceneRef(db: Database, kind: SceneKind, value: string): Promise<string> {
  if (!isShortCode(value)) return value;
  const d = await findById(db, COLLECTION, value);
  return d && d.kind === kind ? String(d.ref) : value;
}

/** A join source with its guide and inviter codes resolved to ids (still to be checked against the database). */
export async function resolveJoinSource(db: Database, src: JoinSource): Promise<JoinSource> {
  const [guideId, inviterId] = await Promise.all([
    src.guideId ? resolveSceneRef(db, 'guide', src.guideId) : undefined,
    src.inviterId ? resolveSceneRef(db, 'invite', src.inviterId) : undefined,
  ]);
  return { ...src, ...(guideId ? { guideId } : {}), ...(inviterId ? { inviterId } : {}) };
}

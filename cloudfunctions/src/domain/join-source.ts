// Where a new member came from, read from the launch scene and query (ONE ID source tag).
import { dict, isSafeKey } from './safe-keys';

/** The channel a member joined through. */
export type Channel = 'store' | 'guide' | 'referral' | 'ad' | 'official_account' | 'share' | 'search' | 'direct';

/** The recorded join source; ids are checked against the database by the handler. */
export interface JoinSource {
  channel: Channel;
  scene: number | null;
  storeId?: string;
  guideId?: string;
  inviterId?: string;
  campaign?: string;
}

// WeChat launch scene values that say how the user arrived.
const OFFICIAL_ACCOUNT_SCENES = new Set([1020, 1035, 1043, 1058, 1074, 1082, 1091, 1102]);
const SHARE_SCENES = new Set([1007, 1008, 1036, 1044]);
const SEARCH_SCENES = new Set([1005, 1006, 1027, 1053]);
const AD_SCENES = new Set([1045, 1046, 1067, 1068, 1084, 1095]);

/** Parses a wxacode scene like 'g=guide_1&s=store_1' or 'i=m_12' into query params. */
export function parseScene(scene: unknown): Record<string, string> {
  if (typeof scene !== 'string' || scene.length > 64) return {};
  let text = scene;
  try {
    text = decodeURIComponent(scene);
  } catch {
    /* keep raw */
  }
  // Keys come from a shared link: prototype-free and safe keys only.
  const out = dict<string>();
  for (const pair of text.split('&')) {
    const [k, v] = pair.split('=');
    if (isSafeKey(k) && v && /^[A-Za-z0-9_-]{1,40}$/.test(v)) out[k] = v;
  }
  return out;
}

/** The join source from launch options (scene number + page query). */
export function joinSourceFrom(launch: { scene?: number; query?: Record<string, unknown> } | undefined): JoinSource {
  const scene = typeof launch?.scene === 'number' ? launch.scene : null;
  const q = dict<string>();
  for (const [k, v] of Object.entries(launch?.query ?? {})) {
    if (isSafeKey(k) && typeof v === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(v)) q[k] = v;
  }
  Object.assign(q, parseScene(launch?.query?.scene));
  const guideId = q.g ?? q.guide;
  const storeId = q.s ?? q.store;
  const inviterId = q.i ?? q.inviter;
  if (guideId) return { channel: 'guide', scene, guideId, ...(storeId ? { storeId } : {}) };
  if (storeId) return { channel: 'store', scene, storeId };
  if (inviterId) return { channel: 'referral', scene, inviterId };
  if (q.utm || q.ad || (scene !== null && AD_SCENES.has(scene)))
    return { channel: 'ad', scene, ...(q.utm || q.ad ? { campaign: q.utm ?? q.ad } : {}) };
  if (scene !== null && OFFICIAL_ACCOUNT_SCENES.has(scene)) return { channel: 'official_account', scene };
  if (scene !== null && SHARE_SCENES.has(scene)) return { channel: 'share', scene };
  if (scene !== null && SEARCH_SCENES.has(scene)) return { channel: 'search', scene };
  return { channel: 'direct', scene };
}

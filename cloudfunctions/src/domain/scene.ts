// wxacode scenes (wxacode.getUnlimited): at most 32 visible characters of WeChat's set. Ids do not fit
// (a CloudBase id is 32 hex characters, an OPENID 28 or more), so a scene carries a short code that the
// server maps back to the id; the code is derived from the id, so concurrent first uses agree on it.
import { createHash } from 'crypto';

/** WeChat's limit on a scene's length. */
export const SCENE_MAX = 32;
/** What a short code stands for: a member's invite, a guide's own code. */
export type SceneKind = 'invite' | 'guide';
/** Length of a short code (62^10 ≈ 8·10^17 codes). */
export const SHORT_CODE_LENGTH = 10;

const SCENE_RE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** True if `s` is a scene WeChat accepts (1–32 characters of its set). */
export const isValidScene = (s: string): boolean => s.length >= 1 && s.length <= SCENE_MAX && SCENE_RE.test(s);

/** Joins `k=v` pairs into a scene; throws when the result would be refused by WeChat (error 40169). */
export function buildScene(params: Record<string, string>): string {
  const scene = Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  if (!isValidScene(scene)) throw new RangeError(`scene does not fit WeChat's rule: ${scene.length} chars`);
  return scene;
}

/** The short code for `ref` of `kind`; `attempt` > 0 gives another code if this one is taken by another id. */
export function shortCodeFor(kind: SceneKind, ref: string, attempt = 0): string {
  const digest = createHash('sha256').update(`${kind}\u0000${ref}\u0000${attempt}`).digest();
  let out = '';
  for (const byte of digest.subarray(0, SHORT_CODE_LENGTH)) out += BASE62.charAt(byte % 62);
  return out;
}

/** True if `s` has the shape of a short code (anything else in a scene is an id from before codes). */
export const isShortCode = (s: string): boolean => new RegExp(`^[0-9A-Za-z]{${SHORT_CODE_LENGTH}}$`).test(s);

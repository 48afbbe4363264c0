// The member code a guide scans: `<memberId>.<expiresAt base36>.<HMAC>` signed with a server
// secret, valid for 60 seconds. Forged or expired codes are refused with a clear code.
import { createHmac, timingSafeEqual } from 'crypto';

/** How long a member code is valid. */
export const MEMBER_CODE_TTL_MS = 60_000;

const sign = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);

/** Issues a code for `memberId` at `now`. */
export function issueMemberCode(memberId: string, now: number, secret: string): { code: string; expiresAt: number } {
  if (!secret) throw new Error('member code secret missing');
  const expiresAt = now + MEMBER_CODE_TTL_MS;
  const payload = `${memberId}.${expiresAt.toString(36)}`;
  return { code: `${payload}.${sign(payload, secret)}`, expiresAt };
}

/** Checks a scanned code at `now`. */
export function verifyMemberCode(
  code: unknown,
  now: number,
  secret: string,
):
  | { ok: true; memberId: string; expiresAt: number }
  | { ok: false; code: 'MEMBER_CODE_INVALID' | 'MEMBER_CODE_EXPIRED' } {
  if (typeof code !== 'string' || code.length > 200) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const [memberId, exp36, sig, ...extra] = code.split('.');
  if (!memberId || exp36 === undefined || sig === undefined || extra.length)
    return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const expected = Buffer.from(sign(`${memberId}.${exp36}`, secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const expiresAt = parseInt(exp36, 36);
  if (!Number.isFinite(expiresAt) || now > expiresAt) return { ok: false, code: 'MEMBER_CODE_EXPIRED' };
  return { ok: true, memberId, expiresAt };
}

/** The id that marks one issued code as used up by a recorded purchase (scanning to identify never uses it). */
export const memberCodeUseId = (memberId: string, expiresAt: number): string => `${memberId}.${expiresAt.toString(36)}`;

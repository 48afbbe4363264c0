// Server secrets come from the function's environment variables (set in the CloudBase console).
import * as cloud from 'wx-server-sdk';
import { AppError } from './errors';

/** The local cloud's built-in secret (never accepted outside ENV=local). */
export const LOCAL_ONLY_SECRET = 'local-cloud-member-code-secret';

/** The HMAC secret for member codes; only the local cloud may fall back to a built-in one. */
export function memberCodeSecret(): string {
  const s = process.env.MEMBER_CODE_SECRET;
  if (s && s.length >= 16) return s;
  if (cloud.getWXContext().ENV === 'local') return LOCAL_ONLY_SECRET;
  console.error('MEMBER_CODE_SECRET is not configured');
  throw new AppError('INTERNAL');
}

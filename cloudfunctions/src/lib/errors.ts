// One error type with a closed set of codes (domain/error-codes.ts); every function answers in one envelope.
import { ErrorCode, errorText } from '../domain/error-codes';

export type { ErrorCode };

/** The answer of every function. */
export type Envelope<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string; details?: string[] } };

/** An expected failure carried to the envelope: code + Chinese message for the consumer. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: string[],
  ) {
    super(message ?? errorText(code));
  }
}

/** A success envelope. */
export const ok = <T>(data: T): Envelope<T> => ({ ok: true, data });
/** A failure envelope. */
export const fail = (code: ErrorCode, message?: string, details?: string[]): Envelope<never> => ({
  ok: false,
  error: {
    code,
    message: message ?? errorText(code),
    ...(details ? { details } : {}),
  },
});

// One error type with a closed set of codes; every function answers in one envelope.

/** Codes a client may see. Stable: clients and tests switch on them. */
export const ERROR_MESSAGES = {
  INVALID_ARGUMENT: '参数有误',
  UNKNOWN_ACTION: '不支持的操作',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '数据不存在',
  // A transaction that kept conflicting with others (store/transaction.ts): a busy moment, worth retrying.
  CONFLICT: '当前参与人数较多，请稍后重试',
  INTERNAL: '服务繁忙，请稍后再试',
} as const;

/** A stable error code. Domain refusals add their own (e.g. ALREADY_CHECKED_IN). */
export type ErrorCode = keyof typeof ERROR_MESSAGES | (string & {});

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
    super(message ?? (ERROR_MESSAGES as Record<string, string>)[code] ?? ERROR_MESSAGES.INTERNAL);
  }
}

/** A success envelope. */
export const ok = <T>(data: T): Envelope<T> => ({ ok: true, data });
/** A failure envelope. */
export const fail = (code: ErrorCode, message?: string, details?: string[]): Envelope<never> => ({
  ok: false,
  error: {
    code,
    message: message ?? (ERROR_MESSAGES as Record<string, string>)[code] ?? ERROR_MESSAGES.INTERNAL,
    ...(details ? { details } : {}),
  },
});

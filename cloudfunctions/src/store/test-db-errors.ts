// Test fixtures (specs only): database failures exactly as the real SDK delivers them, for the specs of
// db-errors, docs and transaction. Built the way wx-server-sdk 4.0.2 builds them (index.js: `maybeTransformError`,
// `checkError` map the server's code through TCB_ERR_CODE; `toSDKError` makes the Error), and as
// @cloudbase/database 1.4 throws a transaction's commit failure raw (src/transaction/index.ts).

/** wx-server-sdk's ERR_CODE texts for the codes used here (index.js, config/error.config). */
const ERR_TEXT: Record<number, string> = {
  [-1]: '',
  [-501001]: 'resource system error',
  [-501002]: 'resource server timeout',
  [-501007]: 'invalid parameters',
  [-502001]: 'database request fail',
};

/** An SDK error: an Error with the mapped code and its whole message. */
export type SdkError = Error & { errCode: number; errMsg: string };

/** An Error as wx-server-sdk's toSDKError makes it from `{ errCode, errMsg }` at api `api`. */
export function sdkError(api: string, errCode: number, serverMessage: string): SdkError {
  const e = new Error(`${api}:fail ${errCode} ${ERR_TEXT[errCode] ?? ''}. ${serverMessage}`) as SdkError;
  e.errCode = errCode;
  e.errMsg = e.message;
  return e;
}

/** An Error as toSDKError makes it from a thrown string (errCode -1), e.g. DocumentReference.get's not-found. */
export function sdkStringError(api: string, text: string): SdkError {
  const e = new Error(`${api}:fail ${text}`) as SdkError;
  e.errCode = -1;
  e.errMsg = e.message;
  return e;
}

const E11000 =
  'E11000 duplicate key error collection: tcb-env.points_ledger index: _id_ dup key: ' +
  '{ _id: "m1:checkin:2026-11-25" }';

// The old local emulator's errors (local-cloud/db/command.ts `dbError`): an Error with errCode and errMsg.
const localError = (errCode: number, errMsg: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(errMsg), { errCode, errMsg, ...extra });

/** The shapes, by name. */
export const SHAPES = {
  /** A plain add() refused by a unique index: server DATABASE_REQUEST_FAILED mapped to -502001. */
  duplicateOnWrite: () => sdkError('collection.add', -502001, E11000),
  /** The same refused at a transaction's commit: the raw server result. */
  duplicateAtCommit: () => ({ code: 'DATABASE_REQUEST_FAILED', message: E11000, requestId: 'req-1' }),
  /** The old local emulator's duplicate (local-cloud/db/engine.ts). */
  duplicateLocal: () =>
    localError(-502001, 'E11000 duplicate key error collection: members index: openid_unique dup key: o1'),
  /** A conflict at a transaction's commit: raw, with the code the SDK's own retry looks for. */
  conflictAtCommit: () => ({ code: 'DATABASE_TRANSACTION_CONFLICT', message: 'database transaction conflict' }),
  /** A conflict at an update inside the transaction: wrapped by wx-server-sdk, no `code` (unknown → -501001). */
  conflictInsideTx: () => sdkError('document.update', -501001, 'database transaction conflict'),
  /** The same whose server message names the code instead. */
  conflictInsideTxByCode: () => sdkError('document.get', -501001, '[DATABASE_TRANSACTION_CONFLICT] conflicted'),
  /** The old local emulator's conflict (local-cloud/db/database.ts). */
  conflictLocal: () =>
    localError(-502001, 'DATABASE_TRANSACTION_CONFLICT: members/m1 is locked by another transaction', {
      code: 'DATABASE_TRANSACTION_CONFLICT',
    }),
  /** doc(id).get() of a document that does not exist (throwOnNotFound, the default). */
  missingDoc: () => sdkStringError('document.get', 'document with _id m404 does not exist'),
  /** A timeout: a transient failure that is none of the above. */
  timeout: () => sdkError('collection.get', -501002, 'request timeout'),
  /** set()/update() with `_id` in the data (@cloudbase/database src/document.ts). */
  idInData: () => sdkError('document.set', -501007, '不能更新_id的值'),
};

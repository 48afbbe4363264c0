// The database failures the product reacts to, recognised in the shapes the real SDK produces.
// wx-server-sdk (index.js: `checkError`, `maybeTransformError`, `toSDKError`) turns a failed call into an
// Error with `errCode` (the server's code mapped through its TCB_ERR_CODE table, unknown codes → -501001)
// and `errMsg` ("<api>:fail <errCode> … . <server message>"). Inside `runTransaction` the commit's failure
// is thrown raw by @cloudbase/database (src/transaction/index.ts): `{ code, message }`.

/** TCB_ERR_CODE.DATABASE_REQUEST_FAILED (wx-server-sdk index.js): a plain write refused by the server. */
export const DATABASE_REQUEST_FAILED = -502001;
/** The server's code for a transaction that ran into another one (@cloudbase/database src/const/code.ts). */
export const TRANSACTION_CONFLICT = 'DATABASE_TRANSACTION_CONFLICT';

interface ErrorShape {
  errCode?: unknown;
  errMsg?: unknown;
  code?: unknown;
  message?: unknown;
}

const shapeOf = (e: unknown): ErrorShape => (e && typeof e === 'object' ? (e as ErrorShape) : {});

// Every text the error carries: errMsg (SDK errors), message (raw server results, Error objects), or itself.
function textOf(e: unknown): string {
  if (typeof e === 'string') return e;
  const s = shapeOf(e);
  return [s.errMsg, s.message].filter((x): x is string => typeof x === 'string').join(' | ');
}

/**
 * True if a write failed on a unique index: the server's DATABASE_REQUEST_FAILED (errCode -502001 after
 * wx-server-sdk's mapping, or code 'DATABASE_REQUEST_FAILED' raw at a transaction's commit) carrying
 * MongoDB's E11000 marker. Any other failure is not a duplicate and must propagate.
 */
export function isDuplicateKey(e: unknown): boolean {
  const s = shapeOf(e);
  const requestFailed = s.errCode === DATABASE_REQUEST_FAILED || s.code === 'DATABASE_REQUEST_FAILED';
  return requestFailed && /\bE11000\b/.test(textOf(e));
}

/**
 * True if a transaction failed because another one holds or changed a document it touched: raw at the
 * commit (`code` 'DATABASE_TRANSACTION_CONFLICT'), or wrapped by wx-server-sdk at a get/update/add inside
 * the transaction (`{ errCode: -501001, errMsg }`, no `code`), where only the text tells.
 */
export function isConflict(e: unknown): boolean {
  if (shapeOf(e).code === TRANSACTION_CONFLICT) return true;
  return /DATABASE_TRANSACTION_CONFLICT|transaction conflict/i.test(textOf(e));
}

/**
 * True if `doc(id).get()` failed only because the document does not exist: wx-server-sdk's
 * DocumentReference.get throws "document with _id <id> does not exist" (throwOnNotFound is on by default).
 */
export function isMissingDoc(e: unknown): boolean {
  return /document with _id .* does not exist/.test(textOf(e));
}

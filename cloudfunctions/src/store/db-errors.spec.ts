import { AppError } from '../lib/errors';
import { isConflict, isDuplicateKey, isMissingDoc } from './db-errors';
import { sdkError, SHAPES } from './test-db-errors';

const E11000 = 'E11000 duplicate key error collection: c index: i dup key: { _id: "x" }';

describe('isDuplicateKey (the real SDK shapes)', () => {
  it('a plain write refused by a unique index: errCode -502001 with E11000', () => {
    expect(isDuplicateKey(SHAPES.duplicateOnWrite())).toBe(true);
  });
  it('the same at a transaction commit: the raw server result { code: DATABASE_REQUEST_FAILED, message }', () => {
    expect(isDuplicateKey(SHAPES.duplicateAtCommit())).toBe(true);
  });
  it("the old local emulator's duplicate", () => {
    expect(isDuplicateKey(SHAPES.duplicateLocal())).toBe(true);
  });
  it('needs both the code and the E11000 marker', () => {
    expect(isDuplicateKey(sdkError('collection.add', -502001, 'some other request failure'))).toBe(false);
    expect(isDuplicateKey(sdkError('collection.add', -501001, E11000))).toBe(false);
    expect(isDuplicateKey({ code: 'DATABASE_PERMISSION_DENIED', message: E11000 })).toBe(false);
    expect(isDuplicateKey({ code: 'DATABASE_REQUEST_FAILED', message: 'duplicate key somewhere' })).toBe(false);
    expect(isDuplicateKey(new Error(E11000))).toBe(false);
  });
  it('nothing else is a duplicate', () => {
    for (const e of [
      SHAPES.conflictAtCommit(),
      SHAPES.conflictInsideTx(),
      SHAPES.missingDoc(),
      SHAPES.timeout(),
      SHAPES.idInData(),
      new AppError('SOLD_OUT'),
      null,
      undefined,
      E11000,
      42,
    ]) {
      expect(isDuplicateKey(e)).toBe(false);
    }
  });
});

describe('isConflict (the real SDK shapes)', () => {
  it('raw at the commit: code DATABASE_TRANSACTION_CONFLICT', () => {
    expect(isConflict(SHAPES.conflictAtCommit())).toBe(true);
  });
  it('wrapped at a doc operation inside the transaction: errCode -501001, no code, told by the text', () => {
    const e = SHAPES.conflictInsideTx();
    expect((e as { code?: string }).code).toBeUndefined();
    expect(e.errCode).toBe(-501001);
    expect(isConflict(e)).toBe(true);
    expect(isConflict(SHAPES.conflictInsideTxByCode())).toBe(true);
  });
  it("the old local emulator's conflict", () => {
    expect(isConflict(SHAPES.conflictLocal())).toBe(true);
  });
  it('nothing else is a conflict', () => {
    for (const e of [
      SHAPES.duplicateOnWrite(),
      SHAPES.duplicateAtCommit(),
      SHAPES.missingDoc(),
      SHAPES.timeout(),
      SHAPES.idInData(),
      new AppError('CONFLICT', '请求号重复'),
      new Error('boom'),
      null,
      undefined,
      {},
    ]) {
      expect(isConflict(e)).toBe(false);
    }
  });
});

describe('isMissingDoc', () => {
  it('doc(id).get() of a document that does not exist, real SDK and old emulator', () => {
    expect(isMissingDoc(SHAPES.missingDoc())).toBe(true);
    const text = 'document.get:fail document with _id m1 does not exist';
    const local = Object.assign(new Error(text), { errCode: -502001, errMsg: text });
    expect(isMissingDoc(local)).toBe(true);
  });
  it('a failed read is not a missing document', () => {
    for (const e of [SHAPES.timeout(), SHAPES.conflictInsideTx(), SHAPES.duplicateOnWrite(), new Error('boom'), null]) {
      expect(isMissingDoc(e)).toBe(false);
    }
  });
});

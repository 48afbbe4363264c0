// Our own typings of the part of wx-server-sdk 4.x this project uses, written against the real SDK's
// behaviour (node_modules/wx-server-sdk/index.js over @cloudbase/node-sdk 3 and @cloudbase/database 1.4).
// The real package's own index.d.ts does not compile this code under `strict`: it rejects
// init({ env: DYNAMIC_CURRENT_ENV }) (env typed without the symbol), has no cloudPay, exports no
// Database/Transaction/Doc types and leaves results `any` (checked against wx-server-sdk 4.0.2). So tsconfig
// maps 'wx-server-sdk' here; the real package stays the only runtime dependency of each bundle.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Collections } from '../src/domain/documents';

/** A stored document. */
export type Doc = { _id: string } & Record<string, any>;

/** The document of collection `N`: its declared shape (src/domain/documents.ts), else a plain Doc. */
export type DocOf<N extends string> = N extends keyof Collections ? Collections[N] : Doc;
/** What add() takes for collection `N`: a whole declared document (its `_id` optional), else any object. */
export type NewDocOf<N extends string> = N extends keyof Collections
  ? Omit<Collections[N], '_id'> & { _id?: string }
  : NewDoc;

/**
 * The data of set() and update(): it may not carry `_id` — @cloudbase/database refuses it before any request
 * ("不能更新_id的值", src/document.ts set/update, src/query.ts update) and wx-server-sdk throws errCode -501007.
 */
export type WriteData = Record<string, unknown> & { _id?: never };

/** The data of add(): `_id` is allowed here and becomes the document id (a duplicate fails, see SDKError). */
export type NewDoc = Record<string, unknown>;

/**
 * How every failed call rejects: an Error with the server's code mapped through wx-server-sdk's TCB_ERR_CODE
 * (e.g. -502001 DATABASE_REQUEST_FAILED, -501007 INVALID_PARAM, unknown codes -501001) and a message
 * "<api>:fail <errCode> … . <server message>". Inside runTransaction the commit's failure is instead the raw
 * server result `{ code: string; message: string }` (@cloudbase/database src/transaction/index.ts).
 */
export interface SDKError extends Error {
  errCode: number;
  errMsg: string;
}

export interface Command {
  eq(v: unknown): any;
  neq(v: unknown): any;
  gt(v: unknown): any;
  gte(v: unknown): any;
  lt(v: unknown): any;
  lte(v: unknown): any;
  in(v: readonly unknown[]): any;
  nin(v: readonly unknown[]): any;
  exists(v: boolean): any;
  mod(d: number, r: number): any;
  all(v: unknown[]): any;
  elemMatch(v: unknown): any;
  size(n: number): any;
  and(...v: unknown[]): any;
  or(...v: unknown[]): any;
  nor(...v: unknown[]): any;
  not(v: unknown): any;
  set(v: unknown): any;
  remove(): any;
  inc(n: number): any;
  mul(n: number): any;
  min(v: unknown): any;
  max(v: unknown): any;
  rename(v: string): any;
  push(v: unknown): any;
  pop(): any;
  shift(): any;
  unshift(v: unknown): any;
  addToSet(v: unknown): any;
  pull(v: unknown): any;
  pullAll(v: unknown[]): any;
  /** Aggregation operators (`db.command.aggregate`): the ones this project uses; declare more as needed. */
  aggregate: {
    sum(v: unknown): any;
    cond(v: unknown[] | Record<string, unknown>): any;
  };
}

export interface Query<T = Doc> {
  /**
   * A condition object (or a command). Throws synchronously when every value of the object is undefined
   * (@cloudbase/database src/query.ts `where`); undefined values are otherwise dropped.
   */
  where(cond: unknown): Query<T>;
  orderBy(field: string, order: 'asc' | 'desc'): Query<T>;
  skip(n: number): Query<T>;
  /** At most 1000 for get() (the server's cap). */
  limit(n: number): Query<T>;
  /** A projection: the documents come back partial (typed as whole; read only the fields asked for). */
  field(p: Record<string, boolean | 0 | 1>): Query<T>;
  /** 100 documents by default; at most 1000 with limit(). */
  get(): Promise<{ data: T[]; errMsg?: string }>;
  count(): Promise<{ total: number }>;
  /** Updates every matching document (multi by default); `updated` counts the changed ones. */
  update(o: { data: WriteData }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Aggregate {
  addFields(a: unknown): Aggregate;
  bucket(a: unknown): Aggregate;
  bucketAuto(a: unknown): Aggregate;
  count(f: string): Aggregate;
  group(a: unknown): Aggregate;
  limit(n: number): Aggregate;
  lookup(a: unknown): Aggregate;
  match(a: unknown): Aggregate;
  project(a: unknown): Aggregate;
  replaceRoot(a: unknown): Aggregate;
  sample(a: unknown): Aggregate;
  skip(n: number): Aggregate;
  sort(a: unknown): Aggregate;
  sortByCount(a: unknown): Aggregate;
  unwind(a: unknown): Aggregate;
  /** 20 results without a limit stage. */
  end(): Promise<{ list: Record<string, any>[] }>;
}

export interface DocumentReference<T = Doc> {
  /** Rejects when the document does not exist ("document with _id … does not exist", throwOnNotFound default). */
  get(): Promise<{ data: T }>;
  /** Replaces (or creates) the document; the data may hold no update commands. */
  set(o: { data: WriteData }): Promise<{ _id: string; stats: { updated: number; created: number } }>;
  update(o: { data: WriteData }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface CollectionReference<N extends string = string> extends Query<DocOf<N>> {
  doc(id: string): DocumentReference<DocOf<N>>;
  add(o: { data: NewDocOf<N> }): Promise<{ _id: string }>;
  aggregate(): Aggregate;
}

/** A transaction offers single-document operations only: doc(id).get/set/update/remove and add. */
export interface Transaction {
  collection<N extends string>(
    name: N,
  ): {
    doc(id: string): {
      /** The document, or a rejection when it does not exist (as DocumentReference.get). */
      get(): Promise<{ data: DocOf<N> }>;
      set(o: { data: WriteData }): Promise<unknown>;
      update(o: { data: WriteData }): Promise<{ stats: { updated: number } }>;
      remove(): Promise<unknown>;
    };
    add(o: { data: NewDocOf<N> }): Promise<{ _id: string }>;
  };
  rollback(reason?: unknown): Promise<never>;
}

export interface Database {
  command: Command;
  collection<N extends string>(name: N): CollectionReference<N>;
  serverDate(o?: { offset?: number }): any;
  RegExp(o: { regexp: string; options?: string }): any;
  /**
   * Runs `fn` in a transaction and commits it. `times` (default 3) is how many more attempts follow a failure
   * whose `code` is 'DATABASE_TRANSACTION_CONFLICT' — only the raw commit result has that code; a failing
   * get/update/add inside `fn` arrives as an SDKError without it and is never retried. 0 = exactly one
   * attempt (@cloudbase/database src/transaction/index.ts). The product retries itself: store/transaction.ts.
   */
  runTransaction<T>(fn: (tx: Transaction) => Promise<T>, times?: number): Promise<T>;
}

/**
 * The invocation's context, read from the function's environment (WX_CONTEXT_KEYS); a key may be absent.
 * ENV is the running environment's id (TCB_ENV): the value to give any API that wants an env id.
 */
export interface WXContext {
  OPENID?: string;
  APPID?: string;
  UNIONID?: string;
  ENV?: string;
  SOURCE?: string;
  CLIENTIP?: string;
}

/** The client's wx.requestPayment parameters, from unifiedOrder. */
export interface WxPayment {
  appId?: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/**
 * A cloudPay answer: WeChat Pay's snake_case fields converted to camelCase by wx-server-sdk, which then sets
 * errCode 0 and errMsg '<api>:ok' itself — so WeChat's own err_code is not in errCode; read errCodeDes.
 */
export interface CloudPayResult {
  returnCode: 'SUCCESS' | 'FAIL' | string;
  returnMsg?: string;
  resultCode?: 'SUCCESS' | 'FAIL' | string;
  errCode?: number | string;
  errCodeDes?: string;
  errMsg?: string;
  payment?: WxPayment;
  prepayId?: string;
  refundId?: string;
  outRefundNo?: string;
  refundFee?: number;
  [k: string]: unknown;
}

/**
 * A Symbol standing for "the environment this function runs in": only cloud.init/database({ env }) understand
 * it. Sent inside any request it vanishes (JSON drops Symbols) — use getWXContext().ENV there.
 */
export const DYNAMIC_CURRENT_ENV: unique symbol;
export function init(o?: { env?: string | typeof DYNAMIC_CURRENT_ENV; throwOnNotFound?: boolean }): void;
export function getWXContext(): WXContext;
export function database(o?: { env?: string | typeof DYNAMIC_CURRENT_ENV; throwOnNotFound?: boolean }): Database;
export function callFunction(o: { name: string; data?: unknown }): Promise<{ result: any }>;
export const openapi: {
  subscribeMessage: { send(o: Record<string, unknown>): Promise<{ errCode: number }> };
  wxacode: { getUnlimited(o: Record<string, unknown>): Promise<{ contentType: string; buffer: Buffer }> };
  /** phonenumber.getPhoneNumber: the phone behind a getPhoneNumber button's one-time code. */
  phonenumber: { getPhoneNumber(o: { code: string }): Promise<{ phoneInfo: { purePhoneNumber: string } }> };
};
/** WeChat Pay; fields in camelCase both ways. Call it through store/payments.ts only. */
export const cloudPay: {
  unifiedOrder(o: Record<string, unknown>): Promise<CloudPayResult>;
  refund(o: Record<string, unknown>): Promise<CloudPayResult>;
};

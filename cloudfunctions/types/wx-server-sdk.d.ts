// The part of wx-server-sdk this project uses, typed. The real package is the only runtime
// dependency of each deployed function; locally the local cloud provides the same surface.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type Doc = { _id: string } & Record<string, any>;

export interface Command {
  eq(v: unknown): any; neq(v: unknown): any; gt(v: unknown): any; gte(v: unknown): any; lt(v: unknown): any; lte(v: unknown): any;
  in(v: unknown[]): any; nin(v: unknown[]): any; exists(v: boolean): any; mod(d: number, r: number): any; all(v: unknown[]): any;
  elemMatch(v: unknown): any; size(n: number): any; and(...v: unknown[]): any; or(...v: unknown[]): any; nor(...v: unknown[]): any; not(v: unknown): any;
  set(v: unknown): any; remove(): any; inc(n: number): any; mul(n: number): any; min(v: unknown): any; max(v: unknown): any; rename(v: string): any;
  push(v: unknown): any; pop(): any; shift(): any; unshift(v: unknown): any; addToSet(v: unknown): any; pull(v: unknown): any; pullAll(v: unknown[]): any;
  aggregate: Record<string, (...args: any[]) => any>;
}

export interface Query {
  where(cond: unknown): Query;
  orderBy(field: string, order: 'asc' | 'desc'): Query;
  skip(n: number): Query;
  limit(n: number): Query;
  field(p: Record<string, boolean | 0 | 1>): Query;
  get(): Promise<{ data: Doc[] }>;
  count(): Promise<{ total: number }>;
  update(o: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface Aggregate {
  addFields(a: unknown): Aggregate; bucket(a: unknown): Aggregate; bucketAuto(a: unknown): Aggregate; count(f: string): Aggregate;
  group(a: unknown): Aggregate; limit(n: number): Aggregate; lookup(a: unknown): Aggregate; match(a: unknown): Aggregate;
  project(a: unknown): Aggregate; replaceRoot(a: unknown): Aggregate; sample(a: unknown): Aggregate; skip(n: number): Aggregate;
  sort(a: unknown): Aggregate; sortByCount(a: unknown): Aggregate; unwind(a: unknown): Aggregate;
  end(): Promise<{ list: Record<string, any>[] }>;
}

export interface DocumentReference {
  get(): Promise<{ data: Doc }>;
  set(o: { data: Record<string, unknown> }): Promise<{ _id: string; stats: { updated: number; created: number } }>;
  update(o: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface CollectionReference extends Query {
  doc(id: string): DocumentReference;
  add(o: { data: Record<string, unknown> }): Promise<{ _id: string }>;
  aggregate(): Aggregate;
}

export interface Transaction {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: Doc }>;
      set(o: { data: Record<string, unknown> }): Promise<unknown>;
      update(o: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
      remove(): Promise<unknown>;
    };
    add(o: { data: Record<string, unknown> }): Promise<{ _id: string }>;
  };
  rollback(reason?: unknown): Promise<never>;
}

export interface Database {
  command: Command;
  collection(name: string): CollectionReference;
  serverDate(o?: { offset?: number }): any;
  RegExp(o: { regexp: string; options?: string }): any;
  runTransaction<T>(fn: (tx: Transaction) => Promise<T>, times?: number): Promise<T>;
}

export interface WXContext { OPENID: string; APPID: string; UNIONID: string; ENV: string; SOURCE: string; CLIENTIP: string }

export const DYNAMIC_CURRENT_ENV: symbol;
export function init(o?: { env?: string | symbol }): void;
export function getWXContext(): WXContext;
export function database(o?: unknown): Database;
export function callFunction(o: { name: string; data?: unknown }): Promise<{ result: any }>;
export const openapi: {
  subscribeMessage: { send(o: Record<string, unknown>): Promise<{ errCode: number }> };
  wxacode: { getUnlimited(o: Record<string, unknown>): Promise<{ contentType: string; buffer: Buffer }> };
};
export const cloudPay: {
  unifiedOrder(o: Record<string, unknown>): Promise<Record<string, any>>;
  refund(o: Record<string, unknown>): Promise<Record<string, any>>;
};

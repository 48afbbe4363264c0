// The local implementation of `wx-server-sdk`. Bundled functions `require('wx-server-sdk')` and get
// this module inside the local cloud (and in unit tests through jest's moduleNameMapper).
import { AsyncLocalStorage } from 'async_hooks';
import { Database } from './db/database';
import { Engine } from './db/engine';

/** What `getWXContext()` returns for one invocation. */
export interface WXContext { OPENID: string; APPID: string; UNIONID: string; ENV: string; SOURCE: string; CLIENTIP: string }

/** Services the host provides to the SDK: the database and the openapi sandbox. */
export interface Runtime {
  engine: Engine;
  callFunction(name: string, data: unknown, ctx: WXContext): Promise<unknown>;
  openapi: Record<string, Record<string, (args: Record<string, unknown>) => Promise<unknown>>>;
  cloudPay: Record<string, (args: Record<string, unknown>) => Promise<unknown>>;
}

/** The context of the invocation in progress. */
export const wxContext = new AsyncLocalStorage<WXContext>();
let runtime: Runtime | null = null;
let fallback: Runtime | null = null;

/** Installs the host's runtime (one per process). */
export function setRuntime(r: Runtime | null): void { runtime = r; }

function rt(): Runtime {
  if (runtime) return runtime;
  // Unit tests without a host get an in-memory database and no openapi.
  fallback ??= { engine: new Engine(), callFunction: async () => { throw new Error('no host'); }, openapi: {}, cloudPay: {} };
  return fallback;
}

/** `cloud.DYNAMIC_CURRENT_ENV`, a Symbol as in the real SDK. */
export const DYNAMIC_CURRENT_ENV = Symbol.for('DYNAMIC_CURRENT_ENV');
/** Accepted and ignored: the local cloud has one environment. */
export function init(_opts?: unknown): void {}

/** The caller as the platform sees it; only the host sets it. */
export function getWXContext(): WXContext {
  return wxContext.getStore() ?? { OPENID: '', APPID: 'wx_local_appid', UNIONID: '', ENV: 'local', SOURCE: '', CLIENTIP: '' };
}

/** `cloud.database()`. */
export function database(_opts?: unknown): Database {
  return new Database(rt().engine);
}

/** `cloud.callFunction({ name, data })`: the callee sees SOURCE chained with `,scf`. */
export async function callFunction(opts: { name: string; data?: unknown }): Promise<{ result: unknown; errMsg: string; requestID: string }> {
  const ctx = getWXContext();
  const result = await rt().callFunction(opts.name, opts.data ?? {}, { ...ctx, SOURCE: ctx.SOURCE ? `${ctx.SOURCE},scf` : 'scf' });
  return { result, errMsg: 'cloud.callFunction:ok', requestID: Math.random().toString(36).slice(2) };
}

const lazyNamespace = (pick: (r: Runtime) => Record<string, unknown>) =>
  new Proxy({}, { get: (_t, key: string) => pick(rt())[key] });

/** `cloud.openapi.<group>.<method>` from the host's sandbox. */
export const openapi = new Proxy({}, { get: (_t, group: string) => lazyNamespace((r) => r.openapi[group] ?? {}) });
/** `cloud.cloudPay.*` from the host's sandbox. */
export const cloudPay = lazyNamespace((r) => r.cloudPay);

/** Logger as in the SDK; writes to the host's console. */
export function logger() {
  return { info: console.log, warn: console.warn, error: console.error, log: console.log };
}

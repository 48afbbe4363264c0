// The local cloud: one HTTP server that is both CloudBase's server API (POST /admin, which the real
// wx-server-sdk inside every function instance calls) and the local contract of design.md (/fn/<name>,
// /healthz, /__admin, /__sandbox, the h5 client). Functions run in SCF-like instances (instances.ts).
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { Engine, IndexSpec } from './db/engine';
import { TxManager } from './db/transactions';
import { ApiError, createDatabaseApi } from './api/database-api';
import { parseMultipart } from './api/multipart';
import { createWxApi } from './api/wx-api';
import { SANDBOX } from './api/sandbox';
import { Counters, FunctionRuntime, InvocationError, WXContext, zeroCounters } from './instances';

/** Where the host finds things and how it listens. */
export interface HostOptions {
  functionsDir: string;
  dataDir: string | null;
  indexesFile?: string;
  staticDir?: string;
  port?: number;
  host?: string;
  timers?: boolean;
  envId?: string;
  maxInstances?: number;
}

const env = (code: string, message: string) => ({ ok: false, error: { code, message } });
const FN_BODY_LIMIT = 1024 * 1024;
const ADMIN_BODY_LIMIT = 20 * 1024 * 1024;
/** The appid every local invocation carries. */
export const LOCAL_APPID = 'wx_local_appid';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

class BodyTooLarge extends Error {}

/** The local cloud: database engine, server API, function instances, HTTP server and timers. */
export class LocalCloud {
  readonly engine: Engine;
  readonly txm: TxManager;
  readonly sandbox: ReturnType<typeof createWxApi>;
  readonly runtime: FunctionRuntime;
  readonly envId: string;
  /** Every server API request since start. */
  readonly total: Counters = zeroCounters();
  private readonly db: ReturnType<typeof createDatabaseApi>;
  private server: http.Server | null = null;
  private url = '';
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  /** Injected failures (tests): the next `times` server API requests matching action and collection fail. */
  private readonly faults: { action: string; collection: string | null; times: number }[] = [];

  constructor(private readonly opts: HostOptions) {
    if (process.env.TENCENTCLOUD_RUNENV || process.env.SCF_RUNTIME) {
      throw new Error('The local cloud must never run inside a real cloud function.');
    }
    const indexes =
      opts.indexesFile && fs.existsSync(opts.indexesFile)
        ? (JSON.parse(fs.readFileSync(opts.indexesFile, 'utf8')).collections as Record<string, IndexSpec[]>)
        : {};
    this.envId = opts.envId ?? 'local';
    this.engine = new Engine({ dir: opts.dataDir, indexes });
    this.txm = new TxManager(this.engine);
    this.db = createDatabaseApi(this.engine, this.txm);
    this.runtime = new FunctionRuntime({
      functionsDir: opts.functionsDir,
      envId: this.envId,
      serviceUrl: () => this.url,
      maxInstances: opts.maxInstances,
    });
    this.sandbox = createWxApi({
      engine: this.engine,
      envId: this.envId,
      appid: LOCAL_APPID,
      invokeCallback: (name, event) => this.invoke(name, event, this.ctx('', 'wx_paycallback')),
    });
  }

  /** A context as getWXContext() shows it. */
  ctx(openid: string, source: string, unionid = ''): WXContext {
    return {
      OPENID: openid,
      APPID: LOCAL_APPID,
      UNIONID: unionid,
      ENV: this.envId,
      SOURCE: source,
      CLIENTIP: '127.0.0.1',
    };
  }

  /** Names of the deployed functions. */
  functionNames(): string[] {
    return [...this.runtime.functions.keys()];
  }

  /** Runs a function as the platform would (needs `listen()` first: the SDK inside calls this server). */
  invoke(name: string, event: unknown, ctx: WXContext, counters: Counters = zeroCounters()): Promise<unknown> {
    if (!this.url) throw new Error('local cloud is not listening yet');
    return this.runtime.invoke(name, event, ctx, counters);
  }

  /** Fires a function's timer trigger now (tests and `POST /__admin/trigger/<fn>`). */
  trigger(name: string, at = Date.now(), extra: Record<string, unknown> = {}): Promise<unknown> {
    const fn = this.runtime.functions.get(name);
    const event = {
      ...extra,
      Type: 'Timer',
      TriggerName: fn?.triggerName ?? 'manual',
      Time: new Date(at).toISOString(),
    };
    return this.invoke(name, event, this.ctx('', 'wx_trigger'));
  }

  private runTimers(): void {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const from = this.lastTick ? this.lastTick + 1000 : now;
    this.lastTick = now;
    for (let t = from; t <= now; t += 1000) {
      for (const fn of this.runtime.functions.values()) {
        if (fn.cron?.matches(t)) this.trigger(fn.name, t).catch((e) => console.error(`[timer] ${fn.name} failed:`, e));
      }
    }
  }

  /** Starts listening; resolves with the URL. */
  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        console.error('[host] unexpected', e);
        if (!res.headersSent) this.json(res, 500, env('INTERNAL', '服务繁忙，请稍后再试'));
      });
    });
    this.server.keepAliveTimeout = 5000;
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => this.server!.listen(this.opts.port ?? 8787, host, resolve));
    const addr = this.server.address() as { port: number };
    this.url = `http://${host}:${addr.port}`;
    if (this.opts.timers !== false) this.timer = setInterval(() => this.runTimers(), 1000);
    return this.url;
  }

  /** Stops the server, instances and timers and closes storage. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.runtime.close();
    this.txm.close();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((r) => this.server!.close(() => r()));
    }
    this.engine.close();
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  // Reads the whole body; past `limit` it keeps draining (so the connection stays usable) and then refuses.
  private async body(req: http.IncomingMessage, limit: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size <= limit) chunks.push(c as Buffer);
    }
    if (size > limit) throw new BodyTooLarge();
    return Buffer.concat(chunks);
  }

  private cors(res: http.ServerResponse): void {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, x-wx-openid, x-wx-unionid');
    res.setHeader(
      'access-control-expose-headers',
      'x-db-calls, x-db-reads, x-db-writes, x-db-tx, x-db-docs-read, x-db-docs-written',
    );
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const p = url.pathname;
    if (p === '/admin') return this.serverApi(req, res);
    this.cors(res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (p === '/healthz') return this.json(res, 200, { ok: true, functions: this.functionNames() });
    const fnName = /^\/fn\/([A-Za-z0-9_-]+)$/.exec(p)?.[1];
    if (fnName) return this.callFromClient(req, res, fnName);
    if (p.startsWith('/__admin/') || p.startsWith('/__sandbox/')) return this.admin(req, res, p);
    if (req.method === 'GET' && this.opts.staticDir) return this.serveStatic(res, p);
    return this.json(res, 404, env('NOT_FOUND', '页面不存在'));
  }

  // POST /fn/<name>: a mini-program calling a function; the caller is the X-WX-OPENID header (local only).
  private async callFromClient(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      return this.json(res, 405, env('METHOD_NOT_ALLOWED', '请使用 POST 调用云函数'));
    }
    let event: Record<string, unknown> | null = null;
    try {
      const v = JSON.parse((await this.body(req, FN_BODY_LIMIT)).toString('utf8'));
      event = v && typeof v === 'object' && !Array.isArray(v) ? v : null;
    } catch (e) {
      if (e instanceof BodyTooLarge) return this.json(res, 413, env('PAYLOAD_TOO_LARGE', '请求体过大'));
    }
    if (!this.runtime.functions.has(name))
      return this.json(res, 404, env('FUNCTION_NOT_FOUND', `云函数 ${name} 不存在`));
    if (!event) return this.json(res, 400, env('INVALID_ARGUMENT', '请求体必须是 JSON 对象'));
    const openid = String(req.headers['x-wx-openid'] ?? '');
    const unionid = String(req.headers['x-wx-unionid'] ?? '');
    const counters = zeroCounters();
    try {
      const result = await this.invoke(name, event, this.ctx(openid, 'wx_client', unionid), counters);
      return this.json(res, 200, result ?? null, {
        'x-db-calls': String(counters.calls),
        'x-db-reads': String(counters.reads),
        'x-db-writes': String(counters.writes),
        'x-db-tx': String(counters.tx),
        'x-db-docs-read': String(counters.docsRead),
        'x-db-docs-written': String(counters.docsWritten),
      });
    } catch (e) {
      const code = e instanceof InvocationError && e.code === 'FUNCTION_TIMEOUT' ? 'FUNCTION_TIMEOUT' : 'INTERNAL';
      console.error(`[fn ${name}]`, e instanceof Error ? e.message : e);
      return this.json(res, 500, env(code, '服务繁忙，请稍后再试'));
    }
  }

  // POST /admin: CloudBase's server API as the SDK calls it (@cloudbase/node-sdk src/utils/tcbapirequester.ts:
  // JSON bodies, or multipart for wx.openApi / wx.wxPayApi; `{ code, message }` answers on failure).
  private async serverApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomBytes(8).toString('hex');
    let params: Record<string, unknown>;
    let files: Record<string, Buffer> = {};
    try {
      const raw = await this.body(req, ADMIN_BODY_LIMIT);
      const type = String(req.headers['content-type'] ?? '');
      if (type.startsWith('multipart/form-data')) {
        const parsed = await parseMultipart(raw, type);
        params = parsed.fields;
        files = parsed.files;
      } else {
        params = JSON.parse(raw.toString('utf8') || '{}');
      }
    } catch (e) {
      const message = e instanceof BodyTooLarge ? 'request body too large' : 'invalid request body';
      return this.json(res, 200, {
        code: e instanceof BodyTooLarge ? 'EXCEED_REQUEST_SIZE_LIMIT' : 'INVALID_PARAM',
        message,
        requestId,
      });
    }
    const action = String(params.action ?? '');
    const token = String(params.wxCloudApiToken ?? '');
    const invocation = token ? this.runtime.invocation(token) : undefined;
    const counters = [this.total, ...(invocation ? [invocation.counters] : [])];
    const fail = (code: string, message: string) => this.json(res, 200, { code, message, requestId });
    if (token && !invocation) return fail('PERMISSION_DENIED', 'wxCloudApiToken is invalid or expired');
    const envName = params.envName;
    if (typeof envName === 'string' && envName && envName !== this.envId) {
      return fail('INVALID_ENV', `env ${envName} does not exist`);
    }
    if (this.db.has(action)) {
      for (const c of counters) c.calls++;
      const fault = this.faults.find(
        (f) => f.times > 0 && f.action === action && (f.collection === null || f.collection === params.collectionName),
      );
      if (fault) {
        fault.times--;
        return fail('DATABASE_REQUEST_FAILED', 'database request failed: injected fault (local cloud)');
      }
      try {
        const out = await this.db.run(action, params);
        for (const c of counters) {
          if (out.kind === 'read') {
            c.reads++;
            c.docsRead += out.docs;
          }
          if (out.kind === 'write') {
            c.writes++;
            c.docsWritten += out.docs;
          }
          if (out.kind === 'tx') c.tx++;
        }
        return this.json(res, 200, { ...out.result, requestId });
      } catch (e) {
        // A refused request is still a round trip of its kind (CloudBase bills failed writes too).
        for (const c of counters) {
          if (action.includes('Transaction')) c.tx++;
          else if (this.db.isRead(action)) c.reads++;
          else c.writes++;
        }
        const err = e instanceof ApiError ? e : new ApiError('SYS_ERR', String(e));
        return fail(err.code, err.message);
      }
    }
    if (action === 'functions.invokeFunction') return this.invokeFromFunction(res, params, invocation, requestId);
    if (action === 'wx.openApi' || action === 'wx.wxPayApi') {
      const out = await this.sandbox.handle(action, params as Record<string, string>, files);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
      return;
    }
    return fail('INVALID_ACTION', `action ${action} is not supported by the local cloud`);
  }

  // functions.invokeFunction (node-sdk src/functions/index.ts): the callee runs with the caller's identity and
  // SOURCE chained with `,scf`; the answer carries the callee's JSON in `data.response_data`.
  private async invokeFromFunction(
    res: http.ServerResponse,
    params: Record<string, unknown>,
    caller: { ctx: WXContext } | undefined,
    requestId: string,
  ): Promise<void> {
    const name = String(params.function_name ?? '');
    const fail = (code: string, message: string) => this.json(res, 200, { code, message, requestId });
    if (!this.runtime.functions.has(name)) return fail('FUNCTIONS_REQUEST_FAIL', `function ${name} not found`);
    let data: unknown = {};
    try {
      data = params.request_data ? JSON.parse(String(params.request_data)) : {};
    } catch {
      return fail('INVALID_PARAM', 'request_data must be JSON');
    }
    const base = caller?.ctx ?? this.ctx('', '');
    const ctx = { ...base, SOURCE: base.SOURCE ? `${base.SOURCE},scf` : 'scf' };
    try {
      const result = await this.invoke(name, data, ctx);
      return this.json(res, 200, { data: { response_data: JSON.stringify(result ?? null) }, requestId });
    } catch (e) {
      return fail('FUNCTIONS_EXECUTE_FAIL', e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e));
    }
  }

  // Local-only controls for tests and the demo: never part of production.
  private async admin(req: http.IncomingMessage, res: http.ServerResponse, p: string): Promise<void> {
    let body: Record<string, unknown> = {};
    try {
      if (req.method === 'POST') {
        const v = JSON.parse((await this.body(req, ADMIN_BODY_LIMIT)).toString('utf8') || '{}');
        body = v && typeof v === 'object' && !Array.isArray(v) ? v : {};
      } else req.resume();
    } catch {
      return this.json(res, 400, env('INVALID_ARGUMENT', '请求体必须是 JSON 对象'));
    }
    try {
      if (p === '/__admin/stats') {
        const cold = Object.fromEntries([...this.runtime.coldStarts].map(([n, l]) => [n, l[l.length - 1]]));
        const coldStarts = Object.fromEntries([...this.runtime.coldStarts].map(([n, l]) => [n, l.length]));
        return this.json(res, 200, {
          ok: true,
          data: {
            db: this.total,
            coldStartMs: cold,
            coldStarts,
            instances: this.runtime.instanceCounts(),
          },
        });
      }
      const trig = /^\/__admin\/trigger\/([A-Za-z0-9_-]+)$/.exec(p)?.[1];
      if (trig) {
        if (!this.runtime.functions.has(trig))
          return this.json(res, 404, env('FUNCTION_NOT_FOUND', `云函数 ${trig} 不存在`));
        const { at, ...extra } = body as { at?: number } & Record<string, unknown>;
        const result = await this.trigger(trig, typeof at === 'number' ? at : Date.now(), extra);
        return this.json(res, 200, { ok: true, data: result ?? null });
      }
      // Direct database access for tests: inspect state and arrange fixtures the product has no action for.
      if (p === '/__admin/db/find') {
        const { collection, query, sort, limit } = body as {
          collection?: string;
          query?: Record<string, unknown>;
          sort?: Record<string, 1 | -1>;
          limit?: number;
        };
        if (!collection) return this.json(res, 400, env('INVALID_ARGUMENT', '需要 collection'));
        // A refund can be answered before WeChat's later refund notice is handled: reads see that notice's work.
        await this.sandbox.drain();
        return this.json(res, 200, { ok: true, data: this.engine.find(collection, query ?? {}, { sort, limit }) });
      }
      if (p === '/__admin/db/put') {
        const { collection, docs } = body as {
          collection?: string;
          docs?: ({ _id: string } & Record<string, unknown>)[];
        };
        if (!collection || !Array.isArray(docs))
          return this.json(res, 400, env('INVALID_ARGUMENT', '需要 collection 和 docs'));
        this.engine.commit(docs.map((d) => [collection, String(d._id), { ...d, _id: String(d._id) }]));
        return this.json(res, 200, { ok: true, data: { put: docs.length } });
      }
      if (p === '/__sandbox/subscribe') {
        const { openid, templateId, count } = body as { openid?: string; templateId?: string; count?: number };
        if (!openid || !templateId) return this.json(res, 400, env('INVALID_ARGUMENT', '需要 openid 和 templateId'));
        const left = this.sandbox.grantSubscription(openid, templateId, Number(count ?? 1));
        return this.json(res, 200, { ok: true, data: { left } });
      }
      if (p === '/__admin/outbox') {
        return this.json(res, 200, { ok: true, data: this.engine.find(SANDBOX.outbox, {}, { sort: { sentAt: 1 } }) });
      }
      if (p === '/__sandbox/pay/confirm') {
        const data = await this.sandbox.confirmPayment(String(body.outTradeNo ?? ''), {
          times: Number(body.times ?? 1),
        });
        return this.json(res, 200, { ok: true, data });
      }
      if (p === '/__sandbox/db/fail') {
        const { action, collection, times } = body as { action?: string; collection?: string; times?: number };
        if (!action || !this.db.has(action))
          return this.json(res, 400, env('INVALID_ARGUMENT', '需要 database.* action'));
        this.faults.push({ action, collection: collection ?? null, times: Number(times ?? 1) });
        return this.json(res, 200, { ok: true, data: null });
      }
      if (p === '/__sandbox/pay/fail-refunds') {
        this.sandbox.failNextRefunds(Number(body.n ?? 1));
        return this.json(res, 200, { ok: true, data: null });
      }
      return this.json(res, 404, env('NOT_FOUND', '未知的本地管理接口'));
    } catch (e) {
      return this.json(res, 400, env('INVALID_ARGUMENT', (e as Error).message));
    }
  }

  private serveStatic(res: http.ServerResponse, p: string): void {
    const root = path.resolve(this.opts.staticDir!);
    let file = path.resolve(root, '.' + decodeURIComponent(p));
    if (!file.startsWith(root)) return this.json(res, 403, env('FORBIDDEN', '禁止访问'));
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('h5 客户端尚未构建：请先运行 npm run build:h5');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  }
}

// The functions host: loads the built bundles (cloudfunctions/dist/<name>/index.js) with
// `wx-server-sdk` resolved to the local implementation, and serves the HTTP contract of design.md.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import Module from 'module';
import { Engine, IndexSpec, invocationCounters, zeroCounters, Counters } from './db/engine';
import { parseCron, Cron } from './cron';
import { createSandbox } from './openapi';
import * as sdk from './sdk';
import { WXContext, wxContext } from './sdk';

/** Where the host finds things and how it listens. */
export interface HostOptions {
  functionsDir: string;
  dataDir: string | null;
  indexesFile?: string;
  staticDir?: string;
  port?: number;
  host?: string;
  timers?: boolean;
}

interface LoadedFunction {
  name: string;
  dir: string;
  config: { timeout?: number; triggers?: { name: string; type: string; config: string }[] };
  main?: (event: unknown, context: unknown) => Promise<unknown>;
  cron?: Cron;
  triggerName?: string;
  coldStartMs?: number;
}

const env = (code: string, message: string) => ({ ok: false, error: { code, message } });

let requirePatched = false;
// Bundles keep `require('wx-server-sdk')`: answer it with the local implementation.
function patchRequire(): void {
  if (requirePatched) return;
  requirePatched = true;
  const orig = Module.prototype.require;
  Module.prototype.require = function patched(this: NodeJS.Module, id: string) {
    if (id === 'wx-server-sdk') return sdk;
    return orig.call(this, id);
  } as typeof orig;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
};

/** The local cloud: database engine, sandbox, functions, HTTP server and timers. */
export class LocalCloud {
  readonly engine: Engine;
  readonly sandbox: ReturnType<typeof createSandbox>;
  private readonly fns = new Map<string, LoadedFunction>();
  private server: http.Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;

  constructor(private readonly opts: HostOptions) {
    if (process.env.TENCENTCLOUD_RUNENV || process.env.SCF_RUNTIME) {
      throw new Error('The local cloud must never run inside a real cloud function.');
    }
    const indexes = opts.indexesFile && fs.existsSync(opts.indexesFile)
      ? (JSON.parse(fs.readFileSync(opts.indexesFile, 'utf8')).collections as Record<string, IndexSpec[]>) : {};
    this.engine = new Engine({ dir: opts.dataDir, indexes });
    this.sandbox = createSandbox(this.engine, (name, event) => this.invoke(name, event, this.ctx('', 'wx_paycallback')));
    sdk.setRuntime({
      engine: this.engine,
      callFunction: (name, data, ctx) => this.invoke(name, data, ctx),
      openapi: this.sandbox.openapi as never,
      cloudPay: this.sandbox.cloudPay as never,
    });
    patchRequire();
    this.discover();
  }

  /** A context as getWXContext() shows it. */
  ctx(openid: string, source: string, unionid = ''): WXContext {
    return { OPENID: openid, APPID: 'wx_local_appid', UNIONID: unionid, ENV: 'local', SOURCE: source, CLIENTIP: '127.0.0.1' };
  }

  private discover(): void {
    if (!fs.existsSync(this.opts.functionsDir)) return;
    for (const name of fs.readdirSync(this.opts.functionsDir)) {
      const dir = path.join(this.opts.functionsDir, name);
      if (!fs.existsSync(path.join(dir, 'index.js'))) continue;
      const cfgFile = path.join(dir, 'config.json');
      const config = fs.existsSync(cfgFile) ? JSON.parse(fs.readFileSync(cfgFile, 'utf8')) : {};
      const fn: LoadedFunction = { name, dir, config };
      const timer = (config.triggers ?? []).find((t: { type: string }) => t.type === 'timer');
      if (timer) { fn.cron = parseCron(timer.config); fn.triggerName = timer.name; }
      this.fns.set(name, fn);
    }
  }

  /** Names of the loaded functions. */
  functionNames(): string[] { return [...this.fns.keys()]; }

  private load(fn: LoadedFunction): NonNullable<LoadedFunction['main']> {
    if (!fn.main) {
      const t0 = process.hrtime.bigint();
      const mod = require(path.join(fn.dir, 'index.js'));
      if (typeof mod.main !== 'function') throw new Error(`${fn.name}/index.js has no exports.main`);
      fn.main = mod.main;
      fn.coldStartMs = Number(process.hrtime.bigint() - t0) / 1e6;
    }
    return fn.main!;
  }

  /** Runs a function as the platform would, with its own context and op counters. */
  async invoke(name: string, event: unknown, ctx: WXContext, counters: Counters = zeroCounters()): Promise<unknown> {
    const fn = this.fns.get(name);
    if (!fn) throw Object.assign(new Error(`function ${name} not found`), { code: 'FUNCTION_NOT_FOUND' });
    const main = this.load(fn);
    const timeoutMs = (fn.config.timeout ?? 60) * 1000;
    return wxContext.run(ctx, () => invocationCounters.run(counters, () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'FUNCTION_TIMEOUT' })), timeoutMs); });
      const context = { function_name: name, namespace: 'local', memory_limit_in_mb: 256, time_limit_in_ms: timeoutMs, request_id: Math.random().toString(36).slice(2) };
      return Promise.race([Promise.resolve().then(() => main(event, context)), timeout]).finally(() => clearTimeout(timer));
    }));
  }

  /** Fires a function's timer trigger now (tests and `POST /__admin/trigger/<fn>`). */
  trigger(name: string, at = Date.now(), extra: Record<string, unknown> = {}): Promise<unknown> {
    const fn = this.fns.get(name);
    const event = { ...extra, Type: 'Timer', TriggerName: fn?.triggerName ?? 'manual', Time: new Date(at).toISOString() };
    return this.invoke(name, event, this.ctx('', 'wx_trigger'));
  }

  private runTimers(): void {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const from = this.lastTick ? this.lastTick + 1000 : now;
    this.lastTick = now;
    for (let t = from; t <= now; t += 1000) {
      for (const fn of this.fns.values()) {
        if (fn.cron?.matches(t)) this.trigger(fn.name, t).catch((e) => console.error(`[timer] ${fn.name} failed:`, e));
      }
    }
  }

  /** Starts listening; resolves with the URL. */
  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => { this.handle(req, res).catch((e) => {
      console.error('[host] unexpected', e);
      if (!res.headersSent) this.json(res, 500, env('INTERNAL', '服务繁忙，请稍后再试'));
    }); });
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => this.server!.listen(this.opts.port ?? 8787, host, resolve));
    const addr = this.server.address() as { port: number };
    if (this.opts.timers !== false) this.timer = setInterval(() => this.runTimers(), 1000);
    return `http://${host}:${addr.port}`;
  }

  /** Stops the server and timers and closes storage. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    this.engine.close();
    sdk.setRuntime(null);
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private async body(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1024 * 1024) throw Object.assign(new Error('too large'), { code: 'PAYLOAD_TOO_LARGE' });
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private async jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown> | null> {
    try {
      const text = await this.body(req);
      const v = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
    } catch { return null; }
  }

  private cors(res: http.ServerResponse): void {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, x-wx-openid, x-wx-unionid');
    res.setHeader('access-control-expose-headers', 'x-db-calls, x-db-reads, x-db-writes, x-db-docs-read, x-db-docs-written');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const p = url.pathname;
    this.cors(res);
    if (req.method === 'OPTIONS') { res.writeHead(204); res.end(); return; }
    if (p === '/healthz') return this.json(res, 200, { ok: true, functions: this.functionNames() });

    const fnMatch = /^\/fn\/([A-Za-z0-9_-]+)$/.exec(p);
    if (fnMatch) {
      if (req.method !== 'POST') return this.json(res, 405, env('METHOD_NOT_ALLOWED', '请使用 POST 调用云函数'));
      const name = fnMatch[1];
      if (!this.fns.has(name)) return this.json(res, 404, env('FUNCTION_NOT_FOUND', `云函数 ${name} 不存在`));
      const event = await this.jsonBody(req);
      if (!event) return this.json(res, 400, env('INVALID_ARGUMENT', '请求体必须是 JSON 对象'));
      const openid = String(req.headers['x-wx-openid'] ?? '');
      const unionid = String(req.headers['x-wx-unionid'] ?? '');
      const counters = zeroCounters();
      try {
        const result = await this.invoke(name, event, this.ctx(openid, 'wx_client', unionid), counters);
        return this.json(res, 200, result ?? null, {
          'x-db-calls': String(counters.calls), 'x-db-reads': String(counters.reads), 'x-db-writes': String(counters.writes),
          'x-db-docs-read': String(counters.docsRead), 'x-db-docs-written': String(counters.docsWritten),
        });
      } catch (e) {
        const code = (e as { code?: string }).code === 'FUNCTION_TIMEOUT' ? 'FUNCTION_TIMEOUT' : 'INTERNAL';
        console.error(`[fn ${name}]`, e);
        return this.json(res, 500, env(code, '服务繁忙，请稍后再试'));
      }
    }

    if (p.startsWith('/__admin/') || p.startsWith('/__sandbox/')) return this.admin(req, res, p);
    if (req.method === 'GET' && this.opts.staticDir) return this.serveStatic(res, p);
    return this.json(res, 404, env('NOT_FOUND', '页面不存在'));
  }

  // Local-only controls for tests and the demo: never part of production.
  private async admin(req: http.IncomingMessage, res: http.ServerResponse, p: string): Promise<void> {
    const body = req.method === 'POST' ? (await this.jsonBody(req)) ?? {} : {};
    try {
      if (p === '/__admin/stats') {
        const cold = Object.fromEntries([...this.fns.values()].filter((f) => f.coldStartMs !== undefined).map((f) => [f.name, f.coldStartMs]));
        return this.json(res, 200, { ok: true, data: { db: this.engine.total, coldStartMs: cold } });
      }
      const trig = /^\/__admin\/trigger\/([A-Za-z0-9_-]+)$/.exec(p);
      if (trig) {
        if (!this.fns.has(trig[1])) return this.json(res, 404, env('FUNCTION_NOT_FOUND', `云函数 ${trig[1]} 不存在`));
        const { at, ...extra } = body as { at?: number } & Record<string, unknown>;
        const result = await this.trigger(trig[1], typeof at === 'number' ? at : Date.now(), extra);
        return this.json(res, 200, { ok: true, data: result ?? null });
      }
      // Direct database access for tests: inspect state and arrange fixtures the product has no action for.
      if (p === '/__admin/db/find') {
        const { collection, query, sort, limit } = body as { collection?: string; query?: Record<string, unknown>; sort?: Record<string, 1 | -1>; limit?: number };
        if (!collection) return this.json(res, 400, env('INVALID_ARGUMENT', '需要 collection'));
        return this.json(res, 200, { ok: true, data: this.engine.find(collection, query ?? {}, { sort, limit }) });
      }
      if (p === '/__admin/db/put') {
        const { collection, docs } = body as { collection?: string; docs?: ({ _id: string } & Record<string, unknown>)[] };
        if (!collection || !Array.isArray(docs)) return this.json(res, 400, env('INVALID_ARGUMENT', '需要 collection 和 docs'));
        this.engine.commit(docs.map((d) => [collection, String(d._id), { ...d, _id: String(d._id) }]));
        return this.json(res, 200, { ok: true, data: { put: docs.length } });
      }
      if (p === '/__sandbox/subscribe') {
        const { openid, templateId, count } = body as { openid?: string; templateId?: string; count?: number };
        if (!openid || !templateId) return this.json(res, 400, env('INVALID_ARGUMENT', '需要 openid 和 templateId'));
        return this.json(res, 200, { ok: true, data: { left: this.sandbox.grantSubscription(openid, templateId, Number(count ?? 1)) } });
      }
      if (p === '/__admin/outbox') {
        return this.json(res, 200, { ok: true, data: this.engine.find('__sandbox_outbox', {}, { sort: { sentAt: 1 } }) });
      }
      if (p === '/__sandbox/pay/confirm') {
        const data = await this.sandbox.confirmPayment(String(body.outTradeNo ?? ''), { times: Number(body.times ?? 1) });
        return this.json(res, 200, { ok: true, data });
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

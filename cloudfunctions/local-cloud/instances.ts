// Function instances as SCF runs them: each deployed folder gets a pool of worker threads (one invocation at
// a time each, more under concurrency up to a cap), the invocation's context in the instance's process.env,
// and a per-invocation API token by which the server API knows who is calling (as CloudBase knows it from
// WX_API_TOKEN, @cloudbase/node-sdk src/utils/wxCloudToken.ts).
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Cron, parseCron } from './cron';
import type { InvokeMessage, ResultMessage } from './worker';

/** What getWXContext() shows inside one invocation. */
export interface WXContext {
  OPENID: string;
  APPID: string;
  UNIONID: string;
  ENV: string;
  SOURCE: string;
  CLIENTIP: string;
}

/** Database operations of one invocation, as CloudBase counts them: one call per server API request. */
export interface Counters {
  calls: number;
  reads: number;
  writes: number;
  tx: number;
  docsRead: number;
  docsWritten: number;
}
/** Fresh zeroed counters. */
export const zeroCounters = (): Counters => ({ calls: 0, reads: 0, writes: 0, tx: 0, docsRead: 0, docsWritten: 0 });

/** An invocation in progress, found by its token. */
export interface Invocation {
  fn: string;
  ctx: WXContext;
  counters: Counters;
}

/** A deployed function folder. */
export interface FunctionInfo {
  name: string;
  dir: string;
  config: { timeout?: number; triggers?: { name: string; type: string; config: string }[] };
  cron?: Cron;
  triggerName?: string;
}

interface Instance {
  worker: Worker;
  busy: boolean;
  pending: Map<number, (m: ResultMessage) => void>;
  ready: Promise<void>;
}

interface Pool {
  idle: Instance[];
  all: Set<Instance>;
  queue: ((i: Instance) => void)[];
}

/** An invocation's failure that the host answers without a stack. */
export class InvocationError extends Error {
  constructor(
    readonly code: 'FUNCTION_NOT_FOUND' | 'FUNCTION_TIMEOUT' | 'FUNCTION_FAILED',
    message: string,
  ) {
    super(message);
  }
}

const WORKER_FILE = fs.existsSync(path.join(__dirname, 'worker.js'))
  ? path.join(__dirname, 'worker.js')
  : path.join(__dirname, 'dist', 'worker.js');

/** Options of the runtime. */
export interface RuntimeOptions {
  functionsDir: string;
  envId: string;
  serviceUrl: () => string;
  maxInstances?: number;
}

/** Discovers the function folders and runs invocations on their instances. */
export class FunctionRuntime {
  readonly functions = new Map<string, FunctionInfo>();
  private readonly pools = new Map<string, Pool>();
  private readonly invocations = new Map<string, Invocation>();
  private readonly sdkPath = require.resolve('wx-server-sdk');
  private seq = 0;
  private closed = false;
  /** Cold starts per function: module load time of each new instance. */
  readonly coldStarts = new Map<string, number[]>();
  readonly maxInstances: number;

  constructor(private readonly opts: RuntimeOptions) {
    this.maxInstances = opts.maxInstances ?? (Number(process.env.LOCAL_CLOUD_MAX_INSTANCES) || 20);
    if (!fs.existsSync(opts.functionsDir)) return;
    for (const name of fs.readdirSync(opts.functionsDir)) {
      const dir = path.join(opts.functionsDir, name);
      if (!fs.existsSync(path.join(dir, 'index.js'))) continue;
      const cfgFile = path.join(dir, 'config.json');
      const config = fs.existsSync(cfgFile) ? JSON.parse(fs.readFileSync(cfgFile, 'utf8')) : {};
      const fn: FunctionInfo = { name, dir, config };
      const timer = (config.triggers ?? []).find((t: { type: string }) => t.type === 'timer');
      if (timer) {
        fn.cron = parseCron(timer.config);
        fn.triggerName = timer.name;
      }
      this.functions.set(name, fn);
    }
  }

  /** The invocation a server API request belongs to, by its WX_API_TOKEN. */
  invocation(token: string): Invocation | undefined {
    return this.invocations.get(token);
  }

  // The instance's fixed environment: an SCF function in region ap-shanghai of env `envId`, whose SDK is
  // pointed at this server by TCB_CONTEXT_CNFG (node-sdk src/utils/tcbcontext.ts getServerInjectUrl). The
  // credentials are placeholders: the SDK signs every request and fails without any.
  private baseEnv(fn: FunctionInfo): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !/^(WX_|TCB_|SCF_|TENCENTCLOUD_)/.test(k)) env[k] = v;
    }
    return Object.assign(env, {
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      SCF_NAMESPACE: this.opts.envId,
      SCF_FUNCTIONNAME: fn.name,
      TCB_ENV: this.opts.envId,
      TENCENTCLOUD_SECRETID: 'local-cloud',
      TENCENTCLOUD_SECRETKEY: 'local-cloud',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${this.opts.serviceUrl()}/admin` }),
      SILENCE: 'true',
    });
  }

  private pool(name: string): Pool {
    let p = this.pools.get(name);
    if (!p) {
      p = { idle: [], all: new Set(), queue: [] };
      this.pools.set(name, p);
    }
    return p;
  }

  private spawn(fn: FunctionInfo, pool: Pool): Instance {
    const worker = new Worker(WORKER_FILE, {
      env: this.baseEnv(fn),
      workerData: { dir: fn.dir, sdkPath: this.sdkPath },
    });
    let loaded: (error?: string) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      loaded = (error) => (error ? reject(new InvocationError('FUNCTION_FAILED', error)) : resolve());
    });
    ready.catch(() => undefined); // observed by acquire(); a crash before that is reported there
    const inst: Instance = { worker, busy: true, pending: new Map(), ready };
    worker.on('message', (m: ResultMessage) => {
      if (m.id === 0) {
        // The init phase's report: the bundle (and the SDK) loaded, or failed to.
        if (m.ok && m.coldStartMs !== undefined) {
          const list = this.coldStarts.get(fn.name) ?? [];
          list.push(m.coldStartMs);
          this.coldStarts.set(fn.name, list);
        }
        loaded(m.ok ? undefined : (m.error ?? 'init failed'));
        if (!m.ok) void worker.terminate(); // a bundle that cannot load gets a fresh instance next time
        return;
      }
      const done = inst.pending.get(m.id);
      inst.pending.delete(m.id);
      done?.(m);
    });
    const fail = (why: string) => {
      pool.all.delete(inst);
      pool.idle = pool.idle.filter((i) => i !== inst);
      loaded(why);
      for (const done of inst.pending.values()) done({ id: -1, ok: false, error: why });
      inst.pending.clear();
    };
    worker.on('error', (e) => fail(`instance crashed: ${e.stack ?? e}`));
    worker.on('exit', (code) => fail(`instance exited (${code})`));
    pool.all.add(inst);
    return inst;
  }

  private acquire(fn: FunctionInfo): Promise<Instance> {
    const pool = this.pool(fn.name);
    const idle = pool.idle.pop();
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (pool.all.size < this.maxInstances) return Promise.resolve(this.spawn(fn, pool));
    return new Promise((resolve) => pool.queue.push(resolve));
  }

  private release(fn: FunctionInfo, inst: Instance): void {
    const pool = this.pool(fn.name);
    if (!pool.all.has(inst) || this.closed) return;
    const next = pool.queue.shift();
    if (next) {
      next(inst);
      return;
    }
    inst.busy = false;
    pool.idle.push(inst);
  }

  /** Runs one invocation as the platform would; resolves with the function's return value. */
  async invoke(name: string, event: unknown, ctx: WXContext, counters: Counters = zeroCounters()): Promise<unknown> {
    const fn = this.functions.get(name);
    if (!fn) throw new InvocationError('FUNCTION_NOT_FOUND', `云函数 ${name} 不存在`);
    const inst = await this.acquire(fn);
    try {
      // The init phase is not part of the invocation's timeout (as on SCF).
      await inst.ready;
    } catch (e) {
      this.release(fn, inst);
      throw e;
    }
    const token = randomBytes(16).toString('hex');
    this.invocations.set(token, { fn: name, ctx, counters });
    const id = ++this.seq;
    const timer = ctx.SOURCE.startsWith('wx_trigger');
    const keys = [
      'WX_OPENID',
      'WX_APPID',
      'WX_UNIONID',
      'WX_CLIENTIP',
      'WX_API_TOKEN',
      ...(timer ? ['WX_TRIGGER_API_TOKEN_V0'] : []),
    ];
    const env: Record<string, string> = {
      WX_CONTEXT_KEYS: keys.join(','),
      WX_OPENID: ctx.OPENID,
      WX_APPID: ctx.APPID,
      WX_UNIONID: ctx.UNIONID,
      WX_CLIENTIP: ctx.CLIENTIP,
      WX_API_TOKEN: token,
      TCB_SOURCE: ctx.SOURCE,
      SCF_REQUEST_ID: `${id}`,
      ...(timer ? { TRIGGER_SRC: 'timer', WX_TRIGGER_API_TOKEN_V0: token } : {}),
    };
    const timeoutMs = (fn.config.timeout ?? 60) * 1000;
    const context = {
      function_name: name,
      namespace: this.opts.envId,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: token,
      function_version: '$LATEST',
    };
    const message: InvokeMessage = { id, event, env, context };
    let clock: NodeJS.Timeout | undefined;
    try {
      const answer = await new Promise<ResultMessage>((resolve) => {
        inst.pending.set(id, resolve);
        clock = setTimeout(() => {
          // SCF kills an instance that runs past its timeout; the next call gets a new one.
          inst.pending.delete(id);
          resolve({ id, ok: false, error: 'FUNCTION_TIMEOUT' });
          void inst.worker.terminate();
        }, timeoutMs);
        inst.worker.postMessage(message);
      });
      if (answer.ok) return JSON.parse(answer.json ?? 'null');
      if (answer.error === 'FUNCTION_TIMEOUT') throw new InvocationError('FUNCTION_TIMEOUT', `云函数 ${name} 执行超时`);
      throw new InvocationError('FUNCTION_FAILED', answer.error ?? 'function failed');
    } finally {
      clearTimeout(clock);
      this.invocations.delete(token);
      this.release(fn, inst);
    }
  }

  /** Instances per function (busy and idle). */
  instanceCounts(): Record<string, number> {
    return Object.fromEntries([...this.pools].map(([n, p]) => [n, p.all.size]));
  }

  /** Stops every instance. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pools.values()].flatMap((p) => [...p.all]);
    await Promise.all(all.map((i) => i.worker.terminate()));
  }
}

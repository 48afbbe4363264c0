// Starts the local cloud (the built bundles, as `npm start` runs them) on a free port with its own
// data directory, for integration and E2E tests.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'cloudfunctions', 'local-cloud', 'dist', 'cli.js');
const SEED = path.join(ROOT, 'cloudfunctions', 'local-cloud', 'dist', 'seed-cli.js');
/** The demo clock used by seeded tests: a fixed Shanghai midnight, so figures are reproducible. */
export const SEED_NOW = Date.UTC(2026, 10, 24, 16); // 2026-11-25 00:00 Asia/Shanghai

/** A response of `call`: the envelope plus the op counters the host reports. */
export interface CallResult<T = any> {
  status: number;
  body: T;
  db: { calls: number; reads: number; writes: number };
}

/** A running local cloud. */
export interface RunningCloud {
  url: string;
  dataDir: string;
  call<T = any>(fn: string, event: object, openid?: string): Promise<T>;
  raw<T = any>(fn: string, body: string | object | undefined, openid?: string): Promise<CallResult<T>>;
  admin<T = any>(p: string, body?: object): Promise<T>;
  stop(): Promise<void>;
  kill9(): void;
  restart(): Promise<RunningCloud>;
}

/** Starts a local cloud; `seed` loads the demo data (2,000 consumers unless `consumers` says). */
export async function startLocalCloud(
  opts: { seed?: boolean; consumers?: number; dataDir?: string } = {},
): Promise<RunningCloud> {
  if (!fs.existsSync(CLI)) throw new Error('local cloud not built: run `npm run build:functions` first');
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-'));
  if (opts.seed) {
    const r = spawnSync(
      process.execPath,
      [SEED, '--data', dataDir, '--consumers', String(opts.consumers ?? 2000), '--now', String(SEED_NOW)],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`seed failed: ${r.stderr}`);
  }
  const child = spawn(process.execPath, [CLI, '--data', dataDir, '--port', '0', '--no-timers'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitReady(child);
  return makeHandle(url, dataDir, child);
}

function waitReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`local cloud did not start: ${out}${err}`)), 20000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const url = /LOCAL_CLOUD_READY (\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    // Keep draining stderr so the child never blocks on a full pipe.
    child.stderr!.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-4000);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited (${code}): ${err}`));
    });
  });
}

function makeHandle(url: string, dataDir: string, child: ChildProcess): RunningCloud {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const raw = async <T>(fn: string, body: string | object | undefined, openid?: string): Promise<CallResult<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (openid) headers['x-wx-openid'] = openid;
    const res = await fetch(`${url}/fn/${fn}`, {
      method: 'POST',
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const n = (h: string) => Number(res.headers.get(h) ?? 0);
    return {
      status: res.status,
      body: (await res.json()) as T,
      db: { calls: n('x-db-calls'), reads: n('x-db-reads'), writes: n('x-db-writes') },
    };
  };
  const handle: RunningCloud = {
    url,
    dataDir,
    raw,
    async call<T>(fn: string, event: object, openid?: string) {
      return (await raw<T>(fn, event, openid)).body;
    },
    async admin(p, body) {
      const res = await fetch(
        `${url}${p}`,
        body
          ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
          : undefined,
      );
      return res.json() as never;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    kill9() {
      child.kill('SIGKILL');
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      await exited;
      return startLocalCloud({ dataDir });
    },
  };
  return handle;
}

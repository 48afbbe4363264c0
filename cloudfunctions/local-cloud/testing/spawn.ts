// The local cloud as a child process, for integration tests, E2E tests and benchmarks alike: seeds its data
// directory if asked, starts the built host on a free port, waits for its ready line (state, not time) and
// answers function calls with the database counters the host reports in its `x-db-*` headers.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as path from 'path';

// One level below local-cloud both as source (testing/) and as the benchmarks' bundle (dist/spawn.js).
const DIST = path.resolve(__dirname, '..', 'dist');
const CLI = path.join(DIST, 'cli.js');
const SEED = path.join(DIST, 'seed-cli.js');

/** The database requests one call made, as the host counts them. */
export interface DbCounters {
  calls: number;
  reads: number;
  writes: number;
  tx: number;
}

/** One function call's answer: HTTP status, the envelope and its database counters. */
export interface CallAnswer<T = unknown> {
  status: number;
  body: T;
  db: DbCounters;
}

/** A local cloud running as a child process. */
export interface SpawnedCloud {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** Calls a function as `openid` (the local-only identity header); a string body is sent as it is. */
  call<T = unknown>(fn: string, body: string | object | undefined, openid?: string): Promise<CallAnswer<T>>;
  /** GET (no body) or POST one of the host's `/__admin` or `/__sandbox` endpoints. */
  admin<T = unknown>(p: string, body?: object): Promise<T>;
}

/** Lays down the demo data for `consumers` consumers (at `now`, default the seed's clock) in `dataDir`. */
export function seedDataDir(dataDir: string, consumers: number, now?: number): void {
  const args = [SEED, '--data', dataDir, '--consumers', String(consumers)];
  if (now !== undefined) args.push('--now', String(now));
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seed failed: ${r.stderr}`);
}

/** Starts the built host on `dataDir`, with extra host flags and Node flags (e.g. `--cpu-prof`). */
export async function spawnCloud(opts: {
  dataDir: string;
  hostArgs?: string[];
  nodeArgs?: string[];
}): Promise<SpawnedCloud> {
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), CLI, '--data', opts.dataDir, '--port', '0', '--no-timers', ...(opts.hostArgs ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await ready(child);
  const call = async <T>(fn: string, body: string | object | undefined, openid?: string): Promise<CallAnswer<T>> => {
    const res = await fetch(`${url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const n = (h: string) => Number(res.headers.get(h) ?? 0);
    return {
      status: res.status,
      body: (await res.json()) as T,
      db: { calls: n('x-db-calls'), reads: n('x-db-reads'), writes: n('x-db-writes'), tx: n('x-db-tx') },
    };
  };
  const admin = async <T>(p: string, body?: object): Promise<T> => {
    const init = body
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : undefined;
    return (await (await fetch(`${url}${p}`, init)).json()) as T;
  };
  return { url, dataDir: opts.dataDir, child, exited, call, admin };
}

// The host prints `LOCAL_CLOUD_READY <url>` once it listens; an exit before that fails with its stderr.
function ready(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const url = /LOCAL_CLOUD_READY (\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    // Keep draining both pipes so the child never blocks on a full one.
    child.stderr!.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-4000);
    });
    child.once('exit', (code) => reject(new Error(`local cloud exited (${code}) before it was ready: ${err}`)));
  });
}

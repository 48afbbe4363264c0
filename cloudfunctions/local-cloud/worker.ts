// One function instance, as SCF runs it: its own thread with its own `process.env`, the deployed bundle
// loaded once (the cold start), one invocation at a time. The real wx-server-sdk reads the invocation's
// context from process.env (wx-server-sdk src/api/utils/api/getWXContext.ts: WX_CONTEXT_KEYS, WX_*,
// TCB_ENV, TCB_SOURCE; @cloudbase/node-sdk src/utils/wxCloudToken.ts: WX_API_TOKEN / WX_TRIGGER_API_TOKEN_V0),
// so the host sets those before each call, as the platform does.
import Module from 'module';
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';

/** What the host sends for one invocation. */
export interface InvokeMessage {
  id: number;
  event: unknown;
  env: Record<string, string>;
  context: Record<string, unknown>;
}

/** What the instance answers. */
export interface ResultMessage {
  id: number;
  ok: boolean;
  json?: string;
  error?: string;
  coldStartMs?: number;
}

const { dir, sdkPath } = workerData as { dir: string; sdkPath: string };

// On CloudBase each function folder gets its own node_modules (云端安装依赖); here a folder without one
// uses the repository's pinned copy of the real wx-server-sdk.
type Resolve = (request: string, ...rest: unknown[]) => string;
const M = Module as unknown as { _resolveFilename: Resolve };
const resolve = M._resolveFilename;
M._resolveFilename = function resolveSdk(this: unknown, request: string, ...rest: unknown[]) {
  try {
    return resolve.call(this, request, ...rest);
  } catch (e) {
    if (request === 'wx-server-sdk') return sdkPath;
    throw e;
  }
};
// Keys the platform sets per invocation; cleared first so nothing of the previous caller leaks into the next.
const PER_INVOCATION = [
  'WX_CONTEXT_KEYS',
  'WX_OPENID',
  'WX_APPID',
  'WX_UNIONID',
  'WX_CLIENTIP',
  'WX_CLIENTIPV6',
  'WX_API_TOKEN',
  'WX_TRIGGER_API_TOKEN_V0',
  'TCB_SOURCE',
  'TRIGGER_SRC',
  'SCF_REQUEST_ID',
];
let main: ((event: unknown, context: unknown) => unknown) | null = null;

process.on('unhandledRejection', (e) => {
  console.error(`[fn ${path.basename(dir)}] unhandled rejection`, e);
});

// The init phase (SCF loads the code before the first invocation, outside its timeout): load now, report.
function load(): void {
  const t0 = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(dir, 'index.js'));
  if (typeof mod.main !== 'function') throw new Error(`${path.basename(dir)}/index.js has no exports.main`);
  main = mod.main;
  const ready: ResultMessage = { id: 0, ok: true, coldStartMs: Number(process.hrtime.bigint() - t0) / 1e6 };
  parentPort!.postMessage(ready);
}
try {
  load();
} catch (e) {
  const failed: ResultMessage = { id: 0, ok: false, error: (e as Error)?.stack ?? String(e) };
  parentPort!.postMessage(failed);
}

async function invoke(m: InvokeMessage): Promise<void> {
  try {
    if (!main) throw new Error(`${path.basename(dir)}/index.js could not be loaded`);
    for (const k of PER_INVOCATION) delete process.env[k];
    Object.assign(process.env, m.env);
    const result = await main(m.event, m.context);
    // SCF hands the caller the JSON of the return value.
    const answer: ResultMessage = { id: m.id, ok: true, json: JSON.stringify(result ?? null) };
    parentPort!.postMessage(answer);
  } catch (e) {
    const answer: ResultMessage = { id: m.id, ok: false, error: (e as Error)?.stack ?? String(e) };
    parentPort!.postMessage(answer);
  }
}

// invoke never rejects: every failure becomes an answer.
parentPort!.on('message', (m: InvokeMessage) => void invoke(m));

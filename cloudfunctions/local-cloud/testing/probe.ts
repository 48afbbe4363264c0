// Test harness: a local cloud in this process with one deployed function, `probe`, that runs code sent by
// the test inside a real function instance with the REAL wx-server-sdk — so emulator specs exercise exactly
// the requests CloudBase would get. The code travels as the source of a function `({ cloud, db, _ }, args)`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IndexSpec } from '../db/engine';
import { LocalCloud } from '../host';
import { WXContext } from '../instances';

const PROBE = `const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const dates = function (key, value) {
  const raw = this[key];
  return raw instanceof Date ? { $date: raw.getTime() } : value;
};
exports.main = async (event) => {
  const db = cloud.database();
  const fn = new Function('return (' + event.code + ')')();
  try {
    const value = await fn({ cloud, db, _: db.command, $: db.command.aggregate }, event.args);
    return JSON.parse(JSON.stringify({ ok: true, value }, dates));
  } catch (e) {
    return { ok: false, error: { errCode: e && e.errCode, errMsg: e && e.errMsg, code: e && e.code,
      message: e && (e.message || String(e)) } };
  }
};`;

/** What the SDK threw inside the probe. */
export interface ProbeError {
  errCode?: number;
  errMsg?: string;
  code?: string;
  message?: string;
}

/** The error a probe call threw, with the SDK's fields. */
export class ProbeFailure extends Error {
  constructor(readonly error: ProbeError) {
    super(error.errMsg ?? error.message ?? 'probe failed');
  }
}

/** Context given to probe code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ProbeScope = { cloud: any; db: any; _: any; $: any };

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.$date === 'number') return new Date(o.$date);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

/** A running probe cloud. */
export interface ProbeCloud {
  cloud: LocalCloud;
  /** Runs `fn` in a function instance; resolves with its value, rejects with ProbeFailure on an SDK error. */
  run<T = unknown, A = unknown>(
    fn: (scope: ProbeScope, args: A) => Promise<T> | T,
    args?: A,
    ctx?: Partial<WXContext>,
  ): Promise<T>;
  close(): Promise<void>;
}

/** Starts a local cloud with the probe function (in memory unless `dataDir`), listening on a free port. */
export async function startProbeCloud(
  opts: {
    dataDir?: string;
    indexes?: Record<string, IndexSpec[]>;
    functions?: Record<string, string>;
    maxInstances?: number;
  } = {},
): Promise<ProbeCloud> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-fns-'));
  const fns = { probe: PROBE, ...(opts.functions ?? {}) };
  for (const [name, code] of Object.entries(fns)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'index.js'), code);
  }
  const indexesFile = path.join(dir, 'indexes.json');
  fs.writeFileSync(indexesFile, JSON.stringify({ collections: opts.indexes ?? {} }));
  const cloud = new LocalCloud({
    functionsDir: dir,
    dataDir: opts.dataDir ?? null,
    indexesFile,
    timers: false,
    port: 0,
    maxInstances: opts.maxInstances,
  });
  await cloud.listen();
  return {
    cloud,
    async run(fn, args, ctx) {
      const r = (await cloud.invoke(
        'probe',
        { code: fn.toString(), args },
        { ...cloud.ctx('probe_user', 'wx_client'), ...ctx },
      )) as {
        ok: boolean;
        value?: unknown;
        error?: ProbeError;
      };
      if (!r.ok) throw new ProbeFailure(r.error ?? {});
      return revive(r.value) as never;
    },
    async close() {
      await cloud.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

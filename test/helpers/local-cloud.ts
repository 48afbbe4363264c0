// Starts the local cloud (the built bundles, as `npm start` runs them) on a free port with its own
// data directory, for integration and E2E tests.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CallAnswer, seedDataDir, spawnCloud } from '../../cloudfunctions/local-cloud/testing/spawn';

const CLI = path.resolve(__dirname, '..', '..', 'cloudfunctions', 'local-cloud', 'dist', 'cli.js');
/** The demo clock used by seeded tests: a fixed Shanghai midnight, so figures are reproducible. */
export const SEED_NOW = Date.UTC(2026, 10, 24, 16); // 2026-11-25 00:00 Asia/Shanghai

/** A response of `call`: the envelope plus the op counters the host reports. */
export type CallResult<T = any> = CallAnswer<T>;

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
  if (opts.seed) seedDataDir(dataDir, opts.consumers ?? 2000, SEED_NOW);
  const cloud = await spawnCloud({ dataDir });
  const raw = cloud.call;
  const handle: RunningCloud = {
    url: cloud.url,
    dataDir,
    raw,
    async call<T>(fn: string, event: object, openid?: string) {
      return (await raw<T>(fn, event, openid)).body;
    },
    admin: (p, body) => cloud.admin(p, body) as never,
    async stop() {
      cloud.child.kill('SIGTERM');
      await cloud.exited;
    },
    kill9() {
      cloud.child.kill('SIGKILL');
    },
    async restart() {
      if (cloud.child.exitCode === null && cloud.child.signalCode === null) cloud.child.kill('SIGTERM');
      await cloud.exited;
      return startLocalCloud({ dataDir });
    },
  };
  return handle;
}

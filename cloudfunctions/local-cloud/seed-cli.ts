// `npm run seed`: resets the local cloud's data directory and loads the deterministic demo data.
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from './db/engine';
import { generateDemoData, summarizeDemoData } from '../src/seed/generate';
import { LocalCloud } from './host';
import { DEFAULTS, flag } from './paths';

/** The fixed seed and clock of the demo, so every machine gets the same data. */
export const DEMO_SEED = 20261125;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dataDir = flag(argv, 'data') ?? DEFAULTS.dataDir;
  if (argv.includes('--if-empty') && fs.existsSync(path.join(dataDir, 'snapshot.jsonl'))) {
    console.log(`演示数据已存在：${dataDir}（重置请运行 npm run seed）`);
    return;
  }
  const consumers = Number(flag(argv, 'consumers') ?? 2000);
  // Anchored to today (Shanghai midnight) so "last 30 days" dashboards always have data.
  const day = 24 * 3600_000;
  const now = Number(flag(argv, 'now') ?? Math.floor((Date.now() + 8 * 3600_000) / day) * day - 8 * 3600_000);
  const t0 = Date.now();
  const data = generateDemoData({ seed: Number(flag(argv, 'seed') ?? DEMO_SEED), consumers, now });
  const indexes = JSON.parse(fs.readFileSync(flag(argv, 'indexes') ?? DEFAULTS.indexesFile, 'utf8')).collections;
  fs.rmSync(dataDir, { recursive: true, force: true });
  const engine = new Engine({ dir: dataDir, indexes });
  engine.replaceAll(data as never);
  engine.close();
  // Tags, RFM layers and stages come from the real nightly job, run here over the fresh data.
  const functionsDir = flag(argv, 'functions') ?? DEFAULTS.functionsDir;
  let crm = 'skipped (functions not built)';
  if (fs.existsSync(path.join(functionsDir, 'crm', 'index.js'))) {
    const cloud = new LocalCloud({
      functionsDir,
      dataDir,
      indexesFile: flag(argv, 'indexes') ?? DEFAULTS.indexesFile,
      timers: false,
      port: 0,
    });
    await cloud.listen();
    let r: { ok?: boolean; data?: { phase?: string } } = {};
    for (let i = 0; i < 20 && r.data?.phase !== 'done'; i++) r = (await cloud.trigger('crm', now)) as typeof r;
    await cloud.close();
    crm = r.data?.phase ?? JSON.stringify(r);
  }
  console.log(
    `演示数据已写入 ${dataDir}（${Date.now() - t0} ms，nightly: ${crm}）`,
    JSON.stringify(summarizeDemoData(data)),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `npm run cloud`: starts the local cloud and prints its URLs.
import { LocalCloud } from './host';
import { DEFAULTS, flag } from './paths';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const cloud = new LocalCloud({
    functionsDir: flag(argv, 'functions') ?? DEFAULTS.functionsDir,
    dataDir: flag(argv, 'data') ?? DEFAULTS.dataDir,
    indexesFile: flag(argv, 'indexes') ?? DEFAULTS.indexesFile,
    staticDir: flag(argv, 'static') ?? DEFAULTS.staticDir,
    port: Number(flag(argv, 'port') ?? process.env.CLOUD_PORT ?? 8787),
    timers: !argv.includes('--no-timers'),
  });
  const url = await cloud.listen();
  console.log(`本地云已启动 (local cloud ready)`);
  console.log(`  小程序 h5:   ${url}/`);
  console.log(`  云函数:      POST ${url}/fn/<name>   (${cloud.functionNames().join(', ')})`);
  console.log(`  健康检查:    ${url}/healthz`);
  console.log(`LOCAL_CLOUD_READY ${url}`);
  const stop = () => {
    cloud.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

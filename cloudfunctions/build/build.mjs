// Bundles each cloud function (domain + store + handler) into its own deployable folder
// cloudfunctions/dist/<name>/ { index.js, package.json, config.json }, and the local cloud itself.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = path.join(root, 'cloudfunctions', 'src', 'functions');
const outDir = path.join(root, 'cloudfunctions', 'dist');
const SDK_VERSION = '4.0.2';

const names = fs.readdirSync(srcDir).filter((n) => fs.existsSync(path.join(srcDir, n, 'index.ts')));
fs.rmSync(outDir, { recursive: true, force: true });
const sizes = {};
for (const name of names) {
  const dir = path.join(outDir, name);
  await esbuild.build({
    entryPoints: [path.join(srcDir, name, 'index.ts')],
    outfile: path.join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk'],
    logLevel: 'warning',
    legalComments: 'none',
    minify: true,
    keepNames: true,
  });
  const cfgSrc = path.join(srcDir, name, 'config.json');
  const config = fs.existsSync(cfgSrc) ? JSON.parse(fs.readFileSync(cfgSrc, 'utf8')) : { permissions: { openapi: [] } };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name,
        version: '1.0.0',
        private: true,
        main: 'index.js',
        dependencies: { 'wx-server-sdk': SDK_VERSION },
      },
      null,
      2,
    ) + '\n',
  );
  sizes[name] = fs.statSync(path.join(dir, 'index.js')).size;
}

// The local cloud, and its child-process starter for the benchmarks (tests import the source).
const localCloud = path.join(root, 'cloudfunctions', 'local-cloud');
await esbuild.build({
  entryPoints: [
    ...['cli', 'seed-cli', 'worker'].map((f) => ({ in: path.join(localCloud, `${f}.ts`), out: f })),
    { in: path.join(localCloud, 'testing', 'spawn.ts'), out: 'spawn' },
  ],
  outdir: path.join(localCloud, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});

// The bare engine for benchmarks that lay down large data sets before a local cloud starts on them.
await esbuild.build({
  stdin: {
    contents: "export * as Engine from './db/engine';",
    resolveDir: path.join(root, 'cloudfunctions', 'local-cloud'),
    loader: 'ts',
  },
  outfile: path.join(root, 'cloudfunctions', 'local-cloud', 'dist', 'bench-engine.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});

// Pure RFM functions for the in-process scoring benchmark, and the Shanghai calendar for every benchmark.
await esbuild.build({
  stdin: {
    contents: "export * from './rfm'; export { shanghaiHour, shanghaiMonth } from './time';",
    resolveDir: path.join(root, 'cloudfunctions', 'src', 'domain'),
    loader: 'ts',
  },
  outfile: path.join(root, 'cloudfunctions', 'local-cloud', 'dist', 'bench-domain.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});

console.log(
  `built ${names.length} functions → cloudfunctions/dist: ` +
    names.map((n) => `${n} ${(sizes[n] / 1024).toFixed(1)} KB`).join(', '),
);

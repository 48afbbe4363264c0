// `npm run bench [-- foundation|membership] [--no-builds]`: prints figures; never asserts.
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const suites = only.length ? only : ['foundation', 'membership', 'trade', 'intelligence', 'campaigns'];
for (const s of suites) {
  const mod = await import(`./${s}.mjs`);
  await mod.run({ builds: !args.includes('--no-builds') });
}

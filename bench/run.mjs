// Runs the benchmarks in bench/*.bench.ts one after another, each in its own process so peak
// memory and timings do not leak between them. Each bench prints its own figures side by side
// with its named reference. `node bench/run.mjs diff` runs only bench/diff.bench.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../scripts/esbuild-node.mjs';

const only = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name));

mkdirSync('bench/.data', { recursive: true });
let failed = 0;
for (const name of benches) {
  const outfile = `bench/.data/${name}.bench.mjs`;
  await build({
    entryPoints: [`bench/${name}.bench.ts`],
    outfile,
    ...NODE_BUNDLE,
  });
  console.log(`\n=== bench ${name} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;

// Bundles the CLI (and, once present, other entry points) with esbuild. Runs on `npm ci` via the
// `prepare` script, so `npx driftwatch` works right after install without a separate build step.
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(
  await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')),
);

const common = {
  define: { __DRIFTWATCH_VERSION__: JSON.stringify(pkg.version) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // Keep node_modules external for the CLI: it runs from an installed package.
  packages: 'external',
};

const entries = [{ in: 'cli/main.ts', out: 'dist/cli.js' }];

for (const entry of entries) {
  if (!existsSync(entry.in)) continue;
  await build({ ...common, entryPoints: [entry.in], outfile: entry.out });
}

// Further bundles (the pipeline task) register themselves here.
const extra = 'scripts/build-task.mjs';
if (existsSync(extra)) await import(`./build-task.mjs`);

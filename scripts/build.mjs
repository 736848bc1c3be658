// Bundles the CLI (and, once present, other entry points) with esbuild. Runs on `npm ci` via the
// `prepare` script, so `npx driftwatch` works right after install without a separate build step.
import { existsSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { NODE_BUNDLE } from './esbuild-node.mjs';
import { pageAssetsDefine } from './page-assets.mjs';

const pkg = JSON.parse(
  await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')),
);

// Stale chunks from earlier builds would only confuse; start clean.
rmSync('dist/chunks', { recursive: true, force: true });

const common = {
  ...NODE_BUNDLE,
  define: { __DRIFTWATCH_VERSION__: JSON.stringify(pkg.version), ...pageAssetsDefine() },
  sourcemap: true,
};

// Code splitting: commands import their heavy parts (Azure SDKs, Bolt, Redis clients) with
// `await import()`, so `driftwatch diff` does not pay for loading what `scan` or `bot` need.
await build({
  ...common,
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

// Further bundles (the pipeline task) register themselves here.
const extra = 'scripts/build-task.mjs';
if (existsSync(extra)) await import(`./build-task.mjs`);

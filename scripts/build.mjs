// Bundles the CLI (and, once present, other entry points) with esbuild. Runs on `npm ci` via the
// `prepare` script, so `npx driftwatch` works right after install without a separate build step.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { NODE_BUNDLE } from './esbuild-node.mjs';
import { pageAssetsDefine } from './page-assets.mjs';

const pkg = JSON.parse(
  await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')),
);

const common = {
  ...NODE_BUNDLE,
  define: { __DRIFTWATCH_VERSION__: JSON.stringify(pkg.version), ...pageAssetsDefine() },
  sourcemap: true,
};

// Code splitting: commands import their heavy parts (Azure SDKs, Bolt, Redis clients) with
// `await import()`, so `driftwatch diff` does not pay for loading what `scan` or `bot` need.
const cli = await build({
  ...common,
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
});
// Test runs and builds overlap (vitest's global setup builds, and so may a second run beside it):
// each file is written whole and renamed into place, chunks are named by their content, and only
// chunks no build has written for an hour are removed, so a CLI already running never finds its
// chunks gone or half written.
const written = new Set();
for (const file of cli.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
  written.add(file.path);
}
const chunks = resolve('dist/chunks');
const anHourAgo = Date.now() - 3_600_000;
for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
  const path = join(chunks, name);
  if (!written.has(path) && statSync(path).mtimeMs < anHourAgo) rmSync(path, { force: true });
}

// Further bundles (the pipeline task) register themselves here.
const extra = 'scripts/build-task.mjs';
if (existsSync(extra)) await import(`./build-task.mjs`);

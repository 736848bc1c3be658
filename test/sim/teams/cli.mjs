#!/usr/bin/env node
// Runs the Teams simulator as its own process: bundles run-teams-simulator.ts with esbuild (already a
// dev dependency) into a temp file and imports it. Usage: see run-teams-simulator.ts.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../../../scripts/esbuild-node.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// Inside node_modules/.cache so the bundle's package imports resolve from the project.
const cache = join(here, '../../../node_modules/.cache/driftwatch-teams-sim');
mkdirSync(cache, { recursive: true });
const outfile = join(mkdtempSync(join(cache, 'run-')), 'run-teams-simulator.mjs');
await build({
  entryPoints: [join(here, 'run-teams-simulator.ts')],
  outfile,
  ...NODE_BUNDLE,
});
await import(pathToFileURL(outfile).href);

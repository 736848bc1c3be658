import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../support/requirements.js';

/**
 * Bundles a TypeScript entry (relative to the project root) into an `.mjs` that a separate Node
 * process runs. Written under `node_modules/.cache` so its package imports resolve from the
 * checkout's node_modules (same options as scripts/esbuild-node.mjs).
 */
export async function buildStoreChild(entry: string): Promise<string> {
  const cache = resolve(PROJECT_ROOT, 'node_modules/.cache/driftwatch-test');
  mkdirSync(cache, { recursive: true });
  const outfile = join(mkdtempSync(join(cache, 'store-child-')), 'child.mjs');
  await build({
    entryPoints: [resolve(PROJECT_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

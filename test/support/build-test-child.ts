import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from './requirements.js';

/**
 * Bundles a TypeScript entry (relative to the project root) into an `.mjs` a separate Node
 * process can run. It is written under `node_modules/.cache` so its package imports resolve from
 * the checkout's node_modules (the same options as scripts/esbuild-node.mjs).
 */
export async function buildTestChild(entry: string): Promise<string> {
  const cache = resolve(PROJECT_ROOT, 'node_modules/.cache/driftwatch-test');
  mkdirSync(cache, { recursive: true });
  const outfile = join(mkdtempSync(join(cache, 'child-')), 'child.mjs');
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

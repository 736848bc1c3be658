#!/usr/bin/env node
// The package's bin: a thin shim over the bundle built by `npm run build` (run on `npm ci`).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});

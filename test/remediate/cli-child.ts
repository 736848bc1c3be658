// The driftwatch CLI as its own process, for tests whose claim is about processes (bundled by
// buildTestChild; the same `main` the bin runs).
import { main } from '../../cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});

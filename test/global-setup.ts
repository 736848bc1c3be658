import { execFileSync } from 'node:child_process';

/** Builds the CLI (and task) bundles once, so end-to-end tests run the code under test. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

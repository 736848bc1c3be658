import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * Gates for suites that need real Redis or the shared real-world fixtures: they skip on a
 * developer machine without them, and FAIL under `CI=true`, where both must be present.
 */
export const IS_CI = process.env.CI === 'true';
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES_DIR = resolve(PROJECT_ROOT, '../shared/fixtures');
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const fixturesPresent = existsSync(FIXTURES_DIR);

export const redisPresent: boolean = await new Promise((done) => {
  const url = new URL(REDIS_URL);
  const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379) });
  const finish = (ok: boolean) => {
    socket.destroy();
    done(ok);
  };
  socket.setTimeout(500, () => finish(false));
  socket.once('connect', () => finish(true));
  socket.once('error', () => finish(false));
});

function gated(present: boolean, what: string) {
  return (name: string, body: () => void) => {
    if (present) return describe(name, body);
    if (IS_CI) {
      return describe(name, () => {
        it(`needs ${what}`, () => {
          throw new Error(`${what} is required when CI=true but is not available`);
        });
      });
    }
    return describe.skip(`${name} (skipped: ${what} not available)`, body);
  };
}

/** `describe` for suites that talk to real Redis at 127.0.0.1:6379. */
export const describeWithRedis = gated(redisPresent, 'Redis at 127.0.0.1:6379');

/** `describe` for suites that read `../shared/fixtures`. */
export const describeWithFixtures = gated(
  fixturesPresent,
  `the shared fixtures at ${FIXTURES_DIR}`,
);

/** Debian's chromium, driven by playwright-core in the browser tests (`.ci/run` installs it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumPresent = existsSync(CHROMIUM_PATH);

/** `describe` for suites that drive headless Chromium. */
export const describeWithChromium = gated(chromiumPresent, `chromium at ${CHROMIUM_PATH}`);

/** Absolute path of a shared fixture, e.g. `fixture('arm/Microsoft.Sql.servers.ServerGet.json')`. */
export function fixture(relative: string): string {
  return resolve(FIXTURES_DIR, relative);
}

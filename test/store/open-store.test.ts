import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../core/errors.js';
import { openStore } from '../../core/store/open-store.js';
import { buildTestChild } from '../support/build-test-child.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('openStore on the embedded SQLite file', () => {
  let child: string;
  beforeAll(async () => {
    child = await buildTestChild('test/store/open-store-child.ts');
  });

  it('creates the store file with mode 0600 and its new folders with mode 0700', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dw-mode-'));
    const path = join(root, 'state', '.driftwatch', 'store.sqlite');
    const store = await openStore({ path });
    await store.saveReport({
      schemaVersion: 1,
      generatedAt: '2026-11-21T10:00:00Z',
      scope: 'prod',
      baseline: { resources: 0, complete: true },
      current: { resources: 0, complete: true },
      complete: true,
      summary: {
        findings: 0,
        byChange: { added: 0, removed: 0, modified: 0, unknown: 0 },
        bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
        maxSeverity: null,
        suppressed: { total: 0, byRule: {} },
        accepted: 0,
      },
      findings: [],
    });
    // SQLite gives its write-ahead log the database file's mode.
    const wal = `${path}-wal`;
    const walMode = existsSync(wal) ? modeOf(wal) : '600';
    await store.close();
    expect(modeOf(path)).toBe('600');
    expect(walMode).toBe('600');
    expect(modeOf(join(root, 'state'))).toBe('700');
    expect(modeOf(join(root, 'state', '.driftwatch'))).toBe('700');
  });

  it('refuses a file that is not a SQLite database with one store error naming it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dw-notdb-')), 'notes.txt');
    writeFileSync(
      path,
      'shopping list: milk, eggs, and a lot more text than a header\n'.repeat(20),
    );
    const started = Date.now();
    const error = await openStore({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'store.not-a-database', details: { path } });
    expect((error as Error).message).toContain(`the store file ${path} is not a SQLite database`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a folder given as the store path, naming it', async () => {
    const path = mkdtempSync(join(tmpdir(), 'dw-dir-'));
    await expect(openStore({ path })).rejects.toMatchObject({
      code: 'store.not-a-database',
      message: `the store path ${path} is not a file; set store.path (or DRIFTWATCH_STORE) to a new file or an existing driftwatch store`,
    });
  });

  it('refuses a path under a file, naming the store path', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dw-under-')), 'plain');
    writeFileSync(file, 'x');
    await expect(openStore({ path: join(file, 'store.sqlite') })).rejects.toMatchObject({
      code: 'store.unavailable',
      message: `cannot open the store at ${join(file, 'store.sqlite')}: ${file} is not a folder`,
    });
  });

  it.runIf(existsSync('/proc/self'))(
    'fails at once with one store error for a path that cannot be created (/proc), instead of hanging',
    () => {
      const started = Date.now();
      const run = spawnSync(process.execPath, [child, '/proc/driftwatch/x/store.sqlite'], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(run.signal).toBeNull();
      expect(JSON.parse(run.stdout)).toEqual({
        code: 'store.unavailable',
        message:
          'cannot open the store at /proc/driftwatch/x/store.sqlite: cannot create the folder /proc/driftwatch (ENOENT)',
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );
});

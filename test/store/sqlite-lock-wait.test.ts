import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/open-store.js';
import { concurrentReport, concurrentSnapshot, RETENTION } from './concurrent-writes.js';

/** A second writer on the file: a raw connection that takes the write lock and holds it. */
async function holdWriteLock(path: string) {
  const db = await new Promise<sqlite3.Database>((done, reject) => {
    const opened = new sqlite3.Database(path, (error) => (error ? reject(error) : done(opened)));
  });
  const run = (sql: string) =>
    new Promise<void>((done, reject) => db.run(sql, (error) => (error ? reject(error) : done())));
  await run('BEGIN IMMEDIATE');
  return {
    /** Commits and closes; resolves with how long the commit waited for a thread. */
    release: async () => {
      const asked = performance.now();
      await run('COMMIT');
      const waited = performance.now() - asked;
      await new Promise((done) => db.close(done));
      return waited;
    },
  };
}

describe('the SQLite store while another writer holds the lock', () => {
  // node-sqlite3 runs statements on libuv's 4 threads, and a statement waiting for the lock
  // keeps its thread. When keyv had a connection of its own, its waiting statements took every
  // thread, and the lock holder's next statement (here the COMMIT) waited 10 s per waiting
  // statement; the writes then failed with SQLITE_BUSY.
  it('never takes the thread the lock holder needs: the holder commits at once and every call completes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dw-lock-')), 'store.sqlite');
    const store = await openStore({ path, retention: RETENTION });
    await store.saveReport(concurrentReport(9, 9)); // the file and its tables exist
    const lock = await holdWriteLock(path);

    const calls = Promise.allSettled([
      ...Array.from({ length: 12 }, (_, i) => store.saveReport(concurrentReport(0, i))),
      ...Array.from({ length: 6 }, (_, i) => store.setBaseline('prod', concurrentSnapshot(0, i))),
      ...Array.from({ length: 6 }, () =>
        store.keyValue<number>('counters').update('writes', (n = 0) => n + 1),
      ),
    ]);
    await new Promise((done) => setTimeout(done, 300)); // every call is waiting for the lock
    const commitWaitedMs = await lock.release();
    const settled = await calls;

    expect(commitWaitedMs).toBeLessThan(1_000);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    expect(await store.listReports({ scope: 'prod' })).toHaveLength(13);
    expect(await store.keyValue<number>('counters').get('writes')).toBe(6);
    expect(await store.baselineHistory('prod')).toHaveLength(RETENTION.baselinesPerScope);
    await store.close();
  }, 60_000);
});

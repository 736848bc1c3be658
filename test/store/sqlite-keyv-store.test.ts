import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import sqlite3 from 'sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../core/errors.js';
import { openStore } from '../../core/store/open-store.js';
import { openSqliteStoreBackend } from '../../core/store/sqlite-store-backend.js';
import { concurrentReport } from './concurrent-writes.js';

const storeFile = () => join(mkdtempSync(join(tmpdir(), 'dw-keyv-')), 'store.sqlite');

/** keyv on the store's connection, in `namespace`; close() closes the connection. */
async function openKeyv(file: string, namespace: string) {
  const { backend, keyvStore } = await openSqliteStoreBackend({ file, namespace });
  const keyv = new Keyv({ store: keyvStore, namespace, throwOnErrors: true });
  return { keyv, adapter: keyvStore, close: () => backend.close() };
}

const key = (i: number) => `k${String(i).padStart(3, '0')}`;

async function listKeys(iterator: AsyncIterable<unknown[]>, afterEach?: (n: number) => unknown) {
  const keys: string[] = [];
  for await (const [listed] of iterator) {
    keys.push(listed as string);
    await afterEach?.(keys.length);
  }
  return keys;
}

describe('SqliteKeyvStore', () => {
  it('lists every key of its namespace across pages, in key order, and none of a look-alike namespace', async () => {
    const file = storeFile();
    const other = await openKeyv(file, 'teamxa');
    for (let i = 0; i < 30; i++) await other.keyv.set(key(i), i);
    await other.close();
    const { keyv, adapter, close } = await openKeyv(file, 'team_a');
    for (let i = 0; i < 250; i++) await keyv.set(key(i), { i });

    const keys = await listKeys(adapter.iterator('team_a'));

    // `_` is a LIKE wildcard: a LIKE-based listing would also return teamxa's keys.
    expect(keys).toEqual(Array.from({ length: 250 }, (_, i) => `team_a:${key(i)}`));
    await close();
  });

  it('skips nothing when keys already listed are deleted during the walk', async () => {
    const { keyv, adapter, close } = await openKeyv(storeFile(), 'dw');
    for (let i = 0; i < 250; i++) await keyv.set(key(i), i);

    // After the first page, another process deletes everything listed so far.
    const keys = await listKeys(adapter.iterator('dw'), async (n) => {
      if (n === 100) for (let i = 0; i < 100; i++) await keyv.delete(key(i));
    });

    expect(keys).toEqual(Array.from({ length: 250 }, (_, i) => `dw:${key(i)}`));
    await close();
  });

  it('deletes in one step, saying whether the key was there, and clears only its own namespace', async () => {
    const file = storeFile();
    const other = await openKeyv(file, 'other');
    await other.keyv.set('kept', 1);
    await other.close();
    const { keyv, close } = await openKeyv(file, 'dw');
    await keyv.set('a', 1);
    await keyv.set('b', 2);

    expect(await keyv.delete('a')).toBe(true);
    expect(await keyv.delete('a')).toBe(false);
    await keyv.clear();

    expect(await keyv.get('b')).toBeUndefined();
    await close();
    const reopened = await openKeyv(file, 'other');
    expect(await reopened.keyv.get('kept')).toBe(1);
    await reopened.close();
  });
});

describe('the SQLite store reading a body it cannot read', () => {
  it('fails with store.io instead of answering that the report is not there', async () => {
    const path = storeFile();
    const store = await openStore({ path });
    const { id } = await store.saveReport(concurrentReport(0, 0));
    // Another program breaks the body table under the running store.
    const raw = new sqlite3.Database(path);
    await new Promise<void>((done, reject) =>
      raw.run('ALTER TABLE keyv RENAME TO keyv_moved', (e) => (e ? reject(e) : done())),
    );
    await new Promise((done) => raw.close(done));

    const read = store.getReport(id);

    await expect(read).rejects.toBeInstanceOf(StoreError);
    await expect(read).rejects.toMatchObject({ code: 'store.io' });
    await store.close();
  });
});

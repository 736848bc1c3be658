import sqlite3 from 'sqlite3';
import { StoreError } from '../errors.js';
import type { StoreBackend, StoredEntry } from './store-backend.js';

/** Tables beside keyv's own `keyv` table in the same file. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS driftwatch_values (
  key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);
CREATE TABLE IF NOT EXISTS driftwatch_entries (
  collection TEXT NOT NULL, member TEXT NOT NULL, position INTEGER NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (collection, member));
CREATE INDEX IF NOT EXISTS driftwatch_entries_position ON driftwatch_entries (position);
CREATE INDEX IF NOT EXISTS driftwatch_entries_order ON driftwatch_entries (collection, position);
`;
const NEXT_POSITION = '(SELECT coalesce(max(position), 0) + 1 FROM driftwatch_entries)';
const LIVE = '(expires_at IS NULL OR expires_at > ?)';

interface Row {
  member: string;
  value: string;
  position: number;
}

/**
 * The SQLite backend: its own connection on the store file (WAL, so readers never wait for the
 * writer; a busy timeout, so writers from other processes queue instead of failing). Every
 * read-modify-write runs in a `BEGIN IMMEDIATE` transaction, which takes SQLite's single write
 * lock before reading, so two processes can never both read the old value. One connection is
 * shared by this process's callers, so statements go through a queue: a transaction must not
 * interleave with another caller's statements on the same connection.
 *
 * @example
 * const backend = await openSqliteStoreBackend({ file: '/srv/dw/store.sqlite', namespace: 'driftwatch' });
 */
export async function openSqliteStoreBackend(options: {
  file: string;
  namespace: string;
  busyTimeoutMs?: number;
}): Promise<StoreBackend> {
  const { file } = options;
  const db = await connect(file);
  const fail = (error: unknown, what: string): never => {
    throw classifySqliteError(error, file, what);
  };
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const run = (sql: string, params: unknown[] = []) =>
    new Promise<number>((done, reject) => {
      db.run(sql, params, function onRun(error) {
        if (error) reject(error);
        else done(this.changes);
      });
    });
  const all = <T>(sql: string, params: unknown[] = []) =>
    new Promise<T[]>((done, reject) => {
      db.all(sql, params, (error, rows) => (error ? reject(error) : done(rows as T[])));
    });
  const transaction = <T>(work: () => Promise<T>): Promise<T> =>
    exclusive(async () => {
      await run('BEGIN IMMEDIATE');
      try {
        const result = await work();
        await run('COMMIT');
        return result;
      } catch (error) {
        await run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });

  try {
    db.configure('busyTimeout', options.busyTimeoutMs ?? 10_000);
    // WAL is a property of the file: keyv's connection (opened later) uses it too.
    await exclusive(() => all('PRAGMA journal_mode = WAL'));
    await exclusive(
      () => new Promise<void>((done, reject) => db.exec(SCHEMA, (e) => (e ? reject(e) : done()))),
    );
    await exclusive(() => run('DELETE FROM driftwatch_values WHERE expires_at <= ?', [Date.now()]));
  } catch (error) {
    await new Promise((done) => db.close(done));
    fail(error, 'open');
  }

  const ns = (name: string) => `${options.namespace}:${name}`;
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? null : Date.now() + ttlMs);
  const readValue = async <T>(key: string): Promise<T | undefined> => {
    const rows = await all<{ value: string }>(
      `SELECT value FROM driftwatch_values WHERE key = ? AND ${LIVE}`,
      [ns(key), Date.now()],
    );
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  };
  const writeValue = (key: string, value: unknown, ttlMs?: number) =>
    run(
      `INSERT INTO driftwatch_values (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [ns(key), JSON.stringify(value), expiry(ttlMs)],
    );
  const toEntry = <T>(row: Row): StoredEntry<T> => ({
    member: row.member,
    value: JSON.parse(row.value) as T,
    order: row.position,
  });
  const guard = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      return fail(error, what);
    }
  };

  return {
    getValue: (key) => guard('read', () => exclusive(() => readValue(key))),
    setValue: (key, value, ttlMs) =>
      guard('write', () => exclusive(async () => void (await writeValue(key, value, ttlMs)))),
    deleteValue: (key) =>
      guard('write', () =>
        exclusive(async () => {
          const removed = await run(`DELETE FROM driftwatch_values WHERE key = ? AND ${LIVE}`, [
            ns(key),
            Date.now(),
          ]);
          return removed > 0;
        }),
      ),
    setValueIfAbsent: (key, value, ttlMs) =>
      guard('write', () =>
        transaction(async () => {
          const existing = await readValue<typeof value>(key);
          if (existing !== undefined) return existing;
          await writeValue(key, value, ttlMs);
          return value;
        }),
      ),
    updateValue: (key, change, ttlMs) =>
      guard('write', () =>
        transaction(async () => {
          const previous = await readValue<Parameters<typeof change>[0]>(key);
          const next = change(previous);
          if (next === undefined)
            await run('DELETE FROM driftwatch_values WHERE key = ?', [ns(key)]);
          else await writeValue(key, next, ttlMs);
          return { previous, next };
        }),
      ),
    putEntry: (collection, member, value) =>
      guard('write', () =>
        exclusive(async () => {
          // One statement: SQLite takes the write lock before it reads max(position).
          await run(
            `INSERT INTO driftwatch_entries (collection, member, position, value)
             VALUES (?, ?, ${NEXT_POSITION}, ?)
             ON CONFLICT (collection, member)
             DO UPDATE SET position = excluded.position, value = excluded.value`,
            [ns(collection), member, JSON.stringify(value)],
          );
        }),
      ),
    addEntry: (collection, member, value, order) =>
      guard('write', () =>
        exclusive(async () => {
          const added = await run(
            `INSERT INTO driftwatch_entries (collection, member, position, value)
             VALUES (?, ?, ${order === undefined ? NEXT_POSITION : '?'}, ?)
             ON CONFLICT (collection, member) DO NOTHING`,
            order === undefined
              ? [ns(collection), member, JSON.stringify(value)]
              : [ns(collection), member, order, JSON.stringify(value)],
          );
          return added > 0;
        }),
      ),
    deleteEntry: (collection, member) =>
      guard('write', () =>
        exclusive(
          async () =>
            (await run('DELETE FROM driftwatch_entries WHERE collection = ? AND member = ?', [
              ns(collection),
              member,
            ])) > 0,
        ),
      ),
    listEntries: (collection, limit) =>
      guard('read', () =>
        exclusive(async () =>
          (
            await all<Row>(
              `SELECT member, value, position FROM driftwatch_entries WHERE collection = ?
               ORDER BY position DESC LIMIT ?`,
              [ns(collection), limit ?? -1],
            )
          ).map((row) => toEntry(row)),
        ),
      ),
    trimEntries: <T>(collection: string, keep: number) =>
      guard('write', () =>
        transaction(async () => {
          const dropped = await all<Row>(
            `SELECT member, value, position FROM driftwatch_entries WHERE collection = ?
             ORDER BY position DESC LIMIT -1 OFFSET ?`,
            [ns(collection), keep],
          );
          for (const row of dropped) {
            await run('DELETE FROM driftwatch_entries WHERE collection = ? AND member = ?', [
              ns(collection),
              row.member,
            ]);
          }
          return dropped.map((row) => toEntry<T>(row));
        }),
      ),
    close: () =>
      exclusive(
        () => new Promise<void>((done, reject) => db.close((e) => (e ? reject(e) : done()))),
      ),
  };
}

function connect(file: string): Promise<sqlite3.Database> {
  return new Promise((done, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (error) =>
      error ? reject(classifySqliteError(error, file, 'open')) : done(db),
    );
  });
}

/** SQLite's result codes (https://sqlite.org/rescode.html) as the driver names them. */
function classifySqliteError(error: unknown, file: string, what: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError(
      'store.not-a-database',
      `the store file ${file} is not a SQLite database (${message}); set store.path (or DRIFTWATCH_STORE) to a new file or an existing driftwatch store`,
      { cause: error, details: { path: file } },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new StoreError(
      'store.unavailable',
      `cannot ${what} the store file ${file} (${message}); it must be a writable file`,
      { cause: error, details: { path: file } },
    );
  }
  return new StoreError('store.io', `store (sqlite) ${what} failed on ${file}: ${message}`, {
    cause: error,
    details: { path: file },
  });
}

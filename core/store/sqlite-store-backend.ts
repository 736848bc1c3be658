import { StoreError } from '../errors.js';
import { openSqliteConnection, type SqliteStatements } from './open-sqlite-connection.js';
import { SqliteKeyvStore } from './sqlite-keyv-store.js';
import type { StoreBackend, StoredEntry } from './store-backend.js';

/**
 * driftwatch's tables, and keyv's `keyv` table exactly as `@keyv/sqlite` creates it (the bodies
 * of stores written before keyv moved onto this connection are read as they are).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT );
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
 * The SQLite backend, and keyv's body store on the same connection (see `openSqliteConnection`
 * for why there is one): WAL, so readers never wait for the writer; a busy timeout, so writers
 * from other processes queue instead of failing. Every read-modify-write runs in a
 * `BEGIN IMMEDIATE` transaction.
 *
 * @example
 * const { backend, keyvStore } = await openSqliteStoreBackend({ file: '/srv/dw/store.sqlite', namespace: 'driftwatch' });
 * const keyv = new Keyv({ store: keyvStore, namespace: 'driftwatch', throwOnErrors: true });
 */
export async function openSqliteStoreBackend(options: {
  file: string;
  namespace: string;
  busyTimeoutMs?: number;
}): Promise<{ backend: StoreBackend; keyvStore: SqliteKeyvStore }> {
  const { file } = options;
  const fail = (error: unknown, what: string): never => {
    throw classifySqliteError(error, file, what);
  };
  const db = await openSqliteConnection(file, {
    busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
  }).catch((error: unknown) => fail(error, 'open'));
  try {
    // WAL is a property of the file, kept by every later connection.
    await db.all('PRAGMA journal_mode = WAL');
    await db.exec(SCHEMA);
    await db.run('DELETE FROM driftwatch_values WHERE expires_at <= ?', [Date.now()]);
  } catch (error) {
    await db.close().catch(() => undefined);
    fail(error, 'open');
  }

  const ns = (name: string) => `${options.namespace}:${name}`;
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? null : Date.now() + ttlMs);
  const readValue = async <T>(on: SqliteStatements, key: string): Promise<T | undefined> => {
    const rows = await on.all<{ value: string }>(
      `SELECT value FROM driftwatch_values WHERE key = ? AND ${LIVE}`,
      [ns(key), Date.now()],
    );
    return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
  };
  const writeValue = (on: SqliteStatements, key: string, value: unknown, ttlMs?: number) =>
    on.run(
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

  const backend: StoreBackend = {
    getValue: (key) => guard('read', () => readValue(db, key)),
    setValue: (key, value, ttlMs) =>
      guard('write', async () => void (await writeValue(db, key, value, ttlMs))),
    deleteValue: (key) =>
      guard(
        'write',
        async () =>
          (await db.run(`DELETE FROM driftwatch_values WHERE key = ? AND ${LIVE}`, [
            ns(key),
            Date.now(),
          ])) > 0,
      ),
    setValueIfAbsent: (key, value, ttlMs) =>
      guard('write', () =>
        db.transaction(async (tx) => {
          const existing = await readValue<typeof value>(tx, key);
          if (existing !== undefined) return existing;
          await writeValue(tx, key, value, ttlMs);
          return value;
        }),
      ),
    updateValue: (key, change, ttlMs) =>
      guard('write', () =>
        db.transaction(async (tx) => {
          const previous = await readValue<Parameters<typeof change>[0]>(tx, key);
          const next = change(previous);
          if (next === undefined)
            await tx.run('DELETE FROM driftwatch_values WHERE key = ?', [ns(key)]);
          else await writeValue(tx, key, next, ttlMs);
          return { previous, next };
        }),
      ),
    putEntry: (collection, member, value) =>
      guard('write', async () => {
        // One statement: SQLite takes the write lock before it reads max(position).
        await db.run(
          `INSERT INTO driftwatch_entries (collection, member, position, value)
           VALUES (?, ?, ${NEXT_POSITION}, ?)
           ON CONFLICT (collection, member)
           DO UPDATE SET position = excluded.position, value = excluded.value`,
          [ns(collection), member, JSON.stringify(value)],
        );
      }),
    addEntry: (collection, member, value, order) =>
      guard(
        'write',
        async () =>
          (await db.run(
            `INSERT INTO driftwatch_entries (collection, member, position, value)
             VALUES (?, ?, ${order === undefined ? NEXT_POSITION : '?'}, ?)
             ON CONFLICT (collection, member) DO NOTHING`,
            order === undefined
              ? [ns(collection), member, JSON.stringify(value)]
              : [ns(collection), member, order, JSON.stringify(value)],
          )) > 0,
      ),
    deleteEntry: (collection, member) =>
      guard(
        'write',
        async () =>
          (await db.run('DELETE FROM driftwatch_entries WHERE collection = ? AND member = ?', [
            ns(collection),
            member,
          ])) > 0,
      ),
    listEntries: (collection, limit) =>
      guard('read', async () =>
        (
          await db.all<Row>(
            `SELECT member, value, position FROM driftwatch_entries WHERE collection = ?
             ORDER BY position DESC LIMIT ?`,
            [ns(collection), limit ?? -1],
          )
        ).map((row) => toEntry(row)),
      ),
    trimEntries: <T>(collection: string, keep: number) =>
      guard('write', async () => {
        // One statement, so atomic without a transaction: the subquery is read before any row
        // is deleted (SQLite ≥ 3.35 for RETURNING; the driver bundles 3.44).
        const dropped = await db.all<Row>(
          `DELETE FROM driftwatch_entries WHERE collection = ?1 AND member IN (
             SELECT member FROM driftwatch_entries WHERE collection = ?1
             ORDER BY position DESC LIMIT -1 OFFSET ?2)
           RETURNING member, value, position`,
          [ns(collection), keep],
        );
        // RETURNING's order is unspecified: newest first, like every other listing.
        return dropped.sort((a, b) => b.position - a.position).map((row) => toEntry<T>(row));
      }),
    close: () => db.close(),
  };
  return { backend, keyvStore: new SqliteKeyvStore(db) };
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

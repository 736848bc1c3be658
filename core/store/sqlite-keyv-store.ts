import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { SqliteConnection } from './open-sqlite-connection.js';

/** Keys listed per query when iterating. */
const PAGE = 100;

/**
 * keyv's storage adapter for the embedded store, on the store's one SQLite connection (see
 * `openSqliteConnection` for why keyv cannot have a connection of its own). Reads and writes the
 * `keyv` table in `@keyv/sqlite`'s format (key `<namespace>:<key>`, value keyv's serialised
 * text with its expiry inside), so files written by earlier versions read unchanged. The
 * connection belongs to the store backend, which closes it.
 *
 * @example
 * const keyv = new Keyv({ store: new SqliteKeyvStore(connection), namespace: 'driftwatch', throwOnErrors: true });
 */
export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = { dialect: 'sqlite', table: 'keyv' };
  namespace?: string;

  constructor(private readonly db: SqliteConnection) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const [row] = await this.db.all<{ value: string }>('SELECT value FROM keyv WHERE key = ?', [
      key,
    ]);
    return row?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.db.run(
      `INSERT INTO keyv (key, value) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }

  async delete(key: string): Promise<boolean> {
    // One statement: `@keyv/sqlite` selects first, and another process can delete in between.
    return (await this.db.run('DELETE FROM keyv WHERE key = ?', [key])) > 0;
  }

  async clear(): Promise<void> {
    await this.db.run(
      'DELETE FROM keyv WHERE substr(key, 1, ?) = ?',
      this.prefixed(this.namespace),
    );
  }

  /** `[key, value]` of every key under `namespace:`, in key order, a page per query. */
  async *iterator<Value>(namespace?: string): AsyncGenerator<Array<string | Value>, void> {
    const [length, prefix] = this.prefixed(namespace);
    let after = '';
    for (;;) {
      // Keyset paging: keys deleted meanwhile neither end the walk early nor skip others.
      const rows = await this.db.all<{ key: string; value: string }>(
        `SELECT key, value FROM keyv WHERE substr(key, 1, ?) = ? AND key > ?
         ORDER BY key LIMIT ${PAGE}`,
        [length, prefix, after],
      );
      for (const row of rows) yield [row.key, row.value as Value];
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = last.key;
    }
  }

  /** The backend owns and closes the connection. */
  async disconnect(): Promise<void> {}

  private prefixed(namespace?: string): [number, string] {
    const prefix = namespace ? `${namespace}:` : '';
    return [prefix.length, prefix];
  }
}

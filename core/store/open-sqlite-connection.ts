import sqlite3 from 'sqlite3';

/** Statements on the connection. Inside a transaction they run at once, in the transaction. */
export interface SqliteStatements {
  /** Returns how many rows the statement changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface SqliteConnection extends SqliteStatements {
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` in a `BEGIN IMMEDIATE` transaction: SQLite's single write lock is taken before
   * anything is read, so two processes can never both read the old value. Rolled back if `work`
   * throws.
   */
  transaction<T>(work: (statements: SqliteStatements) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * One connection to the store file, shared by everything in the process that reads or writes
 * it (the atomic indexes and keyv's bodies alike), with every statement taken from one queue.
 *
 * Why one connection and one queue: node-sqlite3 runs each statement on libuv's thread pool
 * (4 threads), and a statement waiting for another connection's write lock holds its thread for
 * up to the busy timeout. With a second connection in the same process (keyv's own, as
 * `@keyv/sqlite` opens), a few of its statements waiting for the lock that our transaction holds
 * took every thread, so the transaction's next statement could not run and release the lock:
 * measured, 10 such statements stalled a transaction for 10 × the busy timeout and then failed
 * with SQLITE_BUSY, in every process waiting behind it too. With one queue, this process has
 * at most one statement on the pool, so the lock holder always gets a thread.
 *
 * @example
 * const db = await openSqliteConnection('/srv/dw/store.sqlite', { busyTimeoutMs: 10_000 });
 * const next = await db.transaction(async (tx) => tx.all('SELECT 1'));
 */
export async function openSqliteConnection(
  file: string,
  options: { busyTimeoutMs: number },
): Promise<SqliteConnection> {
  const db = await new Promise<sqlite3.Database>((done, reject) => {
    const opened = new sqlite3.Database(
      file,
      sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE,
      (error) => (error ? reject(error) : done(opened)),
    );
  });
  // Writers from other processes queue for the lock instead of failing at once.
  db.configure('busyTimeout', options.busyTimeoutMs);

  const direct: SqliteStatements = {
    run: (sql, params = []) =>
      new Promise((done, reject) => {
        db.run(sql, params, function onRun(error) {
          if (error) reject(error);
          else done(this.changes);
        });
      }),
    all: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((done, reject) => {
        db.all(sql, params, (error, rows) => (error ? reject(error) : done(rows as T[])));
      }),
  };
  let queue: Promise<unknown> = Promise.resolve();
  const queued = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    run: (sql, params) => queued(() => direct.run(sql, params)),
    all: <T>(sql: string, params?: unknown[]) => queued(() => direct.all<T>(sql, params)),
    exec: (sql) =>
      queued(
        () => new Promise<void>((done, reject) => db.exec(sql, (e) => (e ? reject(e) : done()))),
      ),
    transaction: (work) =>
      queued(async () => {
        await direct.run('BEGIN IMMEDIATE');
        try {
          const result = await work(direct);
          await direct.run('COMMIT');
          return result;
        } catch (error) {
          await direct.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    close: () =>
      queued(() => new Promise<void>((done, reject) => db.close((e) => (e ? reject(e) : done())))),
  };
}

import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type KeyvRedis from '@keyv/redis';
import { createKeyv } from '@keyv/redis';
import Keyv from 'keyv';
import { type Clock, fixedClock } from '../core/clock.js';
import { InputError, StoreError, UsageError } from '../core/errors.js';
import type { Snapshot } from '../core/model/resource.js';
import { describeError } from '../core/redact/redact-secrets.js';
import { readSnapshotFile } from '../core/snapshot/read-snapshot-file.js';
import type { DriftStore } from '../core/store/drift-store.js';
import { KeyvDriftStore } from '../core/store/keyv-drift-store.js';
import { openKeyvRedisBackend } from '../core/store/open-keyv-redis-backend.js';
import type { BaselineSource } from './task-parameters.js';

/** The store namespace the CLI and the bot use (open-store.ts), so they see the task's baselines. */
const STORE_NAMESPACE = 'driftwatch';
const CONNECT_TIMEOUT_MS = 5_000;
const CONNECT_RETRIES = 3;

/** Where a check reads its baseline and a record writes it. */
export interface BaselinePort {
  /** `the shared Redis store` or the file's path, for messages. */
  readonly where: string;
  /** What `runScan` reads the baseline from and keeps reports in. */
  readonly store: DriftStore;
  /** Makes the scope's baseline available in `store` (the file source loads its file). */
  prepare(scope: string): Promise<void>;
  save(scope: string, snapshot: Snapshot, setBy: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the baseline source: the shared Redis store (the embedded SQLite store is native code and
 * is not shipped in the task), or a snapshot JSON file such as a downloaded pipeline artifact,
 * served to the scan through an in-memory store.
 */
export async function openBaselineSource(
  source: BaselineSource,
  clock: Clock,
): Promise<BaselinePort> {
  if (source.kind === 'file') return fileBaseline(source.path, clock);
  const store = await openRedisStore(source.connectionString, clock);
  return {
    where: 'the shared Redis store',
    store,
    prepare: async () => undefined,
    async save(scope, snapshot, setBy) {
      await store.setBaseline(scope, snapshot, { setBy });
    },
    close: () => store.close(),
  };
}

async function openRedisStore(connectionString: string, clock: Clock): Promise<DriftStore> {
  const keyv = createKeyv(
    {
      url: connectionString,
      // A gate must not hang on an unreachable store: give up after a few quick tries.
      socket: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        reconnectStrategy: (retries: number, cause: Error) =>
          retries >= CONNECT_RETRIES ? cause : Math.min(100 * 2 ** retries, 1_000),
      },
    },
    { namespace: STORE_NAMESPACE, throwOnConnectError: true, throwOnErrors: true },
  );
  // keyv rethrows a generic "not connected"; the client's own error says why.
  let cause: unknown;
  keyv.on('error', (error: unknown) => {
    cause ??= error;
  });
  try {
    await (keyv.store as KeyvRedis<unknown>).getClient();
  } catch (error) {
    await keyv.disconnect().catch(() => undefined);
    // The whole connection string is a registered secret; name only the host.
    const host = new URL(connectionString).host;
    throw new StoreError(
      'store.unavailable',
      `cannot connect to Redis at ${host} (${describeError(cause ?? error)})`,
      { cause: cause ?? error },
    );
  }
  const backend = await openKeyvRedisBackend(keyv, STORE_NAMESPACE);
  return new KeyvDriftStore({ keyv, kind: 'redis', clock, backend });
}

function fileBaseline(path: string, clock: Clock): BaselinePort {
  let store = new KeyvDriftStore({ keyv: new Keyv(), kind: 'memory', clock });
  return {
    where: path,
    get store() {
      return store;
    },
    async prepare(scope) {
      if (!existsSync(path)) return;
      const { snapshot } = readBaselineFile(path);
      // The memory store stamps the baseline with its clock: use when the file was collected.
      const at = snapshot.collectedAt ? fixedClock(snapshot.collectedAt) : clock;
      const seeding = new KeyvDriftStore({ keyv: new Keyv(), kind: 'memory', clock: at });
      await seeding.setBaseline(scope, snapshot);
      store = seeding;
    },
    async save(_scope, snapshot) {
      // Write beside, then rename: a killed task never leaves half a baseline behind.
      try {
        mkdirSync(dirname(path), { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        writeFileSync(temp, `${JSON.stringify(snapshot, null, 2)}\n`);
        renameSync(temp, path);
      } catch (error) {
        throw new StoreError(
          'store.io',
          `cannot write the baseline file ${path}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
    close: async () => undefined,
  };
}

function readBaselineFile(path: string): ReturnType<typeof readSnapshotFile> {
  try {
    return readSnapshotFile(path);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new UsageError('task.input', `Input 'baselineFile' is not valid: ${error.message}`, {
      cause: error,
      details: { input: 'baselineFile', reason: error.message },
    });
  }
}

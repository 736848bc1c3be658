import { resolve } from 'node:path';
import type KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { type Clock, systemClock } from '../clock.js';
import { StoreError } from '../errors.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import type { DriftStore } from './drift-store.js';
import { KeyvDriftStore, type Retention } from './keyv-drift-store.js';
import { openKeyvRedisBackend } from './open-keyv-redis-backend.js';
import { prepareStoreFile } from './prepare-store-file.js';

/** Where the embedded store lives unless configured otherwise (relative to the working directory). */
export const DEFAULT_STORE_PATH = '.driftwatch/store.sqlite';

export interface OpenStoreOptions {
  /** `redis://…` / `rediss://…` switches to Redis; otherwise the embedded SQLite file at `path`. */
  redisUrl?: string;
  path?: string;
  cwd?: string;
  namespace?: string;
  clock?: Clock;
  retention?: Partial<Retention>;
  /** For tests and ephemeral runs: an in-memory store that keeps nothing. */
  memory?: boolean;
}

/**
 * Opens the store: Redis when `redisUrl` is set, else SQLite on local disk (crash-safe: SQLite's
 * journal means a killed process leaves the last committed state), else memory when asked.
 * A new SQLite file is created with mode 0600 (new folders 0700); a path that is not a SQLite
 * database or cannot be created fails at once with a StoreError naming it.
 *
 * @example
 * const store = await openStore({ redisUrl: env.REDIS_URL, cwd: process.cwd() });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<DriftStore> {
  const namespace = options.namespace ?? 'driftwatch';
  const clock = options.clock ?? systemClock;
  const common = { clock, ...(options.retention ? { retention: options.retention } : {}) };
  if (options.memory) {
    return new KeyvDriftStore({
      keyv: new Keyv({ namespace, throwOnErrors: true }),
      kind: 'memory',
      ...common,
    });
  }
  if (options.redisUrl) {
    if (!/^rediss?:\/\//.test(options.redisUrl)) {
      throw new StoreError(
        'store.bad-url',
        `REDIS_URL must start with redis:// or rediss:// (got "${redactSecrets(options.redisUrl)}")`,
      );
    }
    // createKeyv(url, { namespace }) avoids the doubled `ns::ns:key` prefix of new Keyv({ store }).
    // Loaded on demand: the Redis client is large, and most CLI runs use the embedded store.
    const { createKeyv: createRedisKeyv } = await import('@keyv/redis');
    let connectedOnce = false;
    const keyv = createRedisKeyv(
      {
        url: options.redisUrl,
        // Fail a first connection within seconds (a wrong URL, no Redis) instead of retrying
        // forever. A connection that drops later is retried for as long as the process runs,
        // backing off to one attempt every 2 s: giving up closes the client for good, and a
        // long-running bot would then fail every call after a Redis restart longer than the
        // retries (the soak's 30 s outage). Calls made meanwhile wait for the reconnect.
        socket: {
          connectTimeout: 5_000,
          reconnectStrategy: (retries: number) =>
            !connectedOnce && retries >= 10
              ? new Error(`gave up after ${retries} reconnect attempts`)
              : Math.min(100 * 2 ** retries, 2_000),
        },
      },
      {
        namespace,
        throwOnConnectError: true,
        throwOnErrors: true,
      },
    );
    const store = keyv.store as KeyvRedis<unknown>;
    try {
      await store.getClient();
      connectedOnce = true;
    } catch (error) {
      throw new StoreError(
        'store.unavailable',
        `cannot connect to Redis at ${redactSecrets(options.redisUrl)}: ${redactSecrets((error as Error).message)}`,
        { cause: error },
      );
    }
    const backend = await openKeyvRedisBackend(keyv, namespace);
    return new KeyvDriftStore({ keyv, kind: 'redis', backend, ...common });
  }
  const file = resolve(options.cwd ?? process.cwd(), options.path ?? DEFAULT_STORE_PATH);
  prepareStoreFile(file);
  // keyv's bodies and the atomic indexes share one connection (see openSqliteConnection).
  const { openSqliteStoreBackend } = await import('./sqlite-store-backend.js');
  const { backend, keyvStore } = await openSqliteStoreBackend({
    file,
    namespace,
    busyTimeoutMs: BUSY_TIMEOUT_MS,
  });
  // throwOnErrors: keyv otherwise answers a failed read with "absent" and a failed delete with
  // false, and a body that could not be read must never look like one that is not there.
  const keyv = new Keyv({ store: keyvStore, namespace, throwOnErrors: true });
  return new KeyvDriftStore({ keyv, kind: 'sqlite', backend, ...common });
}

/** How long a SQLite writer waits for another process's write to finish before failing. */
const BUSY_TIMEOUT_MS = 10_000;

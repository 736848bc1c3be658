import type { Redis } from 'ioredis';
import type { Clock } from '../../clock.js';
import { resolveEndpoints } from '../../collect/azure-clouds.js';
import { createCredential } from '../../collect/create-credential.js';
import { createHttpClient } from '../../collect/create-http-client.js';
import { resolveCredentialSpec } from '../../collect/resolve-credential-spec.js';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../collect/token-bucket-pacer.js';
import type { DriftwatchConfig } from '../../config/config-schema.js';
import { reportRedisErrors } from '../../resilience/report-redis-errors.js';
import type { DriftStore } from '../../store/drift-store.js';
import type { ShardWorkerOptions } from './start-shard-worker.js';

/**
 * Who this process reads Azure as, for the shared budgets: the configured client id, else
 * AZURE_CLIENT_ID, else `default` (a developer's own sign-in). Every worker of one identity must
 * agree, or each would get a budget of its own.
 */
export function principalOf(
  config: DriftwatchConfig,
  env: Record<string, string | undefined>,
): string {
  return (config.azure.credential?.clientId ?? env.AZURE_CLIENT_ID ?? 'default').toLowerCase();
}

/**
 * A worker's way to Azure from its own configuration and environment — credential, endpoints,
 * store (api-version cache) and the budgets it shares with every other worker through Redis.
 */
export function createWorkerDeps(options: {
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  cwd: string;
  store: DriftStore;
  clock: Clock;
  redis: Redis;
  caPem?: string;
  /** This deployment's queue prefix ({@link queuePrefixOf}); the budgets live under it. */
  prefix?: string;
}): ShardWorkerOptions['deps'] {
  const endpoints = resolveEndpoints(options.config.azure, options.env);
  const httpClient = options.caPem ? createHttpClient({ caPem: options.caPem }) : undefined;
  const credential = createCredential(
    resolveCredentialSpec(options.config.azure.credential, options.env, options.cwd),
    {
      authorityHost: endpoints.authorityHost,
      clock: options.clock,
      ...(httpClient ? { httpClient } : {}),
    },
  );
  return {
    credential,
    endpoints,
    clock: options.clock,
    store: options.store,
    ...(httpClient ? { httpClient } : {}),
    sharedBudget: createRedisBudget({
      redis: options.redis,
      principal: principalOf(options.config, options.env),
      armReads: ARM_READ_BUCKET,
      graphQuota: GRAPH_USER_QUOTA,
      ...(options.prefix ? { prefix: `${options.prefix}:budget` } : {}),
    }),
  };
}

/**
 * Starts a shard worker for a long-running process (a bot replica) from its configuration; the
 * returned `close` also releases the budget's Redis connection.
 */
export async function startConfiguredShardWorker(options: {
  redisUrl: string;
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  cwd: string;
  store: DriftStore;
  clock: Clock;
  concurrency?: number;
}): Promise<{ close(): Promise<void> }> {
  const { Redis } = await import('ioredis');
  const { startShardWorker } = await import('./start-shard-worker.js');
  const { queuePrefixOf } = await import('./configured-scan-collector.js');
  const prefix = queuePrefixOf(options);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  reportRedisErrors([redis], { purpose: 'shared budgets' });
  const worker = await startShardWorker({
    redisUrl: options.redisUrl,
    prefix,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    deps: createWorkerDeps({ ...options, redis, prefix }),
  });
  return {
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}

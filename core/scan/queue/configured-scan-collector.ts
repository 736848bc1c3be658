import type { SharedBudget } from '../../collect/shared-budget.js';
import type { DriftwatchConfig } from '../../config/config-schema.js';
import { ConfigError } from '../../errors.js';
import { reportRedisErrors } from '../../resilience/report-redis-errors.js';
import type { DriftStore } from '../../store/drift-store.js';
import type { ScanMode } from '../plan-scan-mode.js';
import type { ScanCollector } from '../scan-collector.js';

const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The Redis key prefix of this deployment's shard queue and shared budgets:
 * DRIFTWATCH_QUEUE_PREFIX, else `azure.collect.queuePrefix`, else the store's namespace
 * (`driftwatch`). Coordinators, workers and bot replicas of one deployment resolve the same one;
 * a second deployment (or a test) with its own store namespace gets its own queue.
 *
 * @example
 * queuePrefixOf({ config, env: process.env, store }) // 'driftwatch'
 */
export function queuePrefixOf(options: {
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  store?: Pick<DriftStore, 'namespace'>;
}): string {
  const fromEnv = options.env.DRIFTWATCH_QUEUE_PREFIX?.trim();
  if (fromEnv !== undefined && fromEnv !== '' && !PREFIX.test(fromEnv)) {
    throw new ConfigError(
      'config.invalid',
      `DRIFTWATCH_QUEUE_PREFIX: expected 1–64 letters, digits, \`_\`, \`.\` or \`-\`, got ${JSON.stringify(fromEnv.slice(0, 80))}`,
    );
  }
  return (
    (fromEnv || undefined) ??
    options.config.azure.collect?.queuePrefix ??
    options.store?.namespace ??
    'driftwatch'
  );
}

/**
 * The collector a process should scan with under its configuration: with Redis (`store.redisUrl`,
 * i.e. REDIS_URL) and `azure.collect.queue` not off, scopes of several subscriptions are read as
 * shards on this deployment's queue (see {@link queuePrefixOf}); otherwise undefined, and runScan
 * reads in process. BullMQ is loaded only when it is used.
 *
 * @example
 * await runScan({ …, collector: await configuredScanCollector({ config, env, store }) });
 */
export async function configuredScanCollector(options: {
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  store: Pick<DriftStore, 'namespace'>;
  /** Asked for this scan (`--incremental`, `--full`); default `azure.collect.mode`, else full. */
  mode?: ScanMode;
}): Promise<ScanCollector | undefined> {
  const { config } = options;
  const redisUrl = config.store.redisUrl;
  const collect = config.azure.collect;
  if (!redisUrl || collect?.queue === false) return undefined;
  const prefix = queuePrefixOf(options);
  const { createQueuedScanCollector } = await import('./create-queued-scan-collector.js');
  const { principalOf } = await import('./create-worker-deps.js');
  const chosen = options.mode ?? collect?.mode ?? 'full';
  return createQueuedScanCollector({
    redisUrl,
    prefix,
    principal: principalOf(config, options.env),
    mode: chosen,
    // A full scan of a scope scanned incrementally resets the chain it starts from.
    keepBasis: chosen === 'incremental' || collect?.mode === 'incremental',
    ...(collect?.splitAbove !== undefined ? { splitAbove: collect.splitAbove } : {}),
    ...(collect?.fullScanEveryHours !== undefined
      ? { fullEveryMs: collect.fullScanEveryHours * 3_600_000 }
      : {}),
  });
}

/**
 * The budgets this deployment shares through Redis (`store.redisUrl`), for what a scan reads
 * besides collecting — attribution's `resourcechanges` queries — or undefined without Redis.
 * `close` releases its connection.
 *
 * @example
 * const shared = await configuredSharedBudget({ config, env, store });
 * try { await runScan({ …, sharedBudget: shared?.budget }) } finally { shared?.close() }
 */
export async function configuredSharedBudget(options: {
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  store: Pick<DriftStore, 'namespace'>;
}): Promise<{ budget: SharedBudget; close(): void } | undefined> {
  const redisUrl = options.config.store.redisUrl;
  if (!redisUrl) return undefined;
  const prefix = queuePrefixOf(options);
  const [{ Redis }, { createRedisBudget, GRAPH_USER_QUOTA }, { ARM_READ_BUCKET }, { principalOf }] =
    await Promise.all([
      import('ioredis'),
      import('../../collect/shared-budget.js'),
      import('../../collect/token-bucket-pacer.js'),
      import('./create-worker-deps.js'),
    ]);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  reportRedisErrors([redis], { purpose: 'shared budgets' });
  return {
    budget: createRedisBudget({
      redis,
      principal: principalOf(options.config, options.env),
      armReads: ARM_READ_BUCKET,
      graphQuota: GRAPH_USER_QUOTA,
      prefix: `${prefix}:budget`,
    }),
    close: () => redis.disconnect(),
  };
}

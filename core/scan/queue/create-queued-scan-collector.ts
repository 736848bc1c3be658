import { Redis } from 'ioredis';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../collect/token-bucket-pacer.js';
import { reportRedisErrors } from '../../resilience/report-redis-errors.js';
import { createScanCollector, type ScanCollectorOptions } from '../create-scan-collector.js';
import { runShardsInProcessSharing, type ShardRunner } from '../run-shards-in-process.js';
import type { ScanCollector } from '../scan-collector.js';
import { createQueuedShardRunner, type QueuedShardRunner } from './create-queued-shard-runner.js';
import { type ShardWorker, startShardWorker } from './start-shard-worker.js';

/** Options of {@link createQueuedScanCollector}. */
export interface QueuedScanCollectorOptions extends Omit<ScanCollectorOptions, 'runner' | 'split'> {
  redisUrl: string;
  /** The principal this process reads as (the shared budgets' key). */
  principal: string;
  prefix?: string;
  /**
   * Also read shards in this process while the scan lasts (default true), so a scan never waits
   * for workers that are not there; other workers and replicas share the work.
   */
  localWorker?: boolean;
}

/**
 * The collector for several subscriptions when Redis is configured: one shard per subscription
 * (with `splitAbove`, several for a big one) on the BullMQ queue, read by every worker there (and
 * by this process), all drawing on the budgets shared through Redis, merged here. A scan planned
 * as one shard — a scope of one subscription not split — is read in process, on the same shared
 * budgets.
 *
 * @example
 * runScan({ …, collector: createQueuedScanCollector({ redisUrl, principal: clientId }) })
 */
export function createQueuedScanCollector(options: QueuedScanCollectorOptions): ScanCollector {
  const { redisUrl, principal, prefix, localWorker, ...rest } = options;
  return async (request) => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    reportRedisErrors([redis], { purpose: 'shared budgets' });
    const sharedBudget = createRedisBudget({
      redis,
      principal,
      armReads: request.tuning.armReads ?? ARM_READ_BUCKET,
      graphQuota: GRAPH_USER_QUOTA,
      ...(prefix ? { prefix: `${prefix}:budget` } : {}),
    });
    let queued: { runner: QueuedShardRunner; worker?: ShardWorker } | undefined;
    const run: ShardRunner = async (shards, req) => {
      // One shard (a scope of one subscription, not split) is read here, but on the shared
      // budgets: replicas scanning one-subscription scopes at the same minute otherwise each
      // spent the identity's whole Resource Graph quota (12–20 × 429 per tick in the soak).
      if (shards.length <= 1) return runShardsInProcessSharing(sharedBudget)(shards, req);
      const runner = createQueuedShardRunner({ redisUrl, ...(prefix ? { prefix } : {}) });
      queued = { runner };
      if (localWorker !== false)
        queued.worker = await startShardWorker({
          redisUrl,
          ...(prefix ? { prefix } : {}),
          deps: {
            credential: req.credential,
            endpoints: req.endpoints,
            clock: req.clock,
            store: req.store,
            ...(req.httpClient ? { httpClient: req.httpClient } : {}),
            sharedBudget,
          },
        });
      return runner.run(shards, req);
    };
    try {
      return await createScanCollector({ ...rest, runner: run, split: true, sharedBudget })(
        request,
      );
    } finally {
      await queued?.worker?.close();
      await queued?.runner.close();
      redis.disconnect();
    }
  };
}

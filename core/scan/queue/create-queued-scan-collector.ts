import { Redis } from 'ioredis';
import { createRedisBudget, GRAPH_USER_QUOTA } from '../../collect/shared-budget.js';
import { ARM_READ_BUCKET } from '../../collect/token-bucket-pacer.js';
import { createScanCollector, type ScanCollectorOptions } from '../create-scan-collector.js';
import type { ScanCollector } from '../scan-collector.js';
import { createQueuedShardRunner } from './create-queued-shard-runner.js';
import { startShardWorker } from './start-shard-worker.js';

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
 * on the BullMQ queue, read by every worker there (and by this process), all drawing on the
 * budgets shared through Redis, merged here. A scope of one subscription is read in process.
 *
 * @example
 * runScan({ …, collector: createQueuedScanCollector({ redisUrl, principal: clientId }) })
 */
export function createQueuedScanCollector(options: QueuedScanCollectorOptions): ScanCollector {
  const { redisUrl, principal, prefix, localWorker, ...rest } = options;
  const inProcess = createScanCollector(rest);
  return async (request) => {
    if (request.target.subscriptions.length <= 1) return inProcess(request);
    const runner = createQueuedShardRunner({ redisUrl, ...(prefix ? { prefix } : {}) });
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const sharedBudget = createRedisBudget({
      redis,
      principal,
      armReads: request.tuning.armReads ?? ARM_READ_BUCKET,
      graphQuota: GRAPH_USER_QUOTA,
      ...(prefix ? { prefix: `${prefix}:budget` } : {}),
    });
    const worker =
      localWorker === false
        ? undefined
        : await startShardWorker({
            redisUrl,
            ...(prefix ? { prefix } : {}),
            deps: {
              credential: request.credential,
              endpoints: request.endpoints,
              clock: request.clock,
              store: request.store,
              ...(request.httpClient ? { httpClient: request.httpClient } : {}),
              sharedBudget,
            },
          });
    try {
      return await createScanCollector({ ...rest, runner: runner.run, split: true, sharedBudget })(
        request,
      );
    } finally {
      await worker?.close();
      await runner.close();
      redis.disconnect();
    }
  };
}

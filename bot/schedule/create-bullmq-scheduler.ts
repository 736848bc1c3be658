import { Queue, type RepeatOptions, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { reportRedisErrors } from '../../core/resilience/report-redis-errors.js';
import type { ChatSubscription } from '../../core/schedule/chat-subscriptions.js';
import type { SummaryScheduler, TickHandler } from './summary-scheduler.js';

export interface BullmqSchedulerOptions {
  redisUrl: string;
  onTick: TickHandler;
  /** Key prefix; tests use a fresh one each run. */
  prefix?: string;
  queueName?: string;
  /** How a subscription repeats; default its cron pattern and time zone. Tests use `{ every }`. */
  repeatFor?: (subscription: ChatSubscription) => Omit<RepeatOptions, 'key'>;
}

/**
 * The multi-replica scheduler: each subscription is a BullMQ job scheduler
 * (`upsertJobScheduler`, keyed by subscription id) and every replica runs a worker on the same
 * queue. BullMQ creates one job per tick and hands it to exactly one worker, so a summary is
 * posted once however many replicas run. No home-made leader election.
 */
export async function createBullmqScheduler(
  options: BullmqSchedulerOptions,
): Promise<SummaryScheduler> {
  const prefix = options.prefix ?? 'driftwatch';
  const name = options.queueName ?? 'summaries';
  // BullMQ needs maxRetriesPerRequest: null on its connections (blocking commands).
  const queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection: queueConnection, prefix });
  const worker = new Worker(
    name,
    async (job) =>
      options.onTick(
        String((job.data as { subscriptionId: string }).subscriptionId),
        String(job.id),
      ),
    { connection: workerConnection, prefix, concurrency: 2 },
  );
  reportRedisErrors([queueConnection, workerConnection, queue, worker], {
    purpose: 'summary schedules',
  });
  const repeatFor =
    options.repeatFor ??
    ((s: ChatSubscription) => ({ pattern: s.schedule.cron, tz: s.schedule.timezone }));
  await worker.waitUntilReady();

  const scheduler: SummaryScheduler = {
    async upsert(subscription) {
      await queue.upsertJobScheduler(subscription.id, repeatFor(subscription), {
        name: 'summary',
        data: { subscriptionId: subscription.id },
        opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
      });
    },
    async remove(id) {
      await queue.removeJobScheduler(id);
    },
    // Upserts only. A scheduler whose subscription was removed meanwhile ends itself: its next
    // tick finds no subscription ("gone") and removes it. Removing here instead could race with
    // another replica's `subscribe` between reading the store and listing the schedulers.
    async sync(subscriptions) {
      for (const s of subscriptions) await scheduler.upsert(s);
    },
    async close() {
      await worker.close();
      await queue.close();
      queueConnection.disconnect();
      workerConnection.disconnect();
    },
  };
  return scheduler;
}

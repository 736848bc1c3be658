import { Cron } from 'croner';
import type { ChatSubscription } from '../../core/schedule/chat-subscriptions.js';
import type { SummaryScheduler, TickHandler } from './summary-scheduler.js';

/**
 * The single-process scheduler (no REDIS_URL): one croner job per subscription, in the
 * subscription's time zone, never overlapping itself (`protect`). With several replicas use the
 * BullMQ scheduler instead, or every replica would post.
 */
export function createCronScheduler(onTick: TickHandler): SummaryScheduler {
  const jobs = new Map<string, Cron>();
  const scheduler: SummaryScheduler = {
    async upsert(subscription: ChatSubscription) {
      jobs.get(subscription.id)?.stop();
      const job = new Cron(
        subscription.schedule.cron,
        { timezone: subscription.schedule.timezone, protect: true, mode: '5-part' },
        () => onTick(subscription.id, `${subscription.id}@${new Date().toISOString()}`),
      );
      jobs.set(subscription.id, job);
    },
    async remove(id: string) {
      jobs.get(id)?.stop();
      jobs.delete(id);
    },
    async sync(subscriptions) {
      const wanted = new Set(subscriptions.map((s) => s.id));
      for (const id of [...jobs.keys()]) if (!wanted.has(id)) await scheduler.remove(id);
      for (const s of subscriptions) await scheduler.upsert(s);
    },
    async close() {
      for (const job of jobs.values()) job.stop();
      jobs.clear();
    },
  };
  return scheduler;
}

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Polls `condition` every 50 ms until it holds; fails after `ms` (the replicas' scheduled ticks
 * come from BullMQ in real time, so a fake clock cannot drive them).
 */
export async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for scheduled ticks');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A bot's log line about one scheduled summary tick. */
export interface SummaryTick {
  tickId: string;
  outcome: string;
  subscriptionId: string;
}

/** The tick a bot's JSON log line records, or `undefined` for any other line. */
export function summaryTickOf(line: string): SummaryTick | undefined {
  const entry = JSON.parse(line) as {
    msg: string;
    tickId?: string;
    outcome?: string;
    subscriptionId?: string;
  };
  if (entry.msg !== 'scheduled summary tick') return undefined;
  return {
    tickId: String(entry.tickId),
    outcome: String(entry.outcome),
    subscriptionId: String(entry.subscriptionId),
  };
}

/** Removes the test's `summaries` queue (its jobs and schedulers) from Redis. */
export async function removeSummaryQueue(redisUrl: string, prefix: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('summaries', { connection, prefix });
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
}

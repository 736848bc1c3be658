import type { SubscriptionSchedules } from '../../core/commands/command-ports.js';
import type { ChatSubscription } from '../../core/schedule/chat-subscriptions.js';

/** Runs each subscription's tick on its schedule. */
export interface SummaryScheduler extends SubscriptionSchedules {
  /** Schedules every stored subscription (idempotent; replicas all call it at start). */
  sync(subscriptions: readonly ChatSubscription[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * What a tick does: scan, compare, post; errors are the handler's to log. `tickId` names the tick
 * (BullMQ job id, or the fire time in-process) for logs.
 */
export type TickHandler = (subscriptionId: string, tickId: string) => Promise<void>;

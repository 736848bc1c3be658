import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { ScanPort } from '../../core/commands/command-ports.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { removeSubscriptions } from '../../core/schedule/chat-subscriptions.js';
import { runSubscriptionTick } from '../../core/schedule/run-subscription-tick.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { BotMetrics } from '../bot-metrics.js';
import { buildSlackMessages } from '../slack/build-blocks.js';
import type { SlackPoster } from '../slack/slack-poster.js';
import type { SummaryScheduler, TickHandler } from './summary-scheduler.js';

/** Slack errors that mean the channel is gone for good: its subscriptions end. */
const CHANNEL_GONE = new Set(['channel_not_found', 'is_archived']);

/**
 * What the scheduler runs on each tick: the core tick with Slack posting, metrics and logs. A
 * subscription whose channel was archived or deleted is removed, instead of failing every tick.
 */
export function createSummaryTick(deps: {
  store: DriftStore;
  config: DriftwatchConfig;
  clock: Clock;
  scan: ScanPort;
  poster: () => SlackPoster;
  metrics: BotMetrics;
  log: Logger;
  scheduler: () => SummaryScheduler;
  newId?: () => string;
}): TickHandler {
  return async (subscriptionId, tickId) => {
    const log = deps.log.child({ subscriptionId, tickId, component: 'scheduler' });
    try {
      const { outcome, error } = await runSubscriptionTick({
        subscriptionId,
        store: deps.store,
        config: deps.config,
        clock: deps.clock,
        scan: deps.scan,
        post: async (subscription, message) => {
          await deps.poster().postWithThread(subscription.channel, buildSlackMessages(message));
        },
        ...(deps.newId ? { newId: deps.newId } : {}),
      });
      deps.metrics.summaries.inc({ outcome });
      if (error) log.warn({ outcome, error }, 'scheduled summary tick');
      else log.info({ outcome }, 'scheduled summary tick');
      if (outcome === 'gone') await deps.scheduler().remove(subscriptionId);
    } catch (error) {
      deps.metrics.summaries.inc({ outcome: 'failed' });
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code && CHANNEL_GONE.has(code)) {
        await removeSubscriptions(deps.store, [subscriptionId]);
        await deps.scheduler().remove(subscriptionId);
        log.warn({ code }, 'channel is gone: subscription removed');
        return;
      }
      log.error({ error: describeError(error) }, 'scheduled summary failed');
    }
  };
}

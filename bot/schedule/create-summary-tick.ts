import type { Logger } from 'pino';
import type { ReportLinker } from '../../core/api/sign-report-link.js';
import type { Clock } from '../../core/clock.js';
import type { ScanPort } from '../../core/commands/command-ports.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { ConfigError } from '../../core/errors.js';
import { isConversationGone, type Notifier, type Notifiers } from '../../core/notify/notifier.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import {
  type ChatSubscription,
  removeSubscriptions,
} from '../../core/schedule/chat-subscriptions.js';
import { runSubscriptionTick } from '../../core/schedule/run-subscription-tick.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { BotMetrics } from '../bot-metrics.js';
import type { SummaryScheduler, TickHandler } from './summary-scheduler.js';

/**
 * What the scheduler runs on each tick: the core tick, posted through the notifier of the
 * subscription's chat, with metrics and logs. A subscription whose conversation is gone (Slack
 * channel archived or deleted, Teams app removed) is removed instead of failing every tick; one
 * whose chat is not mounted on this host fails the tick and says so, and is kept.
 */
export function createSummaryTick(deps: {
  store: DriftStore;
  config: DriftwatchConfig;
  clock: Clock;
  scan: ScanPort;
  notifiers: Notifiers;
  metrics: BotMetrics;
  log: Logger;
  scheduler: () => SummaryScheduler;
  newId?: () => string;
  reportLink?: ReportLinker;
}): TickHandler {
  const notifierFor = (subscription: ChatSubscription): Notifier => {
    const notifier = deps.notifiers[subscription.chat];
    if (notifier) return notifier;
    throw new ConfigError(
      'config.chat-not-mounted',
      `subscription ${subscription.id} posts to ${subscription.chat}, which this bot does not run: configure ${subscription.chat} or unsubscribe`,
    );
  };
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
          await notifierFor(subscription).post(subscription.conversation, message);
        },
        invocation: (subscription) => notifierFor(subscription).invocation,
        ...(deps.newId ? { newId: deps.newId } : {}),
        ...(deps.reportLink ? { reportLink: deps.reportLink } : {}),
        tickId,
      });
      deps.metrics.summaries.inc({ outcome });
      if (error) log.warn({ outcome, error }, 'scheduled summary tick');
      else log.info({ outcome }, 'scheduled summary tick');
      if (outcome === 'gone') await deps.scheduler().remove(subscriptionId);
    } catch (error) {
      deps.metrics.summaries.inc({ outcome: 'failed' });
      if (isConversationGone(error)) {
        await removeSubscriptions(deps.store, [subscriptionId]);
        await deps.scheduler().remove(subscriptionId);
        log.warn({ error: describeError(error) }, 'conversation is gone: subscription removed');
        return;
      }
      log.error({ error: describeError(error) }, 'scheduled summary failed');
    }
  };
}

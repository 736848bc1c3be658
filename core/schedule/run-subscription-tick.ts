import type { Clock } from '../clock.js';
import type { ChatMessage } from '../commands/chat-message.js';
import { chatSettings } from '../commands/chat-settings.js';
import type { ScanPort } from '../commands/command-ports.js';
import { summariseReport } from '../commands/summarise-report.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import { atOrAbove } from '../model/severity.js';
import type { DriftStore } from '../store/drift-store.js';
import { type ChatSubscription, getSubscription } from './chat-subscriptions.js';
import { nextRun } from './parse-schedule.js';

/** What the previous posted summary of a subscription showed. */
export interface SummaryState {
  at: string;
  reportId: string;
  fingerprints: string[];
}

/** `changed`: posted new/resolved drift; `all-clear`: posted the opt-in digest; `unchanged`: posted nothing; `gone`: the subscription was removed. */
export type TickOutcome = 'changed' | 'all-clear' | 'unchanged' | 'gone';

const STATE = 'summary-state';

/**
 * One scheduled tick of a subscription: scan, compare fingerprints with the previous summary,
 * and post only when something is new or resolved (or always, for an all-clear digest). The state
 * is saved after a successful post, so a failed post is retried by the next tick, not lost.
 *
 * @example
 * await runSubscriptionTick({ subscriptionId, store, config, clock, scan, post });
 */
export async function runSubscriptionTick(input: {
  subscriptionId: string;
  store: DriftStore;
  config: DriftwatchConfig;
  clock: Clock;
  scan: ScanPort;
  post: (subscription: ChatSubscription, message: ChatMessage) => Promise<void>;
  newId?: () => string;
}): Promise<TickOutcome> {
  const { store, clock } = input;
  const subscription = await getSubscription(store, input.subscriptionId);
  if (!subscription) return 'gone';
  const result = await input.scan(subscription.scope);
  const report = result.report;
  const states = store.keyValue<SummaryState>(STATE);
  const previous = await states.get(subscription.id);
  const current = new Set(
    report.findings
      .filter((f) => atOrAbove(f.severity, subscription.minSeverity))
      .map((f) => f.fingerprint),
  );
  const before = new Set(previous?.fingerprints ?? []);
  const fresh = new Set([...current].filter((fp) => !before.has(fp)));
  // An incomplete scan cannot tell "fixed" from "not readable": resolve nothing, remember all.
  const gone = report.complete ? [...before].filter((fp) => !current.has(fp)) : [];
  const remembered = report.complete ? current : new Set([...current, ...before]);
  const changed = fresh.size > 0 || gone.length > 0;
  if (!changed && !subscription.allClear) return 'unchanged';

  const now = clock.now();
  const chat = chatSettings(input.config);
  const next = nextRun(subscription.schedule, now);
  const message = await summariseReport({
    report,
    reportId: result.reportId,
    scope: subscription.scope,
    store,
    now,
    timezone: subscription.schedule.timezone,
    topFindings: chat.topFindings,
    minSeverity: subscription.minSeverity,
    ...(previous
      ? { since: { at: new Date(previous.at), newFingerprints: fresh, resolved: gone.length } }
      : {}),
    ...(next ? { nextRun: next } : {}),
    ...(result.durationMs !== undefined ? { durationMs: result.durationMs } : {}),
    ...(chat.reportUrl ? { reportUrl: chat.reportUrl } : {}),
    ...(input.newId ? { newId: input.newId } : {}),
  });
  await input.post(subscription, message);
  await states.set(subscription.id, {
    at: now.toISOString(),
    reportId: result.reportId,
    fingerprints: [...remembered],
  });
  return changed ? 'changed' : 'all-clear';
}

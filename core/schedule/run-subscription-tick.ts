import { randomUUID } from 'node:crypto';
import type { ReportLinker } from '../api/sign-report-link.js';
import type { Clock } from '../clock.js';
import type { ChatMessage } from '../commands/chat-message.js';
import { chatSettings } from '../commands/chat-settings.js';
import type { ScanPort, ScanResult } from '../commands/command-ports.js';
import { hasRemediationPolicy } from '../commands/has-remediation-policy.js';
import { summariseReport } from '../commands/summarise-report.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import { atOrAbove } from '../model/severity.js';
import { describeError } from '../redact/redact-secrets.js';
import type { DriftStore } from '../store/drift-store.js';
import { type ChatSubscription, getSubscription } from './chat-subscriptions.js';
import { nextRun } from './parse-schedule.js';

/** What the previous posted summary of a subscription showed. */
export interface SummaryState {
  at: string;
  reportId: string;
  fingerprints: string[];
}

/**
 * `changed`: posted new/resolved drift; `all-clear`: posted the opt-in digest; `unchanged`:
 * posted nothing; `gone`: the subscription was removed; `failed`: the scan failed (said once in
 * the channel, not on every tick); `recovered`: scans work again and nothing changed (said so);
 * `already-posted`: another run of the same tick posted first, so this one posted nothing.
 */
export type TickOutcome =
  | 'changed'
  | 'all-clear'
  | 'unchanged'
  | 'gone'
  | 'failed'
  | 'recovered'
  | 'already-posted';

/** What a tick did; `error` (redacted) when the scan failed. */
export interface TickResult {
  outcome: TickOutcome;
  error?: string;
}

const STATE = 'summary-state';
const FAILURES = 'summary-failures';
const POSTED = 'summary-posted';
/** How long a tick's claim is kept: far longer than any run of one tick lasts. */
const POSTED_TTL_MS = 7 * 24 * 3_600_000;

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
  /** How users of the subscription's chat type a command (`/drift`, the default; `@driftwatch`). */
  invocation?: (subscription: ChatSubscription) => string;
  newId?: () => string;
  /** Signs the summary's "View full report" link (a host with a link secret). */
  reportLink?: ReportLinker;
  /**
   * Names this tick (the scheduler's job id). The same tick can run twice — BullMQ hands a job
   * whose lock lapsed (its replica killed, or Redis away longer than the lock) to another
   * replica while the first may still finish — so with a tick id only the run that claims it in
   * the store first posts. The claim is taken just before posting: a run killed mid-scan leaves
   * the tick to the next run, and one killed between claim and post loses only that tick's
   * message (its state is not saved, so the next tick reports the same changes).
   */
  tickId?: string;
}): Promise<TickResult> {
  const { store, clock } = input;
  const subscription = await getSubscription(store, input.subscriptionId);
  if (!subscription) return { outcome: 'gone' };
  const run = randomUUID();
  const claim = async () =>
    input.tickId === undefined ||
    (await store
      .keyValue<string>(POSTED)
      .setIfAbsent(`${subscription.id}|${input.tickId}`, run, POSTED_TTL_MS)) === run;
  const failures = store.keyValue<{ error: string; since: string }>(FAILURES);
  const failing = await failures.get(subscription.id);
  let result: ScanResult;
  try {
    result = await input.scan(subscription.scope);
  } catch (error) {
    // Say it once, and again only when the reason changes: silence would hide a broken scan,
    // and one post per tick would bury the channel.
    const text = describeError(error);
    if (failing?.error !== text) {
      if (!(await claim())) return { outcome: 'already-posted', error: text };
      await input.post(
        subscription,
        scanFailed(subscription.scope, text, input.invocation?.(subscription) ?? '/drift'),
      );
      await failures.set(subscription.id, { error: text, since: clock.now().toISOString() });
    }
    return { outcome: 'failed', error: text };
  }
  if (failing) await failures.delete(subscription.id);
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
  if (!changed && !subscription.allClear) {
    if (!failing) return { outcome: 'unchanged' };
    const text = `Scheduled scans of ${subscription.scope} work again; nothing changed since the last summary.`;
    if (!(await claim())) return { outcome: 'already-posted' };
    await input.post(subscription, {
      visibility: 'channel',
      text,
      tone: 'ok',
      blocks: [{ kind: 'text', text, tone: 'ok' }],
    });
    return { outcome: 'recovered' };
  }

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
    ...(input.reportLink ? { reportLink: input.reportLink } : {}),
    ...(input.newId ? { newId: input.newId } : {}),
    ...(hasRemediationPolicy(input.config, subscription.scope) ? { remediable: true } : {}),
  });
  if (!(await claim())) return { outcome: 'already-posted' };
  await input.post(subscription, message);
  await states.set(subscription.id, {
    at: now.toISOString(),
    reportId: result.reportId,
    fingerprints: [...remembered],
  });
  return { outcome: changed ? 'changed' : 'all-clear' };
}

function scanFailed(scope: string, error: string, invocation: string): ChatMessage {
  const text = `Scheduled scan of ${scope} failed: ${error}`;
  return {
    visibility: 'channel',
    text,
    tone: 'error',
    blocks: [
      { kind: 'text', text, tone: 'error' },
      {
        kind: 'context',
        lines: [`I will say so once it works again; ${invocation} scan ${scope} retries now`],
      },
    ],
  };
}

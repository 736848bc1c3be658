import type { ReportLinker } from '../api/sign-report-link.js';
import type { Clock } from '../clock.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import type { Report } from '../model/report.js';
import type { ChatKind } from '../notify/notifier.js';
import type { Remediation } from '../remediate/remediation-service.js';
import type { ChatSubscription } from '../schedule/chat-subscriptions.js';
import type { DriftStore } from '../store/drift-store.js';
import type { ChatActor } from './authorise-command.js';
import type { ScanProgressBoard } from './follow-scan-progress.js';
import type { MentionOf } from './render-remediation.js';

/** A finished scan: the saved report and its store id. */
export interface ScanResult {
  report: Report;
  reportId: string;
  /** Wall time of the scan, for "scanned 1,214 resources in 38 s". */
  durationMs?: number;
  /** Azure request counters of the collection, for the host's metrics. */
  requests?: { sent: number; failed: number; throttled: number; paceWaitMs: number };
}

/**
 * Scans a named scope now (collect → compare with the stored baseline → save the report). The
 * bot wires `core/scan/run-scan.ts`; tests inject a fake that returns an engine-made report.
 */
export type ScanPort = (
  scope: string,
  options?: { signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void },
) => Promise<ScanResult>;

/** How far a running scan is (the collector's progress, without its request counters). */
export interface ScanProgress {
  phase: string;
  /** Resources collected so far. */
  done: number;
  /** Resources expected, once known. */
  total?: number;
  errors: number;
}

/** What `/drift devops` shows: a few counts and notes from the Azure DevOps inventory. */
export interface DevOpsInventorySummary {
  organisation: string;
  facts: { label: string; value: string }[];
  /** What could not be read (partial inventory), one line each. */
  notes?: string[];
  refreshedAt?: string;
}

/** Keeps the scheduler in step when subscriptions change from chat. */
export interface SubscriptionSchedules {
  upsert(subscription: ChatSubscription): Promise<void>;
  remove(subscriptionId: string): Promise<void>;
}

/** Everything a command needs, injected by the host (Slack bot, Teams bot, tests). */
export interface CommandDeps {
  store: DriftStore;
  /**
   * How long a command waits for the store to answer a first read before it is refused with
   * `store.unavailable` (default 5 s): a Redis store that lost its server waits for the reconnect.
   */
  storeAnswerMs?: number;
  config: DriftwatchConfig;
  clock: Clock;
  scan: ScanPort;
  actor: ChatActor;
  devops?: () => Promise<DevOpsInventorySummary>;
  /** Where the command was typed (a Slack channel, a Teams conversation); subscriptions need it. */
  conversation?: { chat: ChatKind; id: string };
  /**
   * How a user types a command in this chat, quoted in replies and usage lines: `/drift` in Slack
   * (the default), `@driftwatch` in Teams.
   */
  invocation?: string;
  schedules?: SubscriptionSchedules;
  /** Opaque action ids; injected by tests for stable output. */
  newId?: () => string;
  signal?: AbortSignal;
  /**
   * Where `scan` shows its progress while it runs ("Scanning prod · collected 31,400 / 50,000",
   * updated in place); without it the chat only gets the result.
   */
  scanProgress?: ScanProgressBoard;
  /** Signs "View full report" links when the host has a link secret. */
  reportLink?: ReportLinker;
  /** The remediation workflow, read by `remediate list|show`; without it they say it is not set up. */
  remediation?: Pick<Remediation, 'list' | 'show'>;
  /**
   * How this chat names an identity of a plan (`slack:U…`, `teams:<object id>`) in `remediate
   * show`; without it identities are shown as text.
   */
  mention?: MentionOf;
}

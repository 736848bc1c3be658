import type { Logger } from 'pino';
import type { ReportLinker } from '../core/api/sign-report-link.js';
import type { Clock } from '../core/clock.js';
import type {
  DevOpsInventorySummary,
  ScanPort,
  SubscriptionSchedules,
} from '../core/commands/command-ports.js';
import type { ScanProgressPacing } from '../core/commands/follow-scan-progress.js';
import type { DriftwatchConfig } from '../core/config/config-schema.js';
import type { EntraGroupMembership } from '../core/identity/create-graph-membership.js';
import type { Notifier } from '../core/notify/notifier.js';
import type { RemediationPlan } from '../core/remediate/remediation-plan.js';
import type { Remediation } from '../core/remediate/remediation-service.js';
import type { DriftStore } from '../core/store/drift-store.js';
import type { BotMetrics } from './bot-metrics.js';
import type { Readiness } from './health-routes.js';
import type { BotServer } from './http/create-bot-server.js';

/**
 * What the host gives every chat adapter when it mounts: the one HTTP server to add routes to,
 * readiness checks, and the shared ports (store, config, clock, the instrumented scan, the
 * schedules, metrics, log). Adapters never build their own server, store or scheduler.
 */
export interface BotHost {
  http: BotServer;
  readiness: Readiness;
  store: DriftStore;
  config: DriftwatchConfig;
  clock: Clock;
  /** Scans counted in the metrics (`driftwatch_scans_total`, findings gauges). */
  scan: ScanPort;
  devops?: () => Promise<DevOpsInventorySummary>;
  /** Keeps the schedule in step when a chat command subscribes or unsubscribes. */
  schedules: SubscriptionSchedules;
  /** Add adapter metrics to `metrics.registry` (prom-client `registers: [metrics.registry]`). */
  metrics: BotMetrics;
  log: Logger;
  newId?: () => string;
  /** How often a `scan` asked in chat shows its progress there (defaults in core). */
  scanProgress?: ScanProgressPacing;
  /**
   * Entra group membership (Microsoft Graph), when `chat.access.teams.groupMembership: graph`;
   * without it Teams users are matched by object id only.
   */
  entraMembership?: EntraGroupMembership;
  /** Signs "View full report" links (a link secret and `chat.reportUrl` are set); pass into CommandDeps. */
  reportLink?: ReportLinker;
  remediation?: Pick<
    Remediation,
    'plan' | 'approve' | 'reject' | 'apply' | 'cancel' | 'show' | 'list' | 'reconcile'
  >;
}

/** A chat adapter after it mounted its routes. */
export interface MountedAdapter {
  /** Posts the scheduled summaries of subscriptions made in this chat. */
  notifier?: Notifier;
  /**
   * Called for each remediation the host finished at start (an apply a stopped replica left
   * behind): update its approval message where this chat posted it.
   */
  onReconciled?(plan: RemediationPlan): Promise<void>;
  /** Called once the server listens (Socket Mode connects here). */
  start?(): Promise<void>;
  /** Called on shutdown, before the server closes. */
  close?(): Promise<void>;
}

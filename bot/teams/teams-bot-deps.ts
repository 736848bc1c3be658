import type { Logger } from 'pino';
import type { ReportLinker } from '../../core/api/sign-report-link.js';
import type { Clock } from '../../core/clock.js';
import type {
  DevOpsInventorySummary,
  ScanPort,
  SubscriptionSchedules,
} from '../../core/commands/command-ports.js';
import type { ScanProgressPacing } from '../../core/commands/follow-scan-progress.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { BotMetrics } from '../bot-metrics.js';
import type { TeamsAdapter } from './create-teams-adapter.js';
import type { TeamsNotifier } from './teams-notifier.js';
import type { TeamsSender } from './teams-sender.js';
import type { TeamsViewDeps } from './teams-views.js';

/** What the Teams handlers need; built once by mountTeams and passed in. */
export interface TeamsBotDeps extends TeamsViewDeps {
  clock: Clock;
  scan: ScanPort;
  devops?: () => Promise<DevOpsInventorySummary>;
  schedules?: SubscriptionSchedules;
  metrics: BotMetrics;
  log: Logger;
  newId?: () => string;
  /** How often a `scan` shows its progress in the conversation. */
  scanProgress?: ScanProgressPacing;
  /** Signs "View full report" links (the host's, when it has a link secret). */
  reportLink?: ReportLinker;
  adapter: TeamsAdapter;
  sender: TeamsSender;
  notifier: TeamsNotifier;
  /** `@driftwatch`: how replies name a command. */
  invocation: string;
  remediation?: Pick<
    Remediation,
    'plan' | 'approve' | 'reject' | 'apply' | 'cancel' | 'show' | 'list'
  >;
  /** Work that outlives the HTTP request (commands answered proactively); tests await it. */
  background(work: () => Promise<void>): void;
}

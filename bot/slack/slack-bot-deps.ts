import type { Logger } from 'pino';
import type { ReportLinker } from '../../core/api/sign-report-link.js';
import type { Clock } from '../../core/clock.js';
import type {
  DevOpsInventorySummary,
  ScanPort,
  SubscriptionSchedules,
} from '../../core/commands/command-ports.js';
import type { ScanProgressPacing } from '../../core/commands/follow-scan-progress.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { BotMetrics } from '../bot-metrics.js';
import type { GroupMembership } from './slack-actor.js';
import type { SlackPoster } from './slack-poster.js';

/** What the Slack listeners need; built once by startBot and passed in. */
export interface SlackBotDeps {
  store: DriftStore;
  config: DriftwatchConfig;
  clock: Clock;
  scan: ScanPort;
  devops?: () => Promise<DevOpsInventorySummary>;
  schedules?: SubscriptionSchedules;
  poster: SlackPoster;
  membership: GroupMembership;
  metrics: BotMetrics;
  log: Logger;
  newId?: () => string;
  /** How often a `scan` shows its progress in the channel. */
  scanProgress?: ScanProgressPacing;
  /** Signs "View full report" links. */
  reportLink?: ReportLinker;
  /** The remediation workflow (`openRemediation`); without it the remediation buttons say so. */
  remediation?: Pick<
    Remediation,
    'plan' | 'approve' | 'reject' | 'apply' | 'cancel' | 'show' | 'list'
  >;
}

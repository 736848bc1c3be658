import type { Clock } from '../core/clock.js';
import { createCredential } from '../core/collect/create-credential.js';
import { resolveCredentialSpec } from '../core/collect/resolve-credential-spec.js';
import { chatSettings } from '../core/commands/chat-settings.js';
import type { DevOpsInventorySummary, ScanPort } from '../core/commands/command-ports.js';
import { summariseDevOps } from '../core/commands/summarise-devops.js';
import type { DriftwatchConfig } from '../core/config/config-schema.js';
import { runDevOpsDiscovery } from '../core/devops/run-devops-discovery.js';
import { UsageError } from '../core/errors.js';
import {
  createGraphMembership,
  type EntraGroupMembership,
} from '../core/identity/create-graph-membership.js';
import {
  configuredScanCollector,
  configuredSharedBudget,
} from '../core/scan/queue/configured-scan-collector.js';
import { type RunScanOptions, runScan } from '../core/scan/run-scan.js';
import type { DriftStore } from '../core/store/drift-store.js';

interface PortOptions {
  config: DriftwatchConfig;
  env: Record<string, string | undefined>;
  cwd: string;
  store: DriftStore;
  clock: Clock;
  /** A private CA or a preset credential (tests against the ARM simulator; usually unset). */
  scanOptions?: Pick<RunScanOptions, 'caPem' | 'credential' | 'httpClient'>;
}

/**
 * The bot's scan port over `runScan`: config ignore rules, `.driftignore` and the ignore rules
 * created in chat, compared with the stored baseline; the report is saved by runScan. With Redis,
 * a scope of several subscriptions is read in shards on this deployment's queue by every
 * replica's worker (`configuredScanCollector`), as `driftwatch scan` does.
 */
export function createScanPort(options: PortOptions): ScanPort {
  return async (scope, { signal, onProgress } = {}) => {
    const collector = await configuredScanCollector(options);
    // Attribution's queries draw on the quota the replicas share, as their collection does.
    const shared = await configuredSharedBudget(options);
    // runScan applies config rules, .driftignore and the ignore rules created in chat, and says
    // who or what caused each finding.
    const result = await runScan({
      ...(collector ? { collector } : {}),
      ...(shared ? { sharedBudget: shared.budget } : {}),
      scope,
      config: options.config,
      env: options.env,
      cwd: options.cwd,
      store: options.store,
      clock: options.clock,
      attribute: true,
      ...options.scanOptions,
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    }).finally(() => shared?.close());
    if (!result.report || !result.reportRef) {
      throw new UsageError(
        'usage.no-baseline',
        `${scope} has no baseline yet, so there is nothing to compare with: run driftwatch scan ${scope} --save-baseline once`,
      );
    }
    const { attempts, failed, throttled, paceWaitMs } = result.stats;
    return {
      report: result.report,
      reportId: result.reportRef.id,
      durationMs: result.durationMs,
      requests: { sent: attempts, failed, throttled, paceWaitMs },
    };
  };
}

/** The `/drift devops` port, when Azure DevOps is configured (the inventory is cached in the store). */
export function createDevOpsPort(
  options: PortOptions,
): (() => Promise<DevOpsInventorySummary>) | undefined {
  const devops = options.config.devops;
  if (!devops?.orgUrl) return undefined;
  return async () =>
    summariseDevOps(
      await runDevOpsDiscovery({
        config: devops,
        env: options.env,
        store: options.store,
        clock: options.clock,
        ...(options.config.store.redisUrl ? { redisUrl: options.config.store.redisUrl } : {}),
        entraCredential: () =>
          createCredential(
            resolveCredentialSpec(options.config.azure.credential, options.env, options.cwd),
          ),
      }),
    );
}

/**
 * Entra group membership from Microsoft Graph, when `chat.access.teams.groupMembership: graph`:
 * the same Azure identity as the scans (it needs GroupMember.Read.All). Otherwise undefined, and
 * Teams users are matched by object id only.
 */
export function createEntraMembershipPort(options: PortOptions): EntraGroupMembership | undefined {
  const teams = chatSettings(options.config).access.teams;
  if (teams.groupMembership !== 'graph') return undefined;
  return createGraphMembership({
    credential: createCredential(
      resolveCredentialSpec(options.config.azure.credential, options.env, options.cwd),
    ),
    ...(teams.graphUrl ? { graphUrl: teams.graphUrl } : {}),
  });
}

import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { attributeFindings, attributionWindow } from '../attribution/attribute-findings.js';
import type { DeploymentSource } from '../attribution/attribution-sources.js';
import type { Clock } from '../clock.js';
import type { AzureEndpoints } from '../collect/azure-clouds.js';
import type { CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import { type CollectStats, retriesOf } from '../collect/collect-stats.js';
import { createResourceGraphChangeSource } from '../collect/resource-graph-change-source.js';
import { compareSnapshots } from '../engine/compare-snapshots.js';
import type { EngineRules } from '../engine/engine-rules.js';
import { HttpError } from '../errors.js';
import { enrichImpact, priceCatalogueFor } from '../impact/enrich-impact.js';
import type { Snapshot } from '../model/resource.js';
import { protectSnapshot } from '../secrets/protect-snapshot.js';
import { sanitiseReport } from '../secrets/sanitise-report.js';
import { storeSecretHasher } from '../secrets/store-secret-key.js';
import type { BaselineRecord } from '../store/drift-store.js';
import { describeUnreadScope, findUnreadScope } from './find-unread-scope.js';
import type { RunScanOptions, RunScanResult } from './run-scan.js';

/** Store area holding the latest collected snapshot of each scope (one per scope, overwritten). */
export const LATEST_SNAPSHOT_AREA = 'latest-snapshot';

/** What {@link compareScan} needs besides the scan's options: the resolved scope and its snapshot. */
export interface CollectedScan {
  target: CollectTarget;
  via: CollectVia;
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  httpClient?: HttpClient;
  rules: EngineRules;
  clock: Clock;
  /** When the scan started (ms since epoch), for `durationMs`. */
  started: number;
  /** The snapshot as collected — by this process, incrementally, or merged from shards. */
  snapshot: Snapshot;
  stats: CollectStats;
}

/**
 * The comparing half of a scan: consumes a collected snapshot, whoever collected it. Refuses a
 * scope nothing of which could be read, hashes secrets, keeps the snapshot as the scope's latest,
 * compares with the baseline (attribution, impact, sanitised report kept), and saves the
 * snapshot as the new baseline when asked and complete.
 */
export async function compareScan(
  options: RunScanOptions,
  scan: CollectedScan,
): Promise<RunScanResult> {
  const { target, via, credential, endpoints, httpClient, rules, clock, stats } = scan;
  const collected = scan.snapshot;
  // Nothing of the scope could be read (unreachable endpoint, outage): an error, never a report
  // of unknowns that a gate could take for a result — and nothing is stored.
  const unread = findUnreadScope(target, collected);
  if (unread) {
    throw new HttpError(
      'azure.scope-unreadable',
      describeUnreadScope(target.name, unread, collected.source?.description),
      { details: { scope: target.name, unreadable: unread.length } },
    );
  }

  // Secrets become keyed hashes before anything is compared, kept or returned.
  const secrets = await storeSecretHasher(options.store);
  const snapshot = protectSnapshot(collected, secrets);
  const scope = target.name;
  await options.store.keyValue<Snapshot>(LATEST_SNAPSHOT_AREA).set(scope, snapshot);
  const existing = await options.store.getBaseline(scope);
  const result: RunScanResult = {
    scope,
    target,
    via,
    snapshot,
    counts: {
      resources: snapshot.resources.length,
      errors: snapshot.errors.length,
      subscriptions: target.subscriptions.length,
    },
    stats: { ...stats, retries: retriesOf(stats) },
    durationMs: 0,
  };
  if (existing) {
    // A baseline stored before secrets were hashed is hashed now (idempotent for newer ones).
    const report = compareSnapshots(protectSnapshot(existing.snapshot, secrets), snapshot, {
      scope,
      rules,
      clock,
      accepted: await options.store.listAccepted(scope),
      ...(baselineLabel(existing.record) ? { baselineLabel: baselineLabel(existing.record) } : {}),
    });
    result.report = options.attribute
      ? await attributeFindings(report, {
          changes: createResourceGraphChangeSource({
            credential,
            endpoints,
            ...(httpClient ? { httpClient } : {}),
            ...(options.sharedBudget ? { sharedBudget: options.sharedBudget } : {}),
          }),
          window: attributionWindow(report, existing.record.setAt),
          resources: snapshot.resources,
          ...(await deploymentsFor(options, credential)),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : report;
    options.signal?.throwIfAborted();
    // Blast radius and cost from the snapshots as read (Key Vault references are hashed after).
    result.report = await enrichImpact(result.report, {
      baseline: existing.snapshot,
      current: collected,
      config: options.config.impact,
      prices:
        options.prices ??
        priceCatalogueFor(options.config.impact, {
          fetch: options.fetch ?? globalThis.fetch,
          store: options.store,
        }),
    });
    result.baseline = existing.record;
    // Attribution adds text from Azure's change history: the stored report passes the sanitiser too.
    result.report = sanitiseReport(result.report);
    result.reportRef = await options.store.saveReport(result.report);
  }
  if (options.saveBaseline) {
    if (snapshot.complete) {
      result.savedBaseline = await options.store.setBaseline(
        scope,
        snapshot,
        options.baselineMeta ?? {},
      );
    } else {
      result.baselineRefused = `not saved as the baseline: ${snapshot.errors.length} part(s) of the scope could not be read (an incomplete snapshot never becomes a baseline)`;
    }
  }
  result.durationMs = clock.now().getTime() - scan.started;
  return result;
}

/** The deployments source for attribution: given, or Azure DevOps when config names an organisation. */
async function deploymentsFor(
  options: RunScanOptions,
  credential: TokenCredential,
): Promise<{ deployments?: DeploymentSource }> {
  if (typeof options.attribute === 'object' && options.attribute.deployments) {
    return { deployments: options.attribute.deployments };
  }
  const devops = options.config.devops;
  if (!devops?.orgUrl) return {};
  // Loaded on demand: the Azure DevOps client is large and only attribution with DevOps needs it.
  const { createDeploymentSource } = await import('../devops/create-deployment-source.js');
  return {
    deployments: createDeploymentSource(devops, {
      env: options.env,
      scopes: options.config.scopes,
      store: options.store,
      entraCredential: () => credential,
      ...(options.config.store.redisUrl ? { redisUrl: options.config.store.redisUrl } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    }),
  };
}

function baselineLabel(record: BaselineRecord): string | undefined {
  if (record.source?.pipeline?.runId) return `pipeline run ${record.source.pipeline.runId}`;
  if (record.setBy) return `set by ${record.setBy}`;
  return undefined;
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { attributeFindings, attributionWindow } from '../attribution/attribute-findings.js';
import type { DeploymentSource } from '../attribution/attribution-sources.js';
import { type Clock, systemClock } from '../clock.js';
import { resolveEndpoints } from '../collect/azure-clouds.js';
import { collectScope } from '../collect/collect-scope.js';
import type { CollectProgress, CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import { type CollectStats, emptyStats, retriesOf } from '../collect/collect-stats.js';
import type { CollectTuning } from '../collect/create-azure-clients.js';
import { createCredential } from '../collect/create-credential.js';
import { createHttpClient } from '../collect/create-http-client.js';
import { resolveCredentialSpec } from '../collect/resolve-credential-spec.js';
import { createResourceGraphChangeSource } from '../collect/resource-graph-change-source.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import { compareSnapshots } from '../engine/compare-snapshots.js';
import { buildEngineRules, type EngineRules } from '../engine/engine-rules.js';
import { HttpError, InputError } from '../errors.js';
import { enrichImpact, priceCatalogueFor } from '../impact/enrich-impact.js';
import type { PriceCatalogue } from '../impact/price-catalogue.js';
import type { Report } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import { protectSnapshot } from '../secrets/protect-snapshot.js';
import { sanitiseReport } from '../secrets/sanitise-report.js';
import { storeSecretHasher } from '../secrets/store-secret-key.js';
import { listChatIgnoreRules } from '../store/chat-ignore-rules.js';
import type { BaselineRecord, DriftStore, ReportRef } from '../store/drift-store.js';
import { describeUnreadScope, findUnreadScope } from './find-unread-scope.js';
import { type AdHocScope, resolveScanTarget } from './resolve-scan-target.js';

/** Store area holding the latest collected snapshot of each scope (one per scope, overwritten). */
export const LATEST_SNAPSHOT_AREA = 'latest-snapshot';

/** Options of {@link runScan}: `config`, `env`, `cwd`, `store` and a scope (named or `adHoc`) are required. */
export interface RunScanOptions {
  /** A named scope from `config.scopes`; `adHoc` values override its fields, or stand alone. */
  scope?: string;
  adHoc?: AdHocScope;
  config: DriftwatchConfig;
  /** Environment for credentials and endpoint overrides (never read from `process.env` here). */
  env: Record<string, string | undefined>;
  /** Where `.driftignore` and relative credential files are looked up. */
  cwd: string;
  store: DriftStore;
  /** Overrides the scope's and config's `via` (default `graph`). */
  via?: CollectVia;
  /** Store the snapshot as the scope's baseline — only if it is complete. */
  saveBaseline?: boolean;
  baselineMeta?: { setBy?: string; note?: string };
  /** `.driftignore` text; default: the file in `cwd`, if any. */
  driftignore?: string;
  /** Where `driftignore` came from, for error messages and suppression labels. */
  driftignoreSource?: string;
  /**
   * Already compiled engine rules; wins over `driftignore`. Without it, runScan compiles config
   * rules, the driftignore and the ignore rules kept in the store (created in chat), so every host
   * applies the same rules.
   */
  rules?: EngineRules;
  /**
   * Say who or what caused each finding: Resource Graph change history (`resourcechanges`) and,
   * when `config.devops` names an organisation (or `deployments` is given), Azure DevOps deployments.
   */
  attribute?: boolean | { deployments?: DeploymentSource };
  /** Overrides the credential built from config + env (pipeline service connection, tests). */
  credential?: TokenCredential;
  /** Trust a private CA / the simulator in-process, or pass a whole SDK HTTP client. */
  caPem?: string;
  httpClient?: HttpClient;
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
  clock?: Clock;
  tuning?: Partial<CollectTuning>;
  /** Where list prices come from (default: `config.impact.cost`, when enabled, over `fetch`). */
  prices?: PriceCatalogue;
  /** `fetch` for the Retail Prices API (default the global one; only used when cost is enabled). */
  fetch?: typeof fetch;
}

/** Everything a host needs to show and gate on after a scan. */
export interface RunScanResult {
  scope: string;
  target: CollectTarget;
  via: CollectVia;
  snapshot: Snapshot;
  /** The drift report, when the scope had a baseline to compare with. */
  report?: Report;
  reportRef?: ReportRef;
  /** The baseline the snapshot was compared with. */
  baseline?: BaselineRecord;
  /** The new baseline, when `saveBaseline` was asked and the snapshot was complete. */
  savedBaseline?: BaselineRecord;
  /** Why `saveBaseline` did not save (an incomplete snapshot never becomes a baseline). */
  baselineRefused?: string;
  counts: { resources: number; errors: number; subscriptions: number };
  stats: CollectStats & { retries: number };
  durationMs: number;
}

/**
 * The one scan entry the CLI, the Slack bot and the pipeline task call: resolve the scope,
 * collect it from Azure, compare with the stored baseline (config ignore/severity rules plus
 * `.driftignore`), keep the report, and optionally make the snapshot the new baseline.
 *
 * Store writes happen only after collection succeeded and only if not aborted, so an
 * interrupted or failed scan leaves the store as it was. Throws coded errors (`ConfigError`,
 * `UsageError`, `AuthError`, `HttpError`) for a wrong scope, credential or endpoint, and
 * `azure.scope-unreadable` when nothing of the scope could be read.
 *
 * @example
 * const result = await runScan({ scope: 'prod', config, env: process.env, cwd, store });
 * if (result.report?.summary.maxSeverity === 'critical') …
 */
export async function runScan(options: RunScanOptions): Promise<RunScanResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now().getTime();
  const { target, via: scopeVia } = resolveScanTarget(options.config, {
    ...(options.scope ? { name: options.scope } : {}),
    ...(options.adHoc ? { adHoc: options.adHoc } : {}),
  });
  const via = options.via ?? scopeVia ?? options.config.azure.collect?.via ?? 'graph';
  const endpoints = resolveEndpoints(options.config.azure, options.env);
  const httpClient =
    options.httpClient ?? (options.caPem ? createHttpClient({ caPem: options.caPem }) : undefined);
  const credential =
    options.credential ??
    createCredential(
      resolveCredentialSpec(options.config.azure.credential, options.env, options.cwd),
      {
        authorityHost: endpoints.authorityHost,
        clock,
        ...(httpClient ? { httpClient } : {}),
      },
    );
  // Compiled before collecting, so a bad .driftignore fails before minutes of reading Azure.
  const rules =
    options.rules ??
    buildEngineRules({
      config: options.config,
      now: clock.now(),
      extraIgnores: await listChatIgnoreRules(options.store, target.name),
      ...driftignoreOf(options),
    });
  let stats = emptyStats();
  const collected = await collectScope({
    target,
    credential,
    endpoints,
    via,
    clock,
    store: options.store,
    tuning: { ...tuningFromConfig(options.config), ...options.tuning },
    ...(httpClient ? { httpClient } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress(progress) {
      stats = progress.stats;
      options.onProgress?.(progress);
    },
  });
  options.signal?.throwIfAborted();
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
  result.durationMs = clock.now().getTime() - started;
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

function tuningFromConfig(config: DriftwatchConfig): Partial<CollectTuning> {
  const c = config.azure.collect;
  return {
    ...(c?.concurrency ? { concurrency: c.concurrency } : {}),
    ...(c?.timeoutMs ? { timeoutMs: c.timeoutMs } : {}),
    ...(c?.maxRetries !== undefined ? { maxRetries: c.maxRetries } : {}),
    ...(c?.deadlineMinutes ? { deadlineMs: c.deadlineMinutes * 60_000 } : {}),
    ...(c?.apiVersionTtlHours !== undefined
      ? { apiVersionTtlMs: c.apiVersionTtlHours * 3_600_000 }
      : {}),
  };
}

function driftignoreOf(options: RunScanOptions): {
  driftignore?: string;
  driftignoreSource?: string;
} {
  if (options.driftignore !== undefined) {
    return {
      driftignore: options.driftignore,
      ...(options.driftignoreSource ? { driftignoreSource: options.driftignoreSource } : {}),
    };
  }
  const file = resolve(options.cwd, '.driftignore');
  if (!existsSync(file)) return {};
  try {
    return { driftignore: readFileSync(file, 'utf8'), driftignoreSource: '.driftignore' };
  } catch (error) {
    throw new InputError(
      'input.unreadable',
      `.driftignore: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
}

function baselineLabel(record: BaselineRecord): string | undefined {
  if (record.source?.pipeline?.runId) return `pipeline run ${record.source.pipeline.runId}`;
  if (record.setBy) return `set by ${record.setBy}`;
  return undefined;
}

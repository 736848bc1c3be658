import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { DeploymentSource } from '../attribution/attribution-sources.js';
import { type Clock, systemClock } from '../clock.js';
import { resolveEndpoints } from '../collect/azure-clouds.js';
import type { CollectProgress, CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import { type CollectStats, emptyStats } from '../collect/collect-stats.js';
import type { CollectTuning } from '../collect/create-azure-clients.js';
import { createCredential } from '../collect/create-credential.js';
import { createHttpClient } from '../collect/create-http-client.js';
import { resolveCredentialSpec } from '../collect/resolve-credential-spec.js';
import type { SharedBudget } from '../collect/shared-budget.js';
import type { DriftwatchConfig } from '../config/config-schema.js';
import { buildEngineRules, type EngineRules } from '../engine/engine-rules.js';
import { InputError } from '../errors.js';
import type { PriceCatalogue } from '../impact/price-catalogue.js';
import type { Report } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import { listChatIgnoreRules } from '../store/chat-ignore-rules.js';
import type { BaselineRecord, DriftStore, ReportRef } from '../store/drift-store.js';
import { compareScan } from './compare-scan.js';
import { createScanCollector } from './create-scan-collector.js';
import type { ScanMode } from './plan-scan-mode.js';
import { type AdHocScope, resolveScanTarget } from './resolve-scan-target.js';
import type { ScanCollector } from './scan-collector.js';

export { LATEST_SNAPSHOT_AREA } from './compare-scan.js';

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
  /**
   * Who collects the snapshot (default: this process, a full read). The incremental and the
   * sharded collectors plug in here; the comparison is the same whoever collected.
   */
  collector?: ScanCollector;
  /**
   * Budgets shared with the other processes of this identity (Redis): attribution's Resource
   * Graph `resourcechanges` queries draw on the same quota as the scans, so replicas attributing
   * at the same minute do not run into 429s.
   */
  sharedBudget?: SharedBudget;
  /** `full` or `incremental` (default: `config.azure.collect.mode`, else `full`); ignored with `collector`. */
  mode?: ScanMode;
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
 * collect it from Azure (through `collector`; see {@link compareScan} for the second half), compare with the stored baseline (config ignore/severity rules plus
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
  const collector = options.collector ?? defaultCollector(options);
  const collected = await collector({
    target,
    via,
    credential,
    endpoints,
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
  return compareScan(options, {
    target,
    via,
    credential,
    endpoints,
    rules,
    clock,
    started,
    snapshot: collected,
    stats,
    ...(httpClient ? { httpClient } : {}),
  });
}

/** Full or incremental in this process, as asked or configured. */
function defaultCollector(options: RunScanOptions): ScanCollector {
  const collect = options.config.azure.collect;
  const mode = options.mode ?? collect?.mode ?? 'full';
  return createScanCollector({
    mode,
    // A full scan of a scope scanned incrementally resets the chain it starts from.
    keepBasis: mode === 'incremental' || collect?.mode === 'incremental',
    ...(collect?.fullScanEveryHours !== undefined
      ? { fullEveryMs: collect.fullScanEveryHours * 3_600_000 }
      : {}),
  });
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

import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { type Clock, systemClock } from '../clock.js';
import type { ArmResource, Snapshot, SnapshotError } from '../model/resource.js';
import type { DriftStore } from '../store/drift-store.js';
import type { AzureEndpoints } from './azure-clouds.js';
import { collectChildConfigs } from './collect-child-configs.js';
import type {
  CollectProgress,
  CollectRun,
  CollectTarget,
  CollectVia,
} from './collect-scope-types.js';
import { collectViaArm } from './collect-via-arm.js';
import { collectViaGraph } from './collect-via-graph.js';
import { type CollectTuning, createAzureClients } from './create-azure-clients.js';
import { createHttpClient } from './create-http-client.js';
import { mapLimit } from './map-limit.js';
import type { PacerClock } from './pacer-clock.js';
import type { SharedBudget } from './shared-budget.js';
import { verifyScope } from './verify-scope.js';

/** Everything {@link collectScope} needs; only `target`, `credential` and `endpoints` are required. */
export interface CollectScopeOptions {
  target: CollectTarget;
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  /** `graph` (default): Resource Graph for bodies; `arm`: list + GET each by id. */
  via?: CollectVia;
  /** Aborting stops the run; nothing partial is returned (the caller writes nothing). */
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
  clock?: Clock;
  /** Caches api-versions (`api-versions` key-value area). */
  store?: DriftStore;
  /** An SDK HTTP client; or `caPem` to trust a private CA / the simulator in-process. */
  httpClient?: HttpClient;
  caPem?: string;
  tuning?: Partial<CollectTuning>;
  /** Pacing and breaker time (tests inject fake timers). */
  pacerClock?: PacerClock;
  /** ARM and Resource Graph budgets shared with other workers (see `createRedisBudget`). */
  sharedBudget?: SharedBudget;
  /**
   * An incremental read: `ids` (Resource Graph path) re-reads only the resources the change feed
   * named; `known` (ARM path: lower-case id → `changedTime` of the last complete scan) GETs only
   * listed resources whose `changedTime` moved. Child configuration is read for what was re-read.
   */
  delta?: { ids?: readonly string[]; known?: Readonly<Record<string, string>> };
}

/** A snapshot with what an incremental scan needs next time. */
export interface CollectedScope {
  snapshot: Snapshot;
  /** ARM path: `changedTime` of every listed resource (lower-case id → ISO). */
  changedTimes?: Record<string, string>;
  /** ARM path with `delta.known`: listed resources whose `changedTime` had not moved. */
  unchanged?: string[];
}

/**
 * Collects a scope into a driftwatch snapshot. Verifies the subscriptions and resource groups
 * first (a typo or missing role is an error, never an empty estate), collects subscriptions
 * concurrently each within its own ARM limits, adds child configuration (App Service
 * `config/web`), and records whatever could not be read in `errors` with `complete: false`.
 * Throws coded errors for a wrong scope or credential; rejects with the abort reason on abort.
 *
 * @example
 * const snapshot = await collectScope({
 *   target: { name: 'prod', subscriptions: ['00000000-0000-0000-0000-000000000000'] },
 *   credential: createCredential({ kind: 'default' }),
 *   endpoints: resolveEndpoints({}, process.env),
 * });
 */
export async function collectScope(options: CollectScopeOptions): Promise<Snapshot> {
  return (await collectScopeDetailed(options)).snapshot;
}

/** {@link collectScope} with the ARM list's `changedTime`s and, incrementally, what it skipped. */
export async function collectScopeDetailed(options: CollectScopeOptions): Promise<CollectedScope> {
  const clock = options.clock ?? systemClock;
  const via = options.via ?? 'graph';
  const clients = createAzureClients({
    credential: options.credential,
    endpoints: options.endpoints,
    ...(options.httpClient || options.caPem
      ? { httpClient: options.httpClient ?? createHttpClient({ caPem: options.caPem as string }) }
      : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
    ...(options.pacerClock ? { clock: options.pacerClock } : {}),
    ...(options.sharedBudget ? { sharedBudget: options.sharedBudget } : {}),
  });
  const state: CollectProgress = { phase: 'verifying', done: 0, errors: 0, stats: clients.stats };
  const emit = () => options.onProgress?.({ ...state, stats: { ...clients.stats } });
  const run: CollectRun = {
    target: options.target,
    clients,
    clock,
    apiVersions: new Map(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.store ? { store: options.store } : {}),
    progress(update) {
      if (update.phase) state.phase = update.phase;
      if (update.done) state.done += update.done;
      if (update.total !== undefined) state.total = (state.total ?? 0) + update.total;
      emit();
    },
  };
  emit();
  const startedAt = clock.now();
  const verified = await verifyScope(run);
  const resources: ArmResource[] = [];
  const errors: SnapshotError[] = [...verified.unreadable];
  // Subscriptions whose check failed for a passing reason are recorded unreadable and skipped.
  const readable = options.target.subscriptions.filter((s) => verified.groups.has(s.toLowerCase()));
  const delta = options.delta;
  let changedTimes: Record<string, string> | undefined;
  const unchanged: string[] = [];
  if (via === 'graph' && readable.length > 0 && delta?.ids?.length !== 0) {
    const result = await collectViaGraph(
      { ...run, target: { ...run.target, subscriptions: readable } },
      delta?.ids,
    );
    resources.push(...result.resources);
    errors.push(...result.errors);
  } else if (via === 'arm') {
    changedTimes = {};
    await mapLimit(readable, readable.length, async (sub) => {
      const result = await collectViaArm(
        run,
        sub,
        verified.groups.get(sub.toLowerCase()),
        delta?.known,
      );
      resources.push(...result.resources);
      errors.push(...result.errors);
      Object.assign(changedTimes as Record<string, string>, result.changedTimes);
      unchanged.push(...result.unchanged);
      state.errors = errors.length;
    });
  }
  const children = await collectChildConfigs(run, resources);
  resources.push(...children.resources);
  errors.push(...children.errors);
  state.errors = errors.length;
  run.progress({ phase: 'done' });
  const snapshot: Snapshot = {
    schemaVersion: 1,
    scope: options.target.name,
    collectedAt: startedAt.toISOString(),
    source: {
      kind: via === 'graph' ? 'resource-graph' : 'arm',
      description: describeSource(via, options),
    },
    complete: errors.length === 0,
    resources: dedupe(resources).sort((a, b) => compareIds(a.id, b.id)),
    errors,
  };
  return {
    snapshot,
    ...(changedTimes ? { changedTimes } : {}),
    ...(delta?.known ? { unchanged } : {}),
  };
}

/** "Resource Graph · 2 subscriptions" (plus the host when it is not public Azure's). */
function describeSource(via: CollectVia, options: CollectScopeOptions): string {
  const n = options.target.subscriptions.length;
  const host = new URL(options.endpoints.resourceManager).host;
  const where = host === 'management.azure.com' ? '' : ` at ${host}`;
  return `${via === 'graph' ? 'Resource Graph' : 'ARM'}${where} · ${n} subscription${n === 1 ? '' : 's'}`;
}

function compareIds(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** ARM ids are case-insensitive; a resource seen twice (e.g. listed in two pages) counts once. */
function dedupe(resources: ArmResource[]): ArmResource[] {
  const seen = new Map<string, ArmResource>();
  for (const r of resources) seen.set(r.id.toLowerCase(), r);
  return [...seen.values()];
}

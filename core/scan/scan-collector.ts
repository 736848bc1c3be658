import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { Clock } from '../clock.js';
import type { AzureEndpoints } from '../collect/azure-clouds.js';
import { collectScope } from '../collect/collect-scope.js';
import type { CollectProgress, CollectTarget, CollectVia } from '../collect/collect-scope-types.js';
import type { CollectTuning } from '../collect/create-azure-clients.js';
import type { Snapshot } from '../model/resource.js';
import type { DriftStore } from '../store/drift-store.js';

/** What a collector is asked for: a resolved scope and everything needed to read it here. */
export interface ScanCollectRequest {
  target: CollectTarget;
  via: CollectVia;
  credential: TokenCredential;
  endpoints: AzureEndpoints;
  httpClient?: HttpClient;
  clock: Clock;
  store: DriftStore;
  tuning: Partial<CollectTuning>;
  signal?: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
}

/**
 * The seam between collecting and comparing: anything that turns a scope into a snapshot — this
 * process, an incremental scan carrying unchanged resources forward, or shards read by workers
 * and merged. `runScan` compares whatever it returns.
 */
export type ScanCollector = (request: ScanCollectRequest) => Promise<Snapshot>;

/** What reading any part of a request's scope needs, as `collectScope` and `collectShard` take it. */
export function readDepsOf(request: ScanCollectRequest) {
  return {
    credential: request.credential,
    endpoints: request.endpoints,
    clock: request.clock,
    store: request.store,
    tuning: request.tuning,
    ...(request.httpClient ? { httpClient: request.httpClient } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  };
}

/** The default collector: the whole scope read in this process, in one full pass. */
export const collectLocally: ScanCollector = async (request) => {
  const snapshot = await collectScope({
    target: request.target,
    via: request.via,
    ...readDepsOf(request),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  return { ...snapshot, collection: { mode: 'full', shards: 1, duplicates: 0 } };
};

/**
 * An ARM resource object as Azure Resource Manager or Resource Graph returns it. Only `id` is
 * required; everything else is compared as data.
 */
export interface ArmResource {
  id: string;
  name?: string;
  type?: string;
  location?: string;
  kind?: string;
  sku?: Record<string, unknown>;
  tags?: Record<string, string>;
  identity?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  etag?: string;
  systemData?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Something that could not be read. `id` is a resource id or a scope prefix (a subscription,
 * resource group or parent resource); with `resourceType`, only resources of that type under the
 * scope are affected. Baseline resources matching an error are reported `unknown`, never removed.
 */
export interface SnapshotError {
  id: string;
  message: string;
  resourceType?: string;
  code?: string;
  status?: number;
}

/** Where a snapshot came from: the collector, or the pipeline run that recorded it. */
export interface SnapshotSource {
  kind: 'file' | 'resource-graph' | 'arm' | 'pipeline' | 'demo' | (string & {});
  description?: string;
  pipeline?: {
    definition?: string;
    runId?: string;
    runUrl?: string;
    commit?: string;
  };
}

/**
 * How a collected snapshot was produced: a full read, or an incremental one that re-read what the
 * change feed named in `window` and carried the rest forward from the complete snapshot `basis`.
 */
export interface SnapshotCollection {
  mode: 'full' | 'incremental';
  /** The change window an incremental snapshot covers (ISO times). */
  window?: { from: string; to: string };
  /** `collectedAt` of the complete snapshot resources were carried forward from. */
  basis?: string;
  /** Why this is a full scan although an incremental one was asked for. */
  fullReason?: string;
  /** Parts (shards) the snapshot was merged from. */
  shards?: number;
  /** Resources re-read / carried forward unchanged (incremental). */
  reread?: number;
  carried?: number;
  /** Resource ids that more than one shard returned (each kept once). */
  duplicates?: number;
}

/** A driftwatch snapshot document, the format every reader accepts and every collector writes. */
export interface Snapshot {
  schemaVersion: 1;
  scope?: string;
  collectedAt?: string;
  source?: SnapshotSource;
  /** False when anything in scope could not be read; `errors` then says what. */
  complete: boolean;
  resources: ArmResource[];
  errors: SnapshotError[];
  /** How the collector produced it (absent on snapshots from files and older versions). */
  collection?: SnapshotCollection;
}

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
}

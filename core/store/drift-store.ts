import type { Report } from '../model/report.js';
import type { Snapshot, SnapshotSource } from '../model/resource.js';
import type { Severity } from '../model/severity.js';

/** Pointer to the snapshot that is a scope's current baseline. */
export interface BaselineRecord {
  scope: string;
  snapshotId: string;
  setAt: string;
  setBy?: string;
  resources: number;
  complete: boolean;
  source?: SnapshotSource;
  note?: string;
  /**
   * The scope's baseline version: 1, 2, 3… in the order set, never reused. Records stored before
   * versions existed have none; {@link DriftStore.baselineVersions} numbers them from the oldest.
   */
  version?: number;
  /** Set by a restore: the version whose snapshot this baseline is again. */
  restoredFrom?: number;
}

/** A baseline record with its version number (see {@link DriftStore.baselineVersions}). */
export type BaselineVersion = BaselineRecord & { version: number };

/** A finding a person declared expected; later reports count it as accepted instead of listing it. */
export interface AcceptedDrift {
  scope: string;
  fingerprint: string;
  resourceId?: string;
  by: string;
  reason?: string;
  at: string;
}

/** A stored report's index entry (history). */
export interface ReportRef {
  id: string;
  scope: string;
  generatedAt: string;
  findings: number;
  maxSeverity: Severity | null;
  complete: boolean;
  fingerprints: string[];
}

/** A small namespaced key-value cache with TTLs (api-versions, DevOps inventory, subscriptions). */
export interface KeyValue<T = unknown> {
  get(key: string): Promise<T | undefined>;
  /** `ttlMs` in milliseconds; omit for no expiry. */
  set(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /**
   * Stores `value` only if the key holds nothing; returns what the key holds afterwards (the
   * winner's value when several processes race). Atomic across processes.
   */
  setIfAbsent(key: string, value: T, ttlMs?: number): Promise<T>;
  /**
   * Atomic read-modify-write across processes: `change` gets the current value and returns the
   * new one (`undefined` deletes). It may run more than once when another writer wins a race, so
   * it must be pure. Returns the value written.
   */
  update(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined>;
}

/**
 * An append-only log (the remediation audit): entries are only ever added, each under a fresh
 * random id, so concurrent writers never lose one another's entries. Atomic across processes.
 */
export interface AppendLog<T = unknown> {
  /** Adds `entry` as the newest; returns its id. */
  append(entry: T): Promise<string>;
  /** Newest first; at most `limit`. */
  list(limit?: number): Promise<T[]>;
}

/**
 * Baselines, snapshots, reports and small state, behind one port. The embedded default is SQLite
 * on local disk; `REDIS_URL` switches to Redis so several replicas share it.
 *
 * Writes that span keys write the new data first and add its index entry last, so a process
 * killed part-way leaves the previous state intact (at worst an orphaned snapshot). Every index
 * change is atomic across processes (see `keyv-drift-store.ts` for the layout).
 */
export interface DriftStore {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  /**
   * The namespace of its keys (`driftwatch` unless opened with another): what else one
   * deployment keeps in the same Redis (the scan-shard queue, the shared budgets) is named after
   * it, so two deployments (or two tests) on one Redis never read each other's work.
   */
  readonly namespace?: string;
  putSnapshot(snapshot: Snapshot): Promise<string>;
  getSnapshot(id: string): Promise<Snapshot | undefined>;
  setBaseline(
    scope: string,
    snapshot: Snapshot,
    meta?: { setBy?: string; note?: string },
  ): Promise<BaselineRecord>;
  getBaseline(scope: string): Promise<{ record: BaselineRecord; snapshot: Snapshot } | undefined>;
  /** Baseline history for a scope, newest first (the current one first); at most `limit`. */
  baselineHistory(scope: string, limit?: number): Promise<BaselineRecord[]>;
  listBaselines(): Promise<BaselineRecord[]>;
  /**
   * Every kept baseline version of a scope, newest first (the current one first). Retention
   * (`store.retention.baselinesPerScope`) drops the oldest; numbers are never reused.
   */
  baselineVersions(scope: string): Promise<BaselineVersion[]>;
  /** One kept version with its snapshot; undefined when that version is not kept. */
  getBaselineVersion(
    scope: string,
    version: number,
  ): Promise<{ record: BaselineVersion; snapshot: Snapshot } | undefined>;
  /**
   * Makes a kept version's snapshot the current baseline again, as a new version that records
   * who and why (`restoredFrom` names the version). Atomic: one index write; the snapshot is
   * shared, not copied. A version that is not kept is a `UsageError` naming the kept ones.
   */
  restoreBaseline(
    scope: string,
    version: number,
    meta: { setBy: string; note?: string },
  ): Promise<BaselineVersion>;
  saveReport(report: Report): Promise<ReportRef>;
  /** By full id or an unambiguous prefix of at least 4 characters. */
  getReport(idOrPrefix: string): Promise<{ ref: ReportRef; report: Report } | undefined>;
  /** Newest first; all scopes when `scope` is omitted. */
  listReports(options?: { scope?: string; limit?: number }): Promise<ReportRef[]>;
  /** Removes a stored report (by full id) from history; false when there was none. */
  deleteReport(id: string): Promise<boolean>;
  accept(entry: AcceptedDrift): Promise<void>;
  listAccepted(scope: string): Promise<AcceptedDrift[]>;
  /** A namespaced key-value area for features (caches, chat subscriptions, approvals). */
  keyValue<T>(namespace: string): KeyValue<T>;
  /** A named append-only log (never trimmed, never rewritten). */
  appendLog<T>(name: string): AppendLog<T>;
  close(): Promise<void>;
}

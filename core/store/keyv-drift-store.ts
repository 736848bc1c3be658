import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import type { Clock } from '../clock.js';
import { StoreError, UsageError } from '../errors.js';
import { MIN_ID_PREFIX } from '../model/min-id-prefix.js';
import type { Report } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import type {
  AcceptedDrift,
  AppendLog,
  BaselineRecord,
  BaselineVersion,
  DriftStore,
  KeyValue,
  ReportRef,
} from './drift-store.js';
import { createMemoryStoreBackend } from './memory-store-backend.js';
import { migrateLegacyLayout } from './migrate-legacy-layout.js';
import type { StoreBackend } from './store-backend.js';

/** How much history to keep. */
export interface Retention {
  /** Reports kept per scope (oldest dropped first). */
  reportsPerScope: number;
  /** Baselines kept per scope, including the current one; older snapshots are deleted. */
  baselinesPerScope: number;
}

export const DEFAULT_RETENTION: Retention = { reportsPerScope: 100, baselinesPerScope: 10 };

const scopeKey = (scope: string) => scope.toLowerCase();

/**
 * The store: large write-once bodies in keyv, every shared index in the atomic backend.
 *
 * keyv keys: `snapshot:<id>` (a snapshot), `report:<id>` (a report body). Written once under a
 * fresh random id and never changed, so concurrent writers cannot lose each other's data.
 *
 * Backend collections (member → value, newest first): `reports:<scope>` (report id →
 * {@link ReportRef}, trimmed to `reportsPerScope`), `report-scopes` (scope key → scope),
 * `baselines:<scope>` (snapshot id → {@link BaselineRecord}; the newest is the current baseline,
 * trimmed to `baselinesPerScope`), `baseline-scopes`, `accepted:<scope>` (fingerprint →
 * {@link AcceptedDrift}). Backend values: `kv:<area>:<key>` (the {@link KeyValue} areas) and
 * `layout`. Each index change is one atomic backend call (a SQLite transaction, a Redis Lua
 * script), never a keyv get-then-set, which two processes would interleave and lose an update.
 *
 * Writes that span both write the body first and the index entry last, so a process killed
 * part-way leaves the previous state intact (at worst an unreferenced body).
 */
export class KeyvDriftStore implements DriftStore {
  readonly kind: DriftStore['kind'];
  readonly namespace: string;
  private readonly keyv: Keyv;
  private readonly backend: StoreBackend;
  private readonly clock: Clock;
  private readonly retention: Retention;
  private migrated: Promise<unknown> | undefined;

  constructor(options: {
    keyv: Keyv;
    kind: DriftStore['kind'];
    clock: Clock;
    /** Required for SQLite and Redis; the memory store makes its own. */
    backend?: StoreBackend;
    retention?: Partial<Retention>;
  }) {
    if (!options.backend && options.kind !== 'memory') {
      throw new StoreError(
        'store.no-backend',
        `a ${options.kind} store needs its atomic backend (see openStore)`,
      );
    }
    this.keyv = options.keyv;
    this.kind = options.kind;
    this.namespace = options.keyv.namespace ?? 'driftwatch';
    this.clock = options.clock;
    this.backend = options.backend ?? createMemoryStoreBackend();
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
  }

  async putSnapshot(snapshot: Snapshot): Promise<string> {
    const id = `snap_${this.clock.now().getTime().toString(36)}_${randomBytes(4).toString('hex')}`;
    await this.write(`snapshot:${id}`, snapshot);
    return id;
  }

  getSnapshot(id: string): Promise<Snapshot | undefined> {
    return this.read<Snapshot>(`snapshot:${id}`);
  }

  async setBaseline(
    scope: string,
    snapshot: Snapshot,
    meta: { setBy?: string; note?: string } = {},
  ): Promise<BaselineRecord> {
    // Data first, index last: a crash before the history entry leaves the old baseline in force.
    const snapshotId = await this.putSnapshot(snapshot);
    const version = await this.nextBaselineVersion(scope);
    const record: BaselineRecord = {
      scope,
      snapshotId,
      setAt: this.clock.now().toISOString(),
      resources: snapshot.resources.length,
      complete: snapshot.complete,
      ...(snapshot.source ? { source: snapshot.source } : {}),
      ...(meta.setBy ? { setBy: meta.setBy } : {}),
      ...(meta.note ? { note: meta.note } : {}),
      version,
    };
    await this.addBaselineEntry(scope, snapshotId, record);
    return record;
  }

  async baselineVersions(scope: string): Promise<BaselineVersion[]> {
    const history = await this.baselineHistory(scope);
    // Records from before versions: numbered 1, 2… from the oldest kept, below every numbered one.
    let legacy = history.filter((r) => r.version === undefined).length;
    return history.map((r) => ({ ...r, version: r.version ?? legacy-- }));
  }

  async getBaselineVersion(scope: string, version: number) {
    const record = (await this.baselineVersions(scope)).find((r) => r.version === version);
    if (!record) return undefined;
    const snapshot = await this.getSnapshot(record.snapshotId);
    return snapshot ? { record, snapshot } : undefined;
  }

  async restoreBaseline(
    scope: string,
    version: number,
    meta: { setBy: string; note?: string },
  ): Promise<BaselineVersion> {
    const kept = await this.baselineVersions(scope);
    const chosen = kept.find((r) => r.version === version);
    if (!chosen || !(await this.getSnapshot(chosen.snapshotId))) {
      throw new UsageError(
        'usage.no-baseline-version',
        `scope "${scope}" keeps no baseline version ${version}; kept versions: ${kept.map((r) => r.version).join(', ') || 'none'} (driftwatch baseline versions --scope ${scope})`,
      );
    }
    const next = await this.nextBaselineVersion(scope);
    const { version: _v, restoredFrom: _r, setBy: _b, note: _n, ...kept_ } = chosen;
    const record: BaselineVersion = {
      ...kept_,
      setAt: this.clock.now().toISOString(),
      setBy: meta.setBy,
      ...(meta.note ? { note: meta.note } : {}),
      version: next,
      restoredFrom: version,
    };
    // The snapshot is shared with the version restored, so the entry gets a member of its own.
    const member = `${chosen.snapshotId}@v${next}`;
    await this.addBaselineEntry(scope, member, record);
    // Retention in another process may have dropped the restored version (and its snapshot)
    // between the check above and the entry: then the restore is undone, never left dangling.
    if (!(await this.getSnapshot(chosen.snapshotId))) {
      await (await this.index()).deleteEntry(`baselines:${scopeKey(scope)}`, member);
      throw new StoreError(
        'store.missing-snapshot',
        `baseline version ${version} of scope "${scope}" was dropped by retention while it was being restored; nothing changed`,
      );
    }
    return record;
  }

  /** The scope's next version number: one atomic increment shared by every process. */
  private async nextBaselineVersion(scope: string): Promise<number> {
    const index = await this.index();
    const key = `baseline-version:${scopeKey(scope)}`;
    // A scope with history from before versions continues after the records it has.
    const start =
      (await index.getValue<number>(key)) === undefined
        ? Math.max(0, ...(await this.baselineVersions(scope)).map((r) => r.version))
        : 0;
    const { next } = await index.updateValue<number>(key, (current) => (current ?? start) + 1);
    return next as number;
  }

  /** Adds a history entry as the newest, then applies retention without orphaning a shared snapshot. */
  private async addBaselineEntry(
    scope: string,
    member: string,
    record: BaselineRecord,
  ): Promise<void> {
    const index = await this.index();
    const history = `baselines:${scopeKey(scope)}`;
    await index.putEntry(history, member, record);
    await index.addEntry('baseline-scopes', scopeKey(scope), scope);
    const dropped = await index.trimEntries<BaselineRecord>(
      history,
      this.retention.baselinesPerScope,
    );
    if (dropped.length === 0) return;
    const inUse = new Set(
      (await index.listEntries<BaselineRecord>(history)).map((e) => e.value.snapshotId),
    );
    for (const old of dropped) {
      if (!inUse.has(old.value.snapshotId)) await this.remove(`snapshot:${old.value.snapshotId}`);
    }
  }

  async getBaseline(scope: string) {
    const [record] = await this.baselineHistory(scope, 1);
    if (!record) return undefined;
    const snapshot = await this.getSnapshot(record.snapshotId);
    if (!snapshot) {
      throw new StoreError(
        'store.missing-snapshot',
        `baseline for scope "${scope}" points at snapshot ${record.snapshotId}, which is not in the store`,
      );
    }
    return { record, snapshot };
  }

  async baselineHistory(scope: string, limit?: number): Promise<BaselineRecord[]> {
    const index = await this.index();
    const entries = await index.listEntries<BaselineRecord>(`baselines:${scopeKey(scope)}`, limit);
    return entries.map((e) => e.value);
  }

  async listBaselines(): Promise<BaselineRecord[]> {
    const index = await this.index();
    // Oldest scope first: the order in which scopes got their first baseline.
    const scopes = (await index.listEntries<string>('baseline-scopes')).reverse();
    const records = await Promise.all(scopes.map((s) => this.baselineHistory(s.member, 1)));
    return records.flatMap((r) => r.slice(0, 1));
  }

  async saveReport(report: Report): Promise<ReportRef> {
    const scope = report.scope ?? 'default';
    const ref: ReportRef = {
      id: randomBytes(8).toString('hex'),
      scope,
      generatedAt: report.generatedAt,
      findings: report.summary.findings,
      maxSeverity: report.summary.maxSeverity,
      complete: report.complete,
      fingerprints: report.findings.map((f) => f.fingerprint),
    };
    await this.write(`report:${ref.id}`, report);
    const index = await this.index();
    const list = `reports:${scopeKey(scope)}`;
    await index.putEntry(list, ref.id, ref);
    await index.addEntry('report-scopes', scopeKey(scope), scope);
    const dropped = await index.trimEntries<ReportRef>(list, this.retention.reportsPerScope);
    for (const old of dropped) await this.remove(`report:${old.member}`);
    return ref;
  }

  async getReport(idOrPrefix: string) {
    const wanted = idOrPrefix.toLowerCase();
    const matches = (await this.listReports()).filter(
      (r) => r.id === wanted || (wanted.length >= MIN_ID_PREFIX && r.id.startsWith(wanted)),
    );
    if (matches.length > 1) {
      throw new StoreError(
        'store.ambiguous-id',
        `report id "${idOrPrefix}" matches ${matches.length} reports; give more characters`,
      );
    }
    const ref = matches[0];
    if (!ref) return undefined;
    const report = await this.read<Report>(`report:${ref.id}`);
    return report ? { ref, report } : undefined;
  }

  async listReports(options: { scope?: string; limit?: number } = {}): Promise<ReportRef[]> {
    const index = await this.index();
    const scopes = options.scope
      ? [scopeKey(options.scope)]
      : (await index.listEntries<string>('report-scopes')).map((s) => s.member);
    const lists = await Promise.all(
      scopes.map((s) => index.listEntries<ReportRef>(`reports:${s}`, options.limit)),
    );
    const newestFirst = lists.flat().sort((a, b) => b.order - a.order);
    return newestFirst.slice(0, options.limit ?? newestFirst.length).map((e) => e.value);
  }

  async deleteReport(id: string): Promise<boolean> {
    const ref = (await this.listReports()).find((r) => r.id === id);
    if (!ref) return false;
    // Index first: once the entry is gone no reader reaches the body, which is then removed.
    const removed = await (await this.index()).deleteEntry(`reports:${scopeKey(ref.scope)}`, id);
    await this.remove(`report:${id}`);
    return removed;
  }

  async accept(entry: AcceptedDrift): Promise<void> {
    // Keyed by fingerprint: accepting again replaces the earlier acceptance.
    const index = await this.index();
    await index.putEntry(`accepted:${scopeKey(entry.scope)}`, entry.fingerprint, entry);
  }

  async listAccepted(scope: string): Promise<AcceptedDrift[]> {
    const index = await this.index();
    const entries = await index.listEntries<AcceptedDrift>(`accepted:${scopeKey(scope)}`);
    return entries.reverse().map((e) => e.value);
  }

  keyValue<T>(namespace: string): KeyValue<T> {
    const key = (k: string) => `kv:${namespace}:${k}`;
    return {
      get: async (k) => (await this.index()).getValue<T>(key(k)),
      set: async (k, value, ttlMs) => (await this.index()).setValue(key(k), value, ttlMs),
      delete: async (k) => (await this.index()).deleteValue(key(k)),
      setIfAbsent: async (k, value, ttlMs) =>
        (await this.index()).setValueIfAbsent(key(k), value, ttlMs),
      update: async (k, change, ttlMs) =>
        (await (await this.index()).updateValue(key(k), change, ttlMs)).next,
    };
  }

  appendLog<T>(name: string): AppendLog<T> {
    // A backend collection `log:<name>`: addEntry of a fresh member is one atomic step everywhere.
    const collection = `log:${name}`;
    return {
      append: async (entry) => {
        const id = `${this.clock.now().getTime().toString(36)}_${randomBytes(6).toString('hex')}`;
        await (await this.index()).addEntry(collection, id, entry);
        return id;
      },
      list: async (limit) =>
        (await (await this.index()).listEntries<T>(collection, limit)).map((e) => e.value),
    };
  }

  async close(): Promise<void> {
    // A Redis client that lost its server reconnects for as long as the process runs, and a
    // polite QUIT waits behind the calls queued for that reconnect (the first use's layout check
    // among them): a replica told to stop during an outage would never stop. Drop the connection
    // first then, which fails the queued calls; quit politely when Redis answers.
    const redis = this.keyv.store as {
      client?: { isReady?: boolean };
      disconnect?: (force?: boolean) => Promise<void>;
    };
    const away = this.kind === 'redis' && redis.client?.isReady === false && redis.disconnect;
    if (away) await redis.disconnect?.(true);
    await this.migrated?.catch(() => undefined);
    await this.backend.close();
    if (!away) await this.keyv.disconnect();
  }

  /** The backend, once a store in the old layout has been migrated (first use in a process). */
  private async index(): Promise<StoreBackend> {
    this.migrated ??= this.guard(() => migrateLegacyLayout(this.keyv, this.backend));
    try {
      await this.migrated;
    } catch (error) {
      this.migrated = undefined;
      throw error;
    }
    return this.backend;
  }

  private read<T>(key: string): Promise<T | undefined> {
    return this.guard(async () => (await this.keyv.get(key)) as T | undefined);
  }

  private async write(key: string, value: unknown, ttlMs?: number): Promise<void> {
    await this.guard(async () => {
      const ok = await this.keyv.set(key, value, ttlMs);
      if (ok === false) throw new Error(`keyv refused to store ${key}`);
    });
  }

  private remove(key: string): Promise<boolean> {
    return this.guard(() => this.keyv.delete(key));
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError('store.io', `store (${this.kind}) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

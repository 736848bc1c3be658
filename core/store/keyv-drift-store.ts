import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';
import type { Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import type { Report } from '../model/report.js';
import type { Snapshot } from '../model/resource.js';
import type {
  AcceptedDrift,
  BaselineRecord,
  DriftStore,
  KeyValue,
  ReportRef,
} from './drift-store.js';

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
 * The store on any keyv adapter. Keys: `snapshot:<id>`, `baseline:<scope>` (pointer),
 * `baselines:<scope>` (history), `baselines` (scope index), `report:<id>`, `reports` (global
 * index), `accepted:<scope>`, `kv:<namespace>:<key>`.
 */
export class KeyvDriftStore implements DriftStore {
  readonly kind: DriftStore['kind'];
  private readonly keyv: Keyv;
  private readonly clock: Clock;
  private readonly retention: Retention;
  // Serialises index read-modify-writes inside this process.
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: {
    keyv: Keyv;
    kind: DriftStore['kind'];
    clock: Clock;
    retention?: Partial<Retention>;
  }) {
    this.keyv = options.keyv;
    this.kind = options.kind;
    this.clock = options.clock;
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
    // Data first, pointer last: a crash before the pointer swap leaves the old baseline in force.
    const snapshotId = await this.putSnapshot(snapshot);
    const record: BaselineRecord = {
      scope,
      snapshotId,
      setAt: this.clock.now().toISOString(),
      resources: snapshot.resources.length,
      complete: snapshot.complete,
      ...(snapshot.source ? { source: snapshot.source } : {}),
      ...(meta.setBy ? { setBy: meta.setBy } : {}),
      ...(meta.note ? { note: meta.note } : {}),
    };
    await this.serial(async () => {
      await this.write(`baseline:${scopeKey(scope)}`, record);
      const history = [
        record,
        ...((await this.read<BaselineRecord[]>(`baselines:${scopeKey(scope)}`)) ?? []),
      ];
      const kept = history.slice(0, this.retention.baselinesPerScope);
      await this.write(`baselines:${scopeKey(scope)}`, kept);
      for (const old of history.slice(this.retention.baselinesPerScope)) {
        await this.keyv.delete(`snapshot:${old.snapshotId}`);
      }
      const scopes = (await this.read<string[]>('baselines')) ?? [];
      if (!scopes.includes(scopeKey(scope)))
        await this.write('baselines', [...scopes, scopeKey(scope)]);
    });
    return record;
  }

  async getBaseline(scope: string) {
    const record = await this.read<BaselineRecord>(`baseline:${scopeKey(scope)}`);
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

  async baselineHistory(scope: string): Promise<BaselineRecord[]> {
    return (await this.read<BaselineRecord[]>(`baselines:${scopeKey(scope)}`)) ?? [];
  }

  async listBaselines(): Promise<BaselineRecord[]> {
    const scopes = (await this.read<string[]>('baselines')) ?? [];
    const records = await Promise.all(
      scopes.map((s) => this.read<BaselineRecord>(`baseline:${s}`)),
    );
    return records.filter((r): r is BaselineRecord => r !== undefined);
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
    await this.serial(async () => {
      const index = [ref, ...((await this.read<ReportRef[]>('reports')) ?? [])];
      const perScope = new Map<string, number>();
      const kept: ReportRef[] = [];
      for (const r of index) {
        const n = (perScope.get(scopeKey(r.scope)) ?? 0) + 1;
        perScope.set(scopeKey(r.scope), n);
        if (n <= this.retention.reportsPerScope) kept.push(r);
        else await this.keyv.delete(`report:${r.id}`);
      }
      await this.write('reports', kept);
    });
    return ref;
  }

  async getReport(idOrPrefix: string) {
    const wanted = idOrPrefix.toLowerCase();
    const index = (await this.read<ReportRef[]>('reports')) ?? [];
    const matches = index.filter(
      (r) => r.id === wanted || (wanted.length >= 4 && r.id.startsWith(wanted)),
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
    const index = (await this.read<ReportRef[]>('reports')) ?? [];
    const scoped = options.scope
      ? index.filter((r) => scopeKey(r.scope) === scopeKey(options.scope ?? ''))
      : index;
    return scoped.slice(0, options.limit ?? scoped.length);
  }

  async accept(entry: AcceptedDrift): Promise<void> {
    await this.serial(async () => {
      const key = `accepted:${scopeKey(entry.scope)}`;
      const list = ((await this.read<AcceptedDrift[]>(key)) ?? []).filter(
        (a) => a.fingerprint !== entry.fingerprint,
      );
      await this.write(key, [...list, entry]);
    });
  }

  async listAccepted(scope: string): Promise<AcceptedDrift[]> {
    return (await this.read<AcceptedDrift[]>(`accepted:${scopeKey(scope)}`)) ?? [];
  }

  keyValue<T>(namespace: string): KeyValue<T> {
    const prefix = `kv:${namespace}:`;
    return {
      get: (key) => this.read<T>(prefix + key),
      set: (key, value, ttlMs) => this.write(prefix + key, value, ttlMs),
      delete: (key) => this.guard(() => this.keyv.delete(prefix + key)),
      // TODO(store atomicity): in-process only until the atomic backend lands.
      setIfAbsent: (key, value, ttlMs) =>
        this.serial(async () => {
          const existing = await this.read<T>(prefix + key);
          if (existing !== undefined) return existing;
          await this.write(prefix + key, value, ttlMs);
          return value;
        }),
      update: (key, change, ttlMs) =>
        this.serial(async () => {
          const next = change(await this.read<T>(prefix + key));
          if (next === undefined) await this.keyv.delete(prefix + key);
          else await this.write(prefix + key, next, ttlMs);
          return next;
        }),
    };
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.keyv.disconnect();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
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

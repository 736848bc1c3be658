import { createHash } from 'node:crypto';
import type { ArmResource } from '../../../core/model/resource.js';

/** A change Azure recorded for a resource, as seeded into the simulator's `resourcechanges`. */
export interface SimChange {
  resourceId: string;
  changeId?: string;
  changeType: 'Create' | 'Update' | 'Delete';
  timestamp: string;
  changedBy?: string;
  clientType?: string;
  operation?: string;
  changes?: Record<string, { previousValue?: unknown; newValue?: unknown }>;
}

/** How long Resource Graph keeps `resourcechanges` rows (learn.microsoft.com, "Get resource changes": 14 days). */
export const CHANGE_RETENTION_MS = 14 * 24 * 3_600_000;

/** Types ARM serves by GET only: not in the resources list nor in Resource Graph's `resources`. */
export const DEFAULT_HIDDEN_TYPES = ['microsoft.web/sites/config'];

/** Api-versions the simulator registers for a type it was not told about. */
export const DEFAULT_API_VERSIONS = ['2023-01-01', '2024-04-01', '2025-01-01-preview'];

const lower = (s: string) => s.toLowerCase();

/** Parses `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{child}/{name}]…`. */
export function parseResourceId(id: string):
  | {
      subscriptionId: string;
      resourceGroup: string | undefined;
      namespace: string;
      typePath: string;
    }
  | undefined {
  const m =
    /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?\/providers\/([^/]+)\/(.+)$/i.exec(id);
  if (!m) return undefined;
  const [, subscriptionId, resourceGroup, namespace, rest] = m as unknown as [
    string,
    string,
    string | undefined,
    string,
    string,
  ];
  const parts = rest.split('/');
  if (parts.length % 2 !== 0) return undefined;
  const typePath = parts.filter((_, i) => i % 2 === 0).join('/');
  return { subscriptionId, resourceGroup, namespace, typePath };
}

/** The full resource type of an id (`Microsoft.Web/sites/config`), or undefined. */
export function typeOfId(id: string): string | undefined {
  const p = parseResourceId(id);
  return p ? `${p.namespace}/${p.typePath}` : undefined;
}

/** Top-level property paths whose values differ (`properties.x`, `tags.y`), as change rows name them. */
function diffPaths(
  before: ArmResource | undefined,
  after: ArmResource,
): Record<string, { previousValue?: unknown; newValue?: unknown }> {
  const out: Record<string, { previousValue?: unknown; newValue?: unknown }> = {};
  if (!before) return out;
  for (const section of ['properties', 'tags'] as const) {
    const a = (before[section] ?? {}) as Record<string, unknown>;
    const b = (after[section] ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key]))
        out[`${section}.${key}`] = { previousValue: a[key], newValue: b[key] };
    }
  }
  return out;
}

/**
 * What the simulator serves: resources by id (insertion order kept for list paging), the
 * subscriptions and resource groups they live in, api-versions per type, and recorded changes.
 */
export class SimEstate {
  private readonly byId = new Map<string, ArmResource>();
  private readonly apiVersions = new Map<string, { type: string; versions: string[] }>();
  readonly subscriptions = new Set<string>();
  readonly resourceGroups = new Set<string>();
  readonly hiddenTypes = new Set(DEFAULT_HIDDEN_TYPES);
  changes: SimChange[] = [];
  /** Bumped on every write, so cached query results know when they are stale. */
  version = 0;
  /**
   * How long `resourcechanges` keeps rows; Azure keeps {@link CHANGE_RETENTION_MS}. Unset (keep
   * all) by default so suites seeding changes at fixed dates do not age out.
   */
  changeRetentionMs: number | undefined;
  /** The simulator's clock (ms), for `createdTime`/`changedTime` and change timestamps. */
  now: () => number = () => Date.now();
  /** ARM's `createdTime` and `changedTime` per id (served by list with `$expand`). */
  private readonly times = new Map<string, { createdTime: string; changedTime: string }>();
  private changeSeq = 0;

  /**
   * Adds or replaces resources; each needs an id under a subscription. A body that differs from
   * the current one moves its `changedTime` (ARM's list `$expand=changedTime`), as any write does;
   * use {@link write} to also record the change in `resourcechanges`.
   */
  put(...resources: ArmResource[]): void {
    for (const resource of resources) {
      const parsed = parseResourceId(resource.id);
      if (!parsed) throw new Error(`simulator: cannot seed resource with id ${resource.id}`);
      const key = lower(resource.id);
      const before = this.byId.get(key);
      if (!before || JSON.stringify(before) !== JSON.stringify(resource)) {
        const at = new Date(this.now()).toISOString();
        this.times.set(key, {
          createdTime: this.times.get(key)?.createdTime ?? at,
          changedTime: at,
        });
      }
      this.byId.set(key, structuredClone(resource));
      this.version += 1;
      this.subscriptions.add(lower(parsed.subscriptionId));
      if (parsed.resourceGroup)
        this.resourceGroups.add(lower(`${parsed.subscriptionId}/${parsed.resourceGroup}`));
    }
  }

  remove(id: string): boolean {
    this.version += 1;
    this.times.delete(lower(id));
    return this.byId.delete(lower(id));
  }

  /**
   * A write as Azure sees one: the body stored (changedTime moves) and a `resourcechanges` row
   * recorded (Create or Update, with the top-level properties that changed), as ARM does for
   * every PUT/PATCH the simulator serves.
   */
  write(resource: ArmResource, by: { changedBy?: string; clientType?: string } = {}): void {
    const before = this.get(resource.id);
    this.put(resource);
    this.record(resource.id, before ? 'Update' : 'Create', diffPaths(before, resource), by);
  }

  /** A delete as Azure sees one: gone from lists and GETs, a Delete row in `resourcechanges`. */
  delete(id: string, by: { changedBy?: string; clientType?: string } = {}): boolean {
    const removed = this.remove(id);
    if (removed) this.record(id, 'Delete', {}, by);
    return removed;
  }

  /** `createdTime`/`changedTime` of a resource, as list `$expand` serves them. */
  timesOf(id: string): { createdTime: string; changedTime: string } | undefined {
    return this.times.get(lower(id));
  }

  private record(
    resourceId: string,
    changeType: SimChange['changeType'],
    changes: SimChange['changes'],
    by: { changedBy?: string; clientType?: string },
  ): void {
    this.changeSeq += 1;
    this.changes.push({
      resourceId,
      changeId: `5a1e0000-0000-4000-8000-${String(this.changeSeq).padStart(12, '0')}`,
      changeType,
      timestamp: new Date(this.now()).toISOString(),
      ...(by.changedBy ? { changedBy: by.changedBy } : {}),
      ...(by.clientType ? { clientType: by.clientType } : {}),
      ...(changes && Object.keys(changes).length ? { changes } : {}),
    });
  }

  get(id: string): ArmResource | undefined {
    return this.byId.get(lower(id));
  }

  /** Every resource, hidden child types included. */
  all(): ArmResource[] {
    return [...this.byId.values()];
  }

  /** What list operations and Resource Graph see (hidden child types left out). */
  listed(): ArmResource[] {
    return this.all().filter((r) => !this.hiddenTypes.has(lower(typeOfId(r.id) ?? '')));
  }

  addSubscription(id: string): void {
    this.subscriptions.add(lower(id));
  }

  addResourceGroup(subscriptionId: string, name: string): void {
    this.subscriptions.add(lower(subscriptionId));
    this.resourceGroups.add(lower(`${subscriptionId}/${name}`));
  }

  hasResourceGroup(subscriptionId: string, name: string): boolean {
    return this.resourceGroups.has(lower(`${subscriptionId}/${name}`));
  }

  /** Registers the api-versions ARM accepts for a type (newest anywhere in the list). */
  setApiVersions(type: string, versions: string[]): void {
    this.apiVersions.set(lower(type), { type, versions: [...versions] });
  }

  apiVersionsOf(type: string): string[] {
    return this.apiVersions.get(lower(type))?.versions ?? DEFAULT_API_VERSIONS;
  }

  /** Provider namespaces with their resource types, as `GET /providers` lists them. */
  providers(): Array<{ namespace: string; types: Array<{ type: string; versions: string[] }> }> {
    // Types of seeded resources (with their id's casing) and types only given api-versions.
    const types = new Map<string, string>();
    for (const r of this.byId.values()) {
      const type = typeOfId(r.id);
      if (type) types.set(lower(type), type);
    }
    for (const [key, { type }] of this.apiVersions) if (!types.has(key)) types.set(key, type);
    const byNamespace = new Map<
      string,
      { namespace: string; types: Array<{ type: string; versions: string[] }> }
    >();
    for (const type of types.values()) {
      const [namespace, ...rest] = type.split('/');
      if (!namespace || rest.length === 0) continue;
      const entry = byNamespace.get(lower(namespace)) ?? { namespace, types: [] };
      entry.types.push({ type: rest.join('/'), versions: this.apiVersionsOf(type) });
      byNamespace.set(lower(namespace), entry);
    }
    return [...byNamespace.values()];
  }

  /** A new etag for a resource body (ARM's are opaque; ours hash the body). */
  static etagOf(resource: ArmResource): string {
    const { etag: _etag, ...rest } = resource;
    return `W/"${createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16)}"`;
  }
}

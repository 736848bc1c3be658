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

  /** Adds or replaces resources; each needs an id under a subscription. */
  put(...resources: ArmResource[]): void {
    for (const resource of resources) {
      const parsed = parseResourceId(resource.id);
      if (!parsed) throw new Error(`simulator: cannot seed resource with id ${resource.id}`);
      this.byId.set(lower(resource.id), structuredClone(resource));
      this.version += 1;
      this.subscriptions.add(lower(parsed.subscriptionId));
      if (parsed.resourceGroup)
        this.resourceGroups.add(lower(`${parsed.subscriptionId}/${parsed.resourceGroup}`));
    }
  }

  remove(id: string): boolean {
    this.version += 1;
    return this.byId.delete(lower(id));
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

import { displayName, nameFromId, typeFromId } from '../engine/resource-identity.js';
import type { ArmResource, Snapshot } from '../model/resource.js';
import {
  looksLikeResourceId,
  parentKeyOf,
  resolveReference,
  SUBNET_TYPE,
} from './arm-reference.js';
import { isBackReference } from './back-references.js';
import type { DependencyGraph, GraphEdge, GraphNode } from './dependency-graph.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level fields that never hold a reference to another resource (or are read specially). */
const SKIP_TOP = new Set([
  'id',
  'name',
  'type',
  'etag',
  'location',
  'tags',
  'systemData',
  'kind',
  'sku',
  'zones',
  'identity',
]);
/** Child resources whose references are their parent's (an app's `config/web`, `config/appsettings`). */
const OWNED_BY_PARENT = /\/config$/;
const VNET = 'microsoft.network/virtualnetworks';
const SUBNET = SUBNET_TYPE.toLowerCase();
const VAULT = 'microsoft.keyvault/vaults';
const USER_IDENTITY = 'microsoft.managedidentity/userassignedidentities';
/** `@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/…)` or `(VaultName=kv;SecretName=…)`. */
const VAULT_NAME_ARG = /VaultName=([a-z0-9-]+)/i;
/** A Key Vault host in any Azure cloud: `kv.vault.azure.net`, `kv.vault.azure.cn`, `kv.vault.usgovcloudapi.net`. */
const VAULT_HOST = /https:\/\/([a-z0-9-]+)\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)/i;

interface Walk {
  from: string;
  type: string;
}

/**
 * The dependency graph of a snapshot, built from ARM's own references in one pass: every
 * property value that is a resource id is an edge from the resource holding it, labelled by the
 * property path (`properties.ipConfigurations[].properties.subnet.id`). A child id resolves to
 * the child when it is in the snapshot, to the subnet for anything under a subnet, else to its
 * parent resource. Back-references (an NSG's `properties.subnets`) are stored in the forward
 * direction, one edge per (from, to) pair. Subnets embedded in a virtual network are nodes of
 * their own (they hold NICs, endpoints and apps). Key Vault access policies become edges from the
 * resources whose managed identity they name, and Key Vault references in settings
 * (`@Microsoft.KeyVault(…)`, vault URIs) edges to that vault.
 *
 * Pass the snapshot before secret protection when Key Vault references in app settings should be
 * seen (protection hashes app setting values); only ids, vault names and paths are kept.
 *
 * @example
 * const graph = buildDependencyGraph(snapshot);
 * graph.incoming(nsgId.toLowerCase()) // the subnets and NICs the NSG is attached to
 */
export function buildDependencyGraph(snapshot: Pick<Snapshot, 'resources'>): DependencyGraph {
  const builder = new GraphBuilder();
  for (const r of snapshot.resources) builder.index(r);
  for (const r of snapshot.resources) builder.add(r);
  return builder.finish();
}

class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly pairs = new Map<string, GraphEdge>();
  private readonly segments: string[] = [];
  private readonly vaults = new Map<string, string>();
  private readonly principals = new Map<string, string>();
  private readonly policies: Array<{ vault: string; objectId: string }> = [];
  private readonly mentions: Array<{ from: string; vault: string; path: string }> = [];
  private readonly has = (key: string) => this.nodes.has(key);

  index(r: ArmResource): void {
    if (typeof r.id !== 'string') return;
    const key = r.id.toLowerCase();
    this.nodes.set(key, {
      key,
      id: r.id,
      name: displayName(r.id, r.name),
      type: typeof r.type === 'string' ? r.type : typeFromId(r.id),
      inSnapshot: true,
      resource: r,
    });
  }

  add(r: ArmResource): void {
    if (typeof r.id !== 'string') return;
    const key = r.id.toLowerCase();
    const type = (this.nodes.get(key)?.type ?? typeFromId(r.id)).toLowerCase();
    let from = key;
    if (OWNED_BY_PARENT.test(type)) {
      const parent = parentKeyOf(key);
      if (parent && this.nodes.has(parent)) from = parent;
    }
    const at: Walk = { from, type };
    if (type === SUBNET) {
      const vnet = parentKeyOf(key);
      if (vnet)
        this.edge(key, this.ensure(vnet, r.id.slice(0, vnet.length)), 'properties.subnets[]', true);
    }
    if (type === VAULT) this.indexVault(key, r);
    if (type === USER_IDENTITY)
      this.principal((r.properties as Json | undefined)?.principalId, key);
    if (isObject(r.identity)) this.identity(r.identity, at);
    for (const field of Object.keys(r)) {
      if (SKIP_TOP.has(field)) continue;
      const value = r[field];
      if (field === 'properties' && type === VNET && isObject(value)) {
        this.vnetProperties(r, key, value);
        continue;
      }
      this.segments.push(field);
      this.walk(value, at);
      this.segments.pop();
    }
  }

  finish(): DependencyGraph {
    for (const m of this.mentions) {
      const vault = this.vaults.get(m.vault);
      if (vault && vault !== m.from) this.edge(m.from, vault, m.path);
    }
    for (const p of this.policies) {
      const holder = this.principals.get(p.objectId);
      if (holder && holder !== p.vault)
        this.edge(holder, p.vault, 'properties.accessPolicies[].objectId', true);
    }
    const edges = [...this.pairs.values()];
    const incoming = new Map<string, GraphEdge[]>();
    const outgoing = new Map<string, GraphEdge[]>();
    for (const e of edges) {
      push(incoming, e.to, e);
      push(outgoing, e.from, e);
    }
    return {
      nodes: this.nodes,
      edges,
      incoming: (key) => incoming.get(key) ?? [],
      outgoing: (key) => outgoing.get(key) ?? [],
    };
  }

  /** A virtual network's own properties, then each embedded subnet as a node of its own. */
  private vnetProperties(r: ArmResource, key: string, properties: Json): void {
    const at: Walk = { from: key, type: VNET };
    this.segments.push('properties');
    for (const field of Object.keys(properties)) {
      if (field === 'subnets') continue;
      this.segments.push(field);
      this.walk(properties[field], at);
      this.segments.pop();
    }
    this.segments.pop();
    const subnets = properties.subnets;
    if (!Array.isArray(subnets)) return;
    for (const subnet of subnets) {
      if (!isObject(subnet)) continue;
      const id =
        typeof subnet.id === 'string'
          ? subnet.id
          : typeof subnet.name === 'string'
            ? `${r.id}/subnets/${subnet.name}`
            : undefined;
      if (!id) continue;
      const subnetKey = id.toLowerCase();
      if (!this.nodes.has(subnetKey)) {
        this.nodes.set(subnetKey, {
          key: subnetKey,
          id,
          name: displayName(id),
          type: SUBNET_TYPE,
          inSnapshot: true,
          resource: { ...(subnet as Json), id } as ArmResource,
        });
      }
      this.edge(subnetKey, key, 'properties.subnets[]', true);
      const inner: Walk = { from: subnetKey, type: SUBNET };
      for (const field of Object.keys(subnet)) {
        if (SKIP_TOP.has(field)) continue;
        this.segments.push(field);
        this.walk(subnet[field], inner);
        this.segments.pop();
      }
    }
  }

  private walk(value: unknown, at: Walk): void {
    if (typeof value === 'string') {
      if (looksLikeResourceId(value)) this.reference(value, at);
      else if (value.length > 20 && (value.includes('vault') || value.includes('Vault')))
        this.vaultMention(value, at);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      this.segments.push('[]');
      for (const item of value) this.walk(item, at);
      this.segments.pop();
      return;
    }
    for (const field of Object.keys(value)) {
      this.segments.push(field);
      this.walk((value as Json)[field], at);
      this.segments.pop();
    }
  }

  private reference(id: string, at: Walk): void {
    const to = resolveReference(id, this.has);
    if (to === at.from) return;
    this.ensure(to, id.slice(0, to.length));
    const path = this.path();
    if (isBackReference(at.type, path)) this.edge(to, at.from, path, true);
    else this.edge(at.from, to, path);
  }

  private vaultMention(text: string, at: Walk): void {
    const name = VAULT_NAME_ARG.exec(text)?.[1] ?? VAULT_HOST.exec(text)?.[1];
    if (name) this.mentions.push({ from: at.from, vault: name.toLowerCase(), path: this.path() });
  }

  private identity(identity: Json, at: Walk): void {
    this.principal(identity.principalId, at.from);
    const assigned = identity.userAssignedIdentities;
    if (!isObject(assigned)) return;
    this.segments.push('identity', 'userAssignedIdentities');
    for (const id of Object.keys(assigned)) if (looksLikeResourceId(id)) this.reference(id, at);
    this.segments.pop();
    this.segments.pop();
  }

  private principal(principalId: unknown, key: string): void {
    if (typeof principalId === 'string' && principalId !== '')
      this.principals.set(principalId.toLowerCase(), key);
  }

  private indexVault(key: string, r: ArmResource): void {
    const name = (typeof r.name === 'string' ? r.name : nameFromId(r.id)).toLowerCase();
    this.vaults.set(name, key);
    const props = r.properties as Json | undefined;
    const host =
      typeof props?.vaultUri === 'string' ? VAULT_HOST.exec(props.vaultUri)?.[1] : undefined;
    if (host) this.vaults.set(host.toLowerCase(), key);
    const policies = props?.accessPolicies;
    if (!Array.isArray(policies)) return;
    for (const p of policies) {
      if (isObject(p) && typeof p.objectId === 'string')
        this.policies.push({ vault: key, objectId: p.objectId.toLowerCase() });
    }
  }

  /** The node for `key`, created as outside the snapshot when nothing in it has that id. */
  private ensure(key: string, id: string): string {
    if (!this.nodes.has(key)) {
      this.nodes.set(key, {
        key,
        id,
        name: displayName(id),
        type: typeFromId(id),
        inSnapshot: false,
      });
    }
    return key;
  }

  private edge(from: string, to: string, path: string, back = false): void {
    const pair = `${from}\n${to}`;
    const existing = this.pairs.get(pair);
    if (existing) {
      // The forward reference names the edge; a back-reference seen first gives way to it.
      if (existing.back && !back) {
        existing.path = path;
        delete existing.back;
      }
      return;
    }
    this.pairs.set(pair, back ? { from, to, path, back: true } : { from, to, path });
  }

  private path(): string {
    return this.segments.join('.').replaceAll('.[]', '[]');
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

import { displayName, nameFromId, typeFromId } from '../engine/resource-identity.js';
import type { ArmResource, Snapshot } from '../model/resource.js';
import {
  looksLikeResourceId,
  parentKeyOf,
  resolveReference,
  SUBNET_TYPE,
} from './arm-reference.js';
import { isBackReferenceAt } from './back-references.js';
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
const OWNED_BY_PARENT = '/config';
const VNET = 'microsoft.network/virtualnetworks';
const SUBNET = SUBNET_TYPE.toLowerCase();
const VAULT = 'microsoft.keyvault/vaults';
const USER_IDENTITY = 'microsoft.managedidentity/userassignedidentities';
/** `@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/…)` or `(VaultName=kv;SecretName=…)`. */
const VAULT_NAME_ARG = /VaultName=([a-z0-9-]+)/i;
/** A Key Vault host in any Azure cloud: `kv.vault.azure.net`, `kv.vault.azure.cn`, `kv.vault.usgovcloudapi.net`. */
const VAULT_HOST = /https:\/\/([a-z0-9-]+)\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)/i;

/** Key Vault references and URIs are short; long strings (scripts, certificates) are not read. */
const MAX_MENTION = 1024;

interface Walk {
  /** Lower-cased key of the node the references belong to. */
  from: string;
  /** That node: edges are added between nodes, without looking their keys up again. */
  node: Node;
  /** Its id as written, to pass over the resource's own children without allocating. */
  fromId: string;
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
  const keys = snapshot.resources.map((r) => builder.index(r));
  builder.settle();
  snapshot.resources.forEach((r, i) => {
    const key = keys[i];
    if (key !== undefined) builder.add(r, key);
  });
  return builder.finish();
}

/** Objects, arrays and strings long enough to hold a resource id or a vault reference. */
function worthWalking(value: unknown): boolean {
  return typeof value === 'string'
    ? value.length > 20
    : typeof value === 'object' && value !== null;
}

class GraphBuilder {
  private readonly nodes = new Map<string, Node>();
  private readonly edges: GraphEdge[] = [];
  /** Where the walk is: the property path as a node of a trie, so a path is joined once. */
  private at: PathNode = new PathNode(undefined, '');
  private readonly vaults = new Map<string, string>();
  private readonly principals = new Map<string, string>();
  private readonly policies: Array<{ vault: string; objectId: string }> = [];
  private readonly mentions: Array<{ from: string; vault: string; path: string }> = [];
  private readonly has = (key: string) => this.nodes.has(key);
  /** Ids as written → nodes: most references repeat the id's casing, and skip lower-casing. */
  private readonly written = new Map<string, Node>();
  /** Keys of nodes that have a child node (a network and its subnets, an NSG and its rules). */
  private readonly parents = new Set<string>();
  private readonly lowerTypes = new Map<string, string>();
  /** A node was registered twice: `written` may name the first one (see {@link settle}). */
  private replaced = false;
  /** References not written as a node's id → the key they resolve to (null: not a resource id). */
  private readonly resolved = new Map<string, string | null>();

  /** Types repeat: each is lower-cased once. */
  private lower(type: string): string {
    let lower = this.lowerTypes.get(type);
    if (lower === undefined) {
      lower = type.toLowerCase();
      this.lowerTypes.set(type, lower);
    }
    return lower;
  }

  /** Registers a resource as a node; returns its key. */
  index(r: ArmResource): string | undefined {
    if (typeof r.id !== 'string') return undefined;
    const key = r.id.toLowerCase();
    const type = typeof r.type === 'string' ? r.type : typeFromId(r.id);
    const node = new Node(key, r.id, type, r);
    // The same id twice (a subnet standalone and embedded in its network): the last one stands.
    if (this.nodes.has(key)) this.replaced = true;
    this.nodes.set(key, node);
    this.written.set(r.id, node);
    this.noteParents(key);
    // Embedded subnets are nodes before any NIC names them, so their ids resolve directly.
    if (this.lower(type) === VNET) for (const subnet of embeddedSubnets(r)) this.subnetNode(subnet);
    return key;
  }

  /** After indexing: ids written in another casing than a replacing node's name the one that stands. */
  settle(): void {
    if (!this.replaced) return;
    for (const [id, node] of this.written) this.written.set(id, this.nodes.get(node.key) as Node);
  }

  /** Records every ancestor of a child node's key as having child nodes. */
  private noteParents(key: string): void {
    // `/subscriptions/s/resourcegroups/rg/providers/ns/type/name` has 8 slashes: deeper is a child.
    let end = key.length;
    for (let slashes = countSlashes(key); slashes > 8; slashes--) {
      end = key.lastIndexOf('/', end - 1);
      if (end <= 0) return;
      this.parents.add(key.slice(0, end));
    }
  }

  add(r: ArmResource, key: string): void {
    const type = this.lower((this.nodes.get(key) as GraphNode).type);
    let from = key;
    if (type.endsWith(OWNED_BY_PARENT)) {
      const parent = parentKeyOf(key);
      if (parent && this.nodes.has(parent)) from = parent;
    }
    const node = this.nodes.get(from) as Node;
    const at: Walk = { from, node, fromId: from === key ? r.id : node.id, type };
    if (type === SUBNET) {
      const vnet = parentKeyOf(key);
      if (vnet)
        this.edge(key, this.ensure(vnet, r.id.slice(0, vnet.length)), true, 'properties.subnets[]');
    }
    if (type === VAULT) this.indexVault(key, r);
    if (type === USER_IDENTITY)
      this.principal((r.properties as Json | undefined)?.principalId, key);
    if (isObject(r.identity)) this.identity(r.identity, at);
    // for…in, not Object.keys: no array per resource.
    for (const field in r) {
      if (SKIP_TOP.has(field)) continue;
      const value = r[field];
      if (field === 'properties' && type === VNET && isObject(value)) {
        this.vnetProperties(r, key, value);
        continue;
      }
      this.at = this.at.child(field);
      this.walk(value, at);
      this.at = this.at.parent as PathNode;
    }
  }

  finish(): DependencyGraph {
    for (const m of this.mentions) {
      const vault = this.vaults.get(m.vault);
      if (vault && vault !== m.from) this.edge(m.from, vault, false, m.path);
    }
    for (const p of this.policies) {
      const holder = this.principals.get(p.objectId);
      if (holder && holder !== p.vault)
        this.edge(holder, p.vault, true, 'properties.accessPolicies[].objectId');
    }
    return {
      nodes: this.nodes,
      edges: this.edges,
      incoming: (key) => this.nodes.get(key)?.incoming ?? NONE,
      outgoing: (key) => this.nodes.get(key)?.outgoing ?? NONE,
    };
  }

  /** A virtual network's own properties, then each embedded subnet as a node of its own. */
  private vnetProperties(r: ArmResource, key: string, properties: Json): void {
    const at: Walk = { from: key, node: this.nodes.get(key) as Node, fromId: r.id, type: VNET };
    this.at = this.at.child('properties');
    for (const field of Object.keys(properties)) {
      if (field === 'subnets') continue;
      this.at = this.at.child(field);
      this.walk(properties[field], at);
      this.at = this.at.parent as PathNode;
    }
    this.at = this.at.parent as PathNode;
    for (const embedded of embeddedSubnets(r)) {
      const { subnet, id } = embedded;
      const subnetKey = this.subnetNode(embedded);
      this.edge(subnetKey, key, true, 'properties.subnets[]');
      const inner: Walk = {
        from: subnetKey,
        node: this.nodes.get(subnetKey) as Node,
        fromId: id,
        type: SUBNET,
      };
      for (const field of Object.keys(subnet)) {
        if (SKIP_TOP.has(field)) continue;
        this.at = this.at.child(field);
        this.walk(subnet[field], inner);
        this.at = this.at.parent as PathNode;
      }
    }
  }

  private walk(value: unknown, at: Walk): void {
    if (typeof value === 'string') {
      if (value.length <= 20) return;
      if (value.charCodeAt(0) === 47) {
        if (this.passedOver(value, at)) return;
        // A resource id as written (the common case) needs no parsing.
        const known = this.written.get(value);
        if (known !== undefined) {
          if (known !== at.node) this.referenceTo(known, at);
        } else if (!isOwnChild(value, at)) this.reference(value, at);
      } else if (value.length <= MAX_MENTION && value.includes('ault'))
        this.vaultMention(value, at);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      this.at = this.at.child('[]');
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === 'string' ? this.mayRefer(item, at) : worthWalking(item))
          this.walk(item, at);
      }
      this.at = this.at.parent as PathNode;
      return;
    }
    for (const field in value) {
      const child = (value as Json)[field];
      // Most values are numbers, flags, short strings and text: no call, no path segment for them.
      if (typeof child === 'string' ? !this.mayRefer(child, at) : !worthWalking(child)) continue;
      this.at = this.at.child(field);
      this.walk(child, at);
      this.at = this.at.parent as PathNode;
    }
  }

  /**
   * The resource's own children (an NSG's rules) are passed over without a lookup unless some
   * node lies under it (only then can one of them be a node): hashing every child id of a large
   * estate cost more than the rest of the walk.
   */
  private passedOver(id: string, at: Walk): boolean {
    return isOwnChild(id, at) && !(this.parents.size > 0 && this.parents.has(at.from));
  }

  /** A string the walk reads (a reference or a vault mention): only these get a path segment. */
  private mayRefer(value: string, at: Walk): boolean {
    if (value.length <= 20) return false;
    if (value.charCodeAt(0) === 47) return !this.passedOver(value, at);
    return value.length <= MAX_MENTION && value.includes('ault');
  }

  /** A reference not written as a node's id (a NIC's ip configuration, another casing). */
  private reference(id: string, at: Walk): void {
    // The same child id recurs (a subnet and a public IP both name a NIC's ip configuration):
    // resolved once; the lookup is cheap because the written-id lookup already hashed the string.
    let to = this.resolved.get(id);
    if (to === undefined) {
      to = looksLikeResourceId(id) ? this.resolveChild(id) : null;
      this.resolved.set(id, to);
    }
    if (to === null || to === at.from) return;
    let target = this.nodes.get(to);
    if (target === undefined) {
      this.ensure(to, id.slice(0, to.length));
      target = this.nodes.get(to) as Node;
    }
    this.referenceTo(target, at);
  }

  private referenceTo(to: Node, at: Walk): void {
    // Most references repeat a known pair: the path is built only for a new or renamed edge.
    if (this.at.isBackReference(at.type)) this.between(to, at.node, true);
    else this.between(at.node, to, false);
  }

  /** A child id: its parent as written when that is a node (not for subnets), else the full rules. */
  private resolveChild(id: string): string {
    const last = id.lastIndexOf('/');
    const prev = id.lastIndexOf('/', last - 1);
    if (prev > 0 && !isSubnetsSegment(id, prev + 1, last)) {
      const parent = this.written.get(id.substring(0, prev));
      if (parent) return parent.key;
    }
    return resolveReference(id, this.has);
  }

  private vaultMention(text: string, at: Walk): void {
    if (!text.includes('vault') && !text.includes('Vault')) return;
    const name = VAULT_NAME_ARG.exec(text)?.[1] ?? VAULT_HOST.exec(text)?.[1];
    if (name) this.mentions.push({ from: at.from, vault: name.toLowerCase(), path: this.path() });
  }

  private identity(identity: Json, at: Walk): void {
    this.principal(identity.principalId, at.from);
    const assigned = identity.userAssignedIdentities;
    if (!isObject(assigned)) return;
    const outer = this.at;
    this.at = outer.child('identity').child('userAssignedIdentities');
    for (const id of Object.keys(assigned)) this.reference(id, at);
    this.at = outer;
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

  private subnetNode({ subnet, id }: { subnet: Json; id: string }): string {
    const key = id.toLowerCase();
    if (!this.nodes.has(key)) {
      const node = new Node(key, id, SUBNET_TYPE, { ...subnet, id } as ArmResource);
      this.nodes.set(key, node);
      this.written.set(id, node);
      this.noteParents(key);
    }
    return key;
  }

  /** The node for `key`, created as outside the snapshot when nothing in it has that id. */
  private ensure(key: string, id: string): string {
    if (!this.nodes.has(key)) {
      this.nodes.set(key, new Node(key, id, typeFromId(id), undefined));
    }
    return key;
  }

  private edge(from: string, to: string, back: boolean, path?: string): void {
    this.between(this.nodes.get(from) as Node, this.nodes.get(to) as Node, back, path);
  }

  private between(source: Node, target: Node, back: boolean, path?: string): void {
    const from = source.key;
    const to = target.key;
    // One edge per pair: a node refers to few others, so its own list is searched.
    const out = source.outgoing;
    if (out)
      for (let i = 0; i < out.length; i++) {
        const existing = out[i] as GraphEdge;
        if (existing.to !== to) continue;
        // The forward reference names the edge; a back-reference seen first gives way to it.
        if (existing.back && !back) {
          existing.path = path ?? this.path();
          delete existing.back;
        }
        return;
      }
    const named = path ?? this.path();
    const edge: GraphEdge = back
      ? { from, to, path: named, back: true }
      : { from, to, path: named };
    source.outgoing = withEdge(out, edge);
    target.incoming = withEdge(target.incoming, edge);
    this.edges.push(edge);
  }

  private path(): string {
    return this.at.path;
  }
}

/** The subnets a virtual network embeds, each with its id (written, or built from its name). */
function embeddedSubnets(r: ArmResource): Array<{ subnet: Json; id: string }> {
  const subnets = (r.properties as Json | undefined)?.subnets;
  if (!Array.isArray(subnets)) return [];
  const out: Array<{ subnet: Json; id: string }> = [];
  for (const subnet of subnets) {
    if (!isObject(subnet)) continue;
    if (typeof subnet.id === 'string') out.push({ subnet, id: subnet.id });
    else if (typeof subnet.name === 'string')
      out.push({ subnet, id: `${r.id}/subnets/${subnet.name}` });
  }
  return out;
}

/** `id` is `at`'s own id or lies under it (case-insensitively), without allocating in the common case. */
function isOwnChild(id: string, at: Walk): boolean {
  const n = at.fromId.length;
  if (id.length < n || (id.length > n && id.charCodeAt(n) !== 47)) return false;
  // substring + === is a flat compare, several times faster than startsWith on parsed strings.
  const head = id.substring(0, n);
  if (head === at.fromId) return true;
  // Another resource's id: its name (the last characters) differs, so no lower-cased copy is made.
  for (let i = n - 1; i >= n - 8 && i >= 0; i--) {
    if ((head.charCodeAt(i) | 32) !== (at.from.charCodeAt(i) | 32)) return false;
  }
  return head.toLowerCase() === at.from;
}

/**
 * `list` with `edge` added. Short lists are copied at their exact length: `push` grows an array's
 * store to 17 slots at its second element, and most nodes keep two or three edges (the linked
 * estate's graph holds 28 MB instead of 32 MB, less for the garbage collector to copy).
 */
function withEdge(list: GraphEdge[] | undefined, edge: GraphEdge): GraphEdge[] {
  if (list === undefined) return [edge];
  switch (list.length) {
    case 1:
      return [list[0] as GraphEdge, edge];
    case 2:
      return [list[0] as GraphEdge, list[1] as GraphEdge, edge];
    case 3:
      return [list[0] as GraphEdge, list[1] as GraphEdge, list[2] as GraphEdge, edge];
    default:
      list.push(edge);
      return list;
  }
}

/** `id.substring(start, end)` is `subnets` in any casing, without allocating. */
function isSubnetsSegment(id: string, start: number, end: number): boolean {
  if (end - start !== 7) return false;
  for (let i = 0; i < 7; i++) {
    if ((id.charCodeAt(start + i) | 32) !== SUBNETS_CODES[i]) return false;
  }
  return true;
}
const SUBNETS_CODES = [...'subnets'].map((c) => c.charCodeAt(0));

function countSlashes(key: string): number {
  let n = 0;
  for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) n++;
  return n;
}

const NONE: readonly GraphEdge[] = [];

/**
 * One property path of the walk (`properties`, `subnets`, `[]`, `id`), shared by every resource
 * that has it: its joined label and whether it is a back-reference are worked out once, not per
 * reference (joining the path of every edge cost more than finding the edges).
 */
class PathNode {
  private readonly children = new Map<string, PathNode>();
  private joined: string | undefined;
  private back: Map<string, boolean> | undefined;

  constructor(
    readonly parent: PathNode | undefined,
    private readonly segment: string,
  ) {}

  child(segment: string): PathNode {
    let node = this.children.get(segment);
    if (node === undefined) {
      node = new PathNode(this, segment);
      this.children.set(segment, node);
    }
    return node;
  }

  /** The segments from the root, as an edge labels them (`properties.subnets[].id`). */
  private segments(): string[] {
    const out: string[] = [];
    for (let node: PathNode | undefined = this; node?.parent; node = node.parent)
      out.push(node.segment);
    return out.reverse();
  }

  get path(): string {
    if (this.joined === undefined) {
      const joined = this.segments().join('.');
      this.joined = joined.includes('.[]') ? joined.replaceAll('.[]', '[]') : joined;
    }
    return this.joined;
  }

  isBackReference(lowerType: string): boolean {
    this.back ??= new Map();
    let back = this.back.get(lowerType);
    if (back === undefined) {
      back = isBackReferenceAt(lowerType, this.segments());
      this.back.set(lowerType, back);
    }
    return back;
  }
}

/** A graph node with its edges; its display name is worked out only when someone reads it. */
class Node implements GraphNode {
  readonly inSnapshot: boolean;
  /** Created with the first edge: most resources in a large estate have few or none. */
  incoming: GraphEdge[] | undefined;
  outgoing: GraphEdge[] | undefined;
  private shown: string | undefined;

  constructor(
    readonly key: string,
    readonly id: string,
    readonly type: string,
    readonly resource: ArmResource | undefined,
  ) {
    this.inSnapshot = resource !== undefined;
  }

  get name(): string {
    this.shown ??= displayName(
      this.id,
      typeof this.resource?.name === 'string' ? this.resource.name : undefined,
    );
    return this.shown;
  }
}

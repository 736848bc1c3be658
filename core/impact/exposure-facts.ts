import type { DependencyGraph, GraphNode } from './dependency-graph.js';

type Json = Record<string, unknown>;
const PIP = 'microsoft.network/publicipaddresses';
const NIC = 'microsoft.network/networkinterfaces';
const MACHINES = new Set([
  'microsoft.compute/virtualmachines',
  'microsoft.compute/virtualmachinescalesets',
]);
const SITES = new Set(['microsoft.web/sites', 'microsoft.web/sites/slots']);

/** Which tags mark production: keys and values compared case-insensitively. */
export interface ProductionTags {
  tagKeys: readonly string[];
  tagValues: readonly string[];
}

/**
 * Internet-facing: a public IP; a resource with a public IP attached (a NIC, load balancer or
 * application gateway referring to one; a VM through its NIC); an App Service app whose
 * `publicNetworkAccess` is not `Disabled` (absent means enabled, Azure's default).
 */
export function isInternetFacing(graph: DependencyGraph, node: GraphNode): boolean {
  const type = node.type.toLowerCase();
  if (type === PIP) return true;
  if (SITES.has(type)) {
    const access = (node.resource?.properties as Json | undefined)?.publicNetworkAccess;
    if (typeof access !== 'string' || access.toLowerCase() !== 'disabled') return true;
  }
  for (const e of graph.outgoing(node.key)) {
    const to = graph.nodes.get(e.to);
    if (!to) continue;
    const toType = to.type.toLowerCase();
    if (toType === PIP) return true;
    if (MACHINES.has(type) && toType === NIC) {
      for (const e2 of graph.outgoing(to.key)) {
        if (graph.nodes.get(e2.to)?.type.toLowerCase() === PIP) return true;
      }
    }
  }
  return false;
}

const matchers = new WeakMap<ProductionTags, { keys: Set<string>; values: Set<string> }>();

/** Production-tagged: a tag whose key is one of `tagKeys` has a value in `tagValues`. */
export function isProduction(node: GraphNode, production: ProductionTags): boolean {
  const tags = node.resource?.tags;
  if (!tags || typeof tags !== 'object') return false;
  let matcher = matchers.get(production);
  if (!matcher) {
    matcher = {
      keys: new Set(production.tagKeys.map((k) => k.toLowerCase())),
      values: new Set(production.tagValues.map((v) => v.toLowerCase())),
    };
    matchers.set(production, matcher);
  }
  for (const [k, v] of Object.entries(tags)) {
    if (
      matcher.keys.has(k.toLowerCase()) &&
      typeof v === 'string' &&
      matcher.values.has(v.toLowerCase())
    )
      return true;
  }
  return false;
}

import type { FindingImpact, RadiusEntry } from '../model/report.js';
import type { DependencyGraph } from './dependency-graph.js';
import { isInternetFacing, isProduction, type ProductionTags } from './exposure-facts.js';
import { isWorkload } from './resource-kinds.js';

/** Options of {@link findBlastRadius}. */
export interface RadiusOptions {
  /** How many references away a resource may be (an NSG → subnet → NIC → VM is 3). */
  maxHops: number;
  production: ProductionTags;
  /** Entries kept in the result; the counts cover them all. */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 100;

/**
 * The blast radius of a resource: everything that depends on it within `maxHops` references,
 * walking references backwards (who refers to the NSG: its subnets and NICs; who refers to those:
 * NICs and VMs). `internetFacing` and `production` count the listed resources — the workloads
 * (VMs, apps, clusters, databases) when the radius holds any, else every resource in it.
 * Undefined when the graph does not hold the resource.
 *
 * @example
 * findBlastRadius(graph, nsg.id, { maxHops: 3, production: { tagKeys: ['env'], tagValues: ['prod'] } })
 * // → { radius: [{ name: 'snet-web', hops: 1, … }, …, { name: 'vm-api-01', hops: 3, … }], internetFacing: 1, production: 2 }
 */
export function findBlastRadius(
  graph: DependencyGraph,
  resourceId: string,
  options: RadiusOptions,
): FindingImpact | undefined {
  const startKey = resourceId.toLowerCase();
  const start = graph.nodes.get(startKey);
  if (!start) return undefined;
  const seen = new Set([startKey]);
  const entries: RadiusEntry[] = [];
  let frontier = [startKey];
  for (let hops = 1; hops <= options.maxHops && frontier.length > 0; hops++) {
    const next: string[] = [];
    for (const key of frontier) {
      for (const edge of graph.incoming(key)) {
        if (seen.has(edge.from)) continue;
        seen.add(edge.from);
        next.push(edge.from);
        const node = graph.nodes.get(edge.from);
        if (!node) continue;
        const entry: RadiusEntry = {
          id: node.id,
          name: node.name,
          type: node.type,
          hops,
          via: edge.path,
          from: graph.nodes.get(key)?.id ?? key,
        };
        if (isInternetFacing(graph, node)) entry.internetFacing = true;
        if (isProduction(node, options.production)) entry.production = true;
        entries.push(entry);
      }
    }
    frontier = next;
  }
  const workloads = entries.filter((e) => isWorkload(e.type));
  const listed = workloads.length > 0 ? workloads : entries;
  const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const impact: FindingImpact = {
    radius: entries.slice(0, max),
    internetFacing: listed.filter((e) => e.internetFacing).length,
    production: listed.filter((e) => e.production).length,
  };
  if (entries.length > max) impact.omitted = entries.length - max;
  if (isInternetFacing(graph, start)) impact.selfInternetFacing = true;
  return impact;
}

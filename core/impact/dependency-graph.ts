import type { ArmResource } from '../model/resource.js';

/** A resource (or addressable subnet) in the dependency graph. Keys are lower-cased ids. */
export interface GraphNode {
  key: string;
  id: string;
  name: string;
  type: string;
  /** False for a referenced resource that is not in the snapshot (kept so references resolve). */
  inSnapshot: boolean;
  /** The resource itself (for a subnet embedded in its network: the subnet object). */
  resource?: ArmResource;
}

/**
 * `from` refers to `to` at `path` (array selectors as `[]`): a NIC refers to its subnet at
 * `properties.ipConfigurations[].properties.subnet.id`. `back` marks an edge seen only from the
 * referenced side (an NSG's `properties.subnets[].id`), stored in the forward direction.
 */
export interface GraphEdge {
  from: string;
  to: string;
  path: string;
  back?: true;
}

/** The dependency graph of one snapshot: one edge per (from, to) pair. */
export interface DependencyGraph {
  nodes: ReadonlyMap<string, GraphNode>;
  edges: readonly GraphEdge[];
  /** Edges pointing at `key`: who depends on it. */
  incoming(key: string): readonly GraphEdge[];
  /** Edges leaving `key`: what it depends on. */
  outgoing(key: string): readonly GraphEdge[];
}

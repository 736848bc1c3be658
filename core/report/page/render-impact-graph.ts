import { Graph, layout } from '@dagrejs/dagre';
import type { Finding, RadiusEntry } from '../../model/report.js';
import { escapeHtml } from '../escape-html.js';

/** Nodes drawn besides the drifted resource: the nearest; the list under the graph has them all. */
const MAX_RADIUS_NODES = 12;
const FONT_PX = 12;
/** Average advance of a character of the page's sans-serif at 12 px, for box widths. */
const CHAR_PX = 7;
const NAME_CHARS = 28;

interface GraphNode {
  key: string;
  name: string;
  type: string;
  root?: true;
  internetFacing?: true;
  production?: true;
}

/** The marker every impact graph's arrows use; the page defines it once (see {@link IMPACT_GRAPH_DEFS}). */
export const IMPACT_GRAPH_DEFS =
  '<svg class="defs" aria-hidden="true" focusable="false" width="0" height="0"><defs><marker id="dw-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#4b5563"/></marker></defs></svg>';

/**
 * A small dependency graph of a finding's blast radius as inline SVG: the drifted resource and
 * the nearest resources that depend on it, an arrow from each resource to the one that
 * references it. The layout (ranks, order, edge routes) is computed by dagre, a layered-graph
 * layout library; this function only writes its boxes and polylines as SVG elements. Every name
 * is escaped. Undefined when the finding has no radius to draw.
 *
 * @example
 * renderImpactGraph(nsgFinding) // '<svg role="img" …><title>…guards 3 resources…</title>…</svg>'
 */
export function renderImpactGraph(finding: Finding): string | undefined {
  const radius = finding.impact?.radius ?? [];
  if (radius.length === 0) return undefined;
  const shown = radius.slice(0, MAX_RADIUS_NODES);
  const rootKey = finding.resourceId.toLowerCase();
  const nodes = new Map<string, GraphNode>([
    [rootKey, { key: rootKey, name: finding.resourceName, type: finding.resourceType, root: true }],
  ]);
  for (const e of shown) nodes.set(e.id.toLowerCase(), toNode(e));

  const g = new Graph();
  // Top to bottom: a radius fans out sideways (an NSG's subnets, their NICs), which fits a column.
  g.setGraph({ rankdir: 'TB', nodesep: 14, ranksep: 26, marginx: 4, marginy: 4 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes.values()) {
    const chars = Math.max(shorten(n.name).length, typeLine(n).length);
    g.setNode(n.key, { width: chars * CHAR_PX + 16, height: 2 * FONT_PX + 16 });
  }
  for (const e of shown) {
    const from = e.from?.toLowerCase();
    // A parent outside the nodes drawn (or an older report without `from`): tie it to the root.
    g.setEdge(from && nodes.has(from) ? from : rootKey, e.id.toLowerCase());
  }
  layout(g);

  const size = g.graph();
  const width = Math.ceil(size.width ?? 0);
  const height = Math.ceil(size.height ?? 0);
  const parts: string[] = [];
  for (const edge of g.edges()) {
    const points: Array<{ x: number; y: number }> = g.edge(edge).points ?? [];
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fix(p.x)} ${fix(p.y)}`).join('');
    parts.push(`<path class="edge" d="${d}" marker-end="url(#dw-arrow)"/>`);
  }
  for (const n of nodes.values()) {
    const box = g.node(n.key);
    const x = fix(box.x - box.width / 2);
    const y = fix(box.y - box.height / 2);
    const cls = ['node', n.root ? 'root' : '', n.internetFacing ? 'internet' : ''].join(' ').trim();
    const flags = [n.internetFacing ? 'internet-facing' : '', n.production ? 'production' : '']
      .filter(Boolean)
      .join(', ');
    parts.push(
      `<g class="${cls}"><title>${escapeHtml(`${n.name} (${n.type})${flags ? ` · ${flags}` : ''}`)}</title>` +
        `<rect x="${x}" y="${y}" width="${fix(box.width)}" height="${fix(box.height)}" rx="4"/>` +
        `<text x="${fix(box.x)}" y="${fix(box.y - 3)}" text-anchor="middle">${escapeHtml(shorten(n.name))}</text>` +
        `<text class="type" x="${fix(box.x)}" y="${fix(box.y + FONT_PX)}" text-anchor="middle">${escapeHtml(typeLine(n))}</text></g>`,
    );
  }
  const more = radius.length - shown.length + (finding.impact?.omitted ?? 0);
  const label = `Dependency graph: ${radius.length + (finding.impact?.omitted ?? 0)} resource(s) depend on ${finding.resourceName}${more > 0 ? `; the ${shown.length} nearest drawn` : ''}`;
  return `<svg class="impact-graph" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${escapeHtml(label)}</title>${parts.join('')}</svg>`;
}

function toNode(e: RadiusEntry): GraphNode {
  const n: GraphNode = { key: e.id.toLowerCase(), name: e.name, type: e.type };
  if (e.internetFacing) n.internetFacing = true;
  if (e.production) n.production = true;
  return n;
}

const fix = (n: number) => Math.round(n * 10) / 10;
const shorten = (name: string) =>
  name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name;
/** The second line of a node: its short type and flags (`networkInterfaces · internet · prod`). */
const typeLine = (n: GraphNode) =>
  `${shortType(n.type)}${n.internetFacing ? ' · internet' : ''}${n.production ? ' · prod' : ''}`;
/** `Microsoft.Network/networkInterfaces` → `networkInterfaces`. */
const shortType = (type: string) => type.split('/').slice(1).join('/') || type;

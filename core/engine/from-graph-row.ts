import type { ArmResource } from '../model/resource.js';

/** Columns Resource Graph adds to every `resources` row that are not part of the ARM body. */
const GRAPH_ONLY_COLUMNS = ['tenantId', 'resourceGroup', 'subscriptionId'] as const;
/** Columns Resource Graph fills with null or "" when the resource has none. */
const EMPTY_COLUMNS = [
  'kind',
  'managedBy',
  'sku',
  'plan',
  'tags',
  'identity',
  'zones',
  'extendedLocation',
] as const;

/**
 * A Resource Graph `resources` row back to the ARM resource body: Graph's own columns and its
 * empty placeholders removed. ARM bodies never carry top-level `resourceGroup` and
 * `subscriptionId`, so a row is recognised by both; anything else is returned as it is (same
 * object, nothing copied), which keeps the engine's common path free.
 *
 * The engine applies this to every resource it compares, whatever produced the snapshot (the
 * Graph collector, an `az graph query` export, a stored baseline), so a Graph row and an ARM
 * read of the same resource compare equal.
 *
 * @example
 * fromGraphRow({ id, type, resourceGroup: 'rg', subscriptionId: 's', tenantId: 't', kind: '' })
 * // → { id, type }
 */
export function fromGraphRow<T extends Record<string, unknown>>(row: T): T {
  if (!Object.hasOwn(row, 'resourceGroup') || !Object.hasOwn(row, 'subscriptionId')) return row;
  const resource: Record<string, unknown> = { ...row };
  for (const column of GRAPH_ONLY_COLUMNS) delete resource[column];
  for (const column of EMPTY_COLUMNS) {
    if (resource[column] === null || resource[column] === '') delete resource[column];
  }
  return resource as T;
}

/** {@link fromGraphRow} typed for resources. */
export const resourceFromGraphRow = (row: Record<string, unknown>): ArmResource =>
  fromGraphRow(row) as ArmResource;

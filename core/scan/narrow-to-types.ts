import { CHILD_CONFIGS } from '../collect/collect-child-configs.js';
import type { SnapshotError } from '../model/resource.js';

/** A subscription or resource group: what collectors name when a whole list or query failed. */
const SCOPE = /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?\/*$/i;

/**
 * The errors of a shard that read only some resource types, saying only what that shard can
 * claim: an error about a whole subscription or resource group (a failed list, query or scope
 * check) becomes one error per type the shard reads — and per child configuration read with
 * them (an App Service's `config/web`) — so only resources of those types become `unknown`,
 * not those other shards read. Errors about one resource, or already about a type, stay.
 *
 * @example
 * narrowToTypes([{ id: '/subscriptions/s', message: 'timed out' }], ['microsoft.web/sites'])
 * // [{ …, resourceType: 'microsoft.web/sites' }, { …, resourceType: 'Microsoft.Web/sites/config' }]
 */
export function narrowToTypes(
  errors: readonly SnapshotError[],
  types: readonly string[],
): SnapshotError[] {
  const read = new Set(types.map((t) => t.toLowerCase()));
  const covered = [
    ...types,
    ...CHILD_CONFIGS.filter((c) => read.has(c.parentType)).map((c) => c.type),
  ];
  return errors.flatMap((error) =>
    error.resourceType || !SCOPE.test(error.id)
      ? [error]
      : covered.map((resourceType) => ({ ...error, resourceType })),
  );
}

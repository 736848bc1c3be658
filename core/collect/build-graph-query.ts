import type { CollectTarget } from './collect-scope-types.js';

/** A KQL string literal: single quotes, backslash escapes. */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const list = (values: readonly string[]) => `(${values.map(kqlString).join(', ')})`;

/**
 * The Resource Graph query for a scope: the `resources` table with the scope's resource-group,
 * type and tag filters, ordered by id so `$skipToken` pages are stable. Subscriptions go in the
 * request body, not the query.
 *
 * @example
 * buildResourcesQuery({ name: 'prod', subscriptions: [sub], resourceGroups: ['rg-web'] })
 * // "resources | where resourceGroup in~ ('rg-web') | order by id asc"
 */
export function buildResourcesQuery(target: CollectTarget, ids?: readonly string[]): string {
  const clauses = scopeClauses(target, ids);
  clauses.push('order by id asc');
  return clauses.join(' | ');
}

/**
 * How many resources of each type every subscription of a scope holds (the scope's filters
 * applied): one cheap query, whose rows are `{ subscriptionId, type, count_ }`, ordered so
 * `$skipToken` pages are stable.
 *
 * @example
 * buildTypeCountQuery({ name: 'prod', subscriptions: [sub] })
 * // "resources | summarize count() by subscriptionId, type | order by subscriptionId asc, type asc"
 */
export function buildTypeCountQuery(target: CollectTarget): string {
  return [
    ...scopeClauses(target),
    'summarize count() by subscriptionId, type',
    'order by subscriptionId asc, type asc',
  ].join(' | ');
}

function scopeClauses(target: CollectTarget, ids?: readonly string[]): string[] {
  const clauses = ['resources'];
  // Incremental re-reads name the resources the change feed named; the scope's filters still apply.
  if (ids?.length) clauses.push(`where id in~ ${list(ids)}`);
  if (target.resourceGroups?.length)
    clauses.push(`where resourceGroup in~ ${list(target.resourceGroups)}`);
  if (target.includeTypes?.length) clauses.push(`where type in~ ${list(target.includeTypes)}`);
  if (target.excludeTypes?.length) clauses.push(`where type !in~ ${list(target.excludeTypes)}`);
  for (const [key, value] of Object.entries(target.tags ?? {}))
    clauses.push(`where tags[${kqlString(key)}] =~ ${kqlString(value)}`);
  return clauses;
}

/** The `resourcechanges` query for some resources over a time window (2021-03-01 table shape). */
export function buildChangesQuery(resourceIds: readonly string[], from: Date, to: Date): string {
  return [
    'resourcechanges',
    `where tostring(properties.targetResourceId) in~ ${list(resourceIds)}`,
    `where todatetime(properties.changeAttributes.timestamp) between (datetime(${from.toISOString()}) .. datetime(${to.toISOString()}))`,
    'order by id asc',
  ].join(' | ');
}

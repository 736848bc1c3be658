import type { Finding } from '../model/report.js';

/** Finding filters from a query: comma lists, any value of a list matches. */
export interface FindingFilter {
  severity?: string;
  change?: string;
  resourceType?: string;
}

const split = (list: string | undefined) =>
  list ? new Set(list.split(',').map((v) => v.toLowerCase())) : undefined;

/** True when the query filters findings at all (then report bodies must be read). */
export function filtersFindings(filter: FindingFilter): boolean {
  return Boolean(filter.severity || filter.change || filter.resourceType);
}

/**
 * A predicate over findings for the filters given: every named filter must match (severity,
 * change kind, resource type compared without case, as ARM treats types).
 */
export function findingMatcher(filter: FindingFilter): (finding: Finding) => boolean {
  const severities = split(filter.severity);
  const changes = split(filter.change);
  const types = split(filter.resourceType);
  return (f) =>
    (!severities || severities.has(f.severity)) &&
    (!changes || changes.has(f.change)) &&
    (!types || types.has(f.resourceType.toLowerCase()));
}

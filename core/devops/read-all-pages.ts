import type { ClientApiBase } from 'azure-devops-node-api/ClientApiBases.js';

/** One paged REST resource, addressed the way the SDK addresses it (area + location id). */
export interface PagedResource {
  area: string;
  locationId: string;
  apiVersion: string;
  routeValues: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  /** Query key for the page size (`$top`, or `top` on deployment records). */
  topKey?: string;
  pageSize: number;
  /** Stop after this many items. */
  limit?: number;
}

/**
 * Reads every page of a list: the SDK's list methods drop the `x-ms-continuationtoken` response
 * header (e.g. `getBuilds`), so this goes through the SDK's own location negotiation and REST
 * client (`vsoClient.getVersioningData`, `rest.get`) and reads the header itself. Returns
 * `undefined` on 404 (typed-rest-client resolves 404 with a null result).
 */
export async function readAllPages<T>(
  api: ClientApiBase,
  resource: PagedResource,
): Promise<T[] | undefined> {
  const items: T[] = [];
  let token: string | undefined;
  const limit = resource.limit ?? Number.POSITIVE_INFINITY;
  do {
    const top = Math.min(resource.pageSize, limit - items.length);
    const query = { ...resource.query, [resource.topKey ?? '$top']: top, continuationToken: token };
    const version = await api.vsoClient.getVersioningData(
      resource.apiVersion,
      resource.area,
      resource.locationId,
      { ...resource.routeValues },
      query,
    );
    const options = api.createRequestOptions('application/json', version.apiVersion);
    const response = await api.rest.get<{ value?: unknown[] }>(version.requestUrl ?? '', options);
    if (response.result === null) return undefined;
    // Raw wire items: the SDK's deserializer (formatResponse) throws on a date it cannot parse
    // under Node 20 (it reads the browser-only `navigator`); our mappers accept ISO and MS-JSON.
    const page = (response.result.value ?? []) as T[];
    items.push(...page);
    const next = (response.headers as Record<string, unknown>)['x-ms-continuationtoken'];
    token = typeof next === 'string' && next !== '' && page.length > 0 ? next : undefined;
  } while (token !== undefined && items.length < limit);
  return items;
}

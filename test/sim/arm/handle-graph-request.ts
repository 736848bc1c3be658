import { createHash } from 'node:crypto';
import type { ArmResource } from '../../../core/model/resource.js';
import { parseGraphQuery, type SimGraphQuery } from './parse-graph-query.js';
import {
  armError,
  type SimContext,
  type SimReply,
  type SimRequest,
  SimUnknownRequest,
} from './sim-context.js';
import { parseResourceId, type SimChange, typeOfId } from './sim-estate.js';
import { formatResetsAfter } from './sim-rate-limits.js';

const GRAPH_API_VERSIONS = ['2021-03-01', '2022-10-01', '2024-04-01'];
const OPTION_KEYS = ['$top', '$skip', '$skipToken', 'resultFormat'];
/** Columns every `resources` row carries, null or empty when the resource has none. */
const NULLABLE_COLUMNS: Record<string, null | string> = {
  kind: '',
  managedBy: '',
  sku: null,
  plan: null,
  tags: null,
  identity: null,
  zones: null,
  extendedLocation: null,
};

const lower = (s: string) => s.toLowerCase();
const RESULTS = new WeakMap<object, Map<string, Record<string, unknown>[]>>();

/** Answers `POST /providers/Microsoft.ResourceGraph/resources` for `resources` and `resourcechanges`. */
export function handleGraphRequest(ctx: SimContext, req: SimRequest): SimReply {
  if (req.method !== 'POST') throw new SimUnknownRequest(`Resource Graph ${req.method}`);
  const version = req.url.searchParams.get('api-version') ?? '';
  if (!GRAPH_API_VERSIONS.includes(version))
    throw new SimUnknownRequest(`Resource Graph api-version ${version}`);
  const body = req.body as {
    subscriptions?: unknown;
    query?: unknown;
    options?: Record<string, unknown>;
  };
  if (typeof body?.query !== 'string')
    throw new SimUnknownRequest('Resource Graph request without "query"');
  for (const key of Object.keys(body.options ?? {}))
    if (!OPTION_KEYS.includes(key)) throw new SimUnknownRequest(`Resource Graph option ${key}`);

  const quota = ctx.quota(req.principal).take();
  const headers = {
    'x-ms-user-quota-remaining': String(quota.remaining),
    'x-ms-user-quota-resets-after': formatResetsAfter(quota.resetsAfterMs),
  };
  if (!quota.ok) {
    return armError(
      429,
      'RateLimiting',
      'Please provide below info when asking for support: timestamp, correlationId. Details: Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.',
      {
        ...headers,
        'retry-after': String(Math.max(1, Math.ceil(quota.resetsAfterMs / 1000))),
      },
    );
  }
  let query: SimGraphQuery;
  try {
    query = parseGraphQuery(body.query);
  } catch (error) {
    throw new SimUnknownRequest(`Resource Graph query: ${(error as Error).message}`);
  }
  const subscriptions = Array.isArray(body.subscriptions)
    ? (body.subscriptions as string[]).map(lower)
    : undefined;
  const digest = createHash('sha1')
    .update(`${body.query}|${subscriptions?.join(',')}`)
    .digest('hex')
    .slice(0, 12);
  // Pages of one query come from one evaluation (as a real cursor would), and it keeps 50,000-row
  // benchmarks from re-evaluating the query per page.
  const key = `${digest}|${ctx.estate.version}|${ctx.estate.changes.length}|${ctx.forbidden.length}`;
  const cache = RESULTS.get(ctx.estate) ?? new Map<string, Record<string, unknown>[]>();
  RESULTS.set(ctx.estate, cache);
  let rows = cache.get(key);
  if (!rows) {
    rows =
      query.table === 'resources'
        ? resourceRows(ctx, query, subscriptions)
        : changeRows(ctx, query, subscriptions);
    if (cache.size > 20) cache.clear();
    cache.set(key, rows);
  }
  const top = Number(body.options?.$top ?? 100);
  if (!Number.isInteger(top) || top < 1 || top > 1000)
    return {
      ...armError(400, 'BadRequest', `$top must be between 1 and 1000 (got ${top})`),
      headers,
    };
  const offset = decodeToken(body.options?.$skipToken, digest) + Number(body.options?.$skip ?? 0);
  const data = rows.slice(offset, offset + top);
  const reply: Record<string, unknown> = {
    totalRecords: rows.length,
    count: data.length,
    resultTruncated: 'false',
    facets: [],
    data,
  };
  if (offset + top < rows.length)
    reply.$skipToken = Buffer.from(JSON.stringify({ o: offset + top, q: digest })).toString(
      'base64',
    );
  return { status: 200, body: reply, headers };
}

function decodeToken(token: unknown, digest: string): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as {
      o: number;
      q: string;
    };
    if (parsed.q === digest && typeof parsed.o === 'number') return parsed.o;
  } catch {
    // fall through
  }
  throw new SimUnknownRequest(`$skipToken ${String(token)} does not belong to this query`);
}

function visible(ctx: SimContext, id: string, subscriptions: string[] | undefined): boolean {
  const sub = lower(parseResourceId(id)?.subscriptionId ?? '');
  if (subscriptions && !subscriptions.includes(sub)) return false;
  // Resource Graph leaves out what the principal cannot read, silently.
  return !ctx.forbidden.some((f) => `${lower(id)}/`.startsWith(`${f.scope}/`));
}

function resourceRows(
  ctx: SimContext,
  q: SimGraphQuery,
  subscriptions: string[] | undefined,
): Record<string, unknown>[] {
  const groups = q.resourceGroups?.map(lower);
  const include = q.includeTypes?.map(lower);
  const exclude = q.excludeTypes?.map(lower);
  const ids = q.ids ? new Set(q.ids.map(lower)) : undefined;
  let rows = ctx.estate
    .listed()
    .filter((r) => visible(ctx, r.id, subscriptions))
    .filter((r) => !ids || ids.has(lower(r.id)))
    .filter((r) => !groups || groups.includes(lower(parseResourceId(r.id)?.resourceGroup ?? '')))
    .filter((r) => !include || include.includes(lower(r.type ?? '')))
    .filter((r) => !exclude?.includes(lower(r.type ?? '')))
    .filter((r) => q.tags.every(([k, v]) => tagValue(r, k)?.toLowerCase() === v.toLowerCase()))
    .map((r) => graphRow(ctx, r));
  if (q.countByType) return countRows(rows, q.orderByType === true);
  if (q.orderById)
    rows = rows.sort((a, b) => (lower(a.id as string) < lower(b.id as string) ? -1 : 1));
  return rows;
}

/** `summarize count() by subscriptionId, type`: one row per pair, the count in `count_` (KQL's name). */
function countRows(rows: Record<string, unknown>[], ordered: boolean): Record<string, unknown>[] {
  const counts = new Map<string, { subscriptionId: string; type: string; count_: number }>();
  for (const row of rows) {
    const subscriptionId = String(row.subscriptionId);
    const type = String(row.type);
    const key = `${subscriptionId}|${type}`;
    const entry = counts.get(key) ?? { subscriptionId, type, count_: 0 };
    entry.count_ += 1;
    counts.set(key, entry);
  }
  const out = [...counts.values()];
  if (ordered)
    out.sort((a, b) =>
      a.subscriptionId !== b.subscriptionId
        ? a.subscriptionId < b.subscriptionId
          ? -1
          : 1
        : a.type < b.type
          ? -1
          : a.type > b.type
            ? 1
            : 0,
    );
  return out;
}

function tagValue(resource: ArmResource, key: string): string | undefined {
  const entry = Object.entries(resource.tags ?? {}).find(([k]) => lower(k) === lower(key));
  return entry?.[1];
}

/** A `resources` row: the body with a lower-cased type and Graph's own columns added. */
export function graphRow(ctx: SimContext, resource: ArmResource): Record<string, unknown> {
  const parsed = parseResourceId(resource.id);
  return {
    ...NULLABLE_COLUMNS,
    ...resource,
    type: lower(resource.type ?? typeOfId(resource.id) ?? ''),
    tenantId: ctx.tenantId,
    resourceGroup: lower(parsed?.resourceGroup ?? ''),
    subscriptionId: parsed?.subscriptionId ?? '',
  };
}

function changeRows(
  ctx: SimContext,
  q: SimGraphQuery,
  subscriptions: string[] | undefined,
): Record<string, unknown>[] {
  const targets = q.targetResourceIds?.map(lower);
  const from = q.from ? Date.parse(q.from) : Number.NEGATIVE_INFINITY;
  const to = q.to ? Date.parse(q.to) : Number.POSITIVE_INFINITY;
  // Rows older than the table's retention are gone, whatever window the query asks for.
  const kept = ctx.now() - (ctx.estate.changeRetentionMs ?? Number.POSITIVE_INFINITY);
  let rows = ctx.estate.changes
    .filter((c) => Date.parse(c.timestamp) >= kept)
    .filter((c) => visible(ctx, c.resourceId, subscriptions))
    .filter((c) => !targets || targets.includes(lower(c.resourceId)))
    .filter((c) => Date.parse(c.timestamp) >= from && Date.parse(c.timestamp) <= to)
    .map((c, i) => changeRow(ctx, c, i));
  if (q.orderById)
    rows = rows.sort((a, b) => (lower(a.id as string) < lower(b.id as string) ? -1 : 1));
  return rows;
}

/** A `resourcechanges` row, shaped like the 2021-03-01 table (properties.changeAttributes…). */
function changeRow(ctx: SimContext, c: SimChange, index: number): Record<string, unknown> {
  const parsed = parseResourceId(c.resourceId);
  const changeId = c.changeId ?? `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`;
  const changes = Object.fromEntries(
    Object.entries(c.changes ?? {}).map(([path, v]) => [
      path,
      {
        ...v,
        changeCategory: 'User',
        propertyChangeType:
          c.changeType === 'Update' ? 'Update' : c.changeType === 'Create' ? 'Insert' : 'Remove',
      },
    ]),
  );
  return {
    id: `${c.resourceId}/providers/Microsoft.Resources/changes/${changeId}`,
    name: changeId,
    type: 'microsoft.resources/changes',
    tenantId: ctx.tenantId,
    kind: '',
    location: 'global',
    resourceGroup: lower(parsed?.resourceGroup ?? ''),
    subscriptionId: parsed?.subscriptionId ?? '',
    managedBy: '',
    sku: null,
    plan: null,
    properties: {
      targetResourceId: c.resourceId,
      targetResourceType: lower(typeOfId(c.resourceId) ?? ''),
      changeType: c.changeType,
      changeAttributes: {
        previousResourceSnapshotId: `${changeId}-before`,
        newResourceSnapshotId: `${changeId}-after`,
        correlationId: changeId,
        changedByType: c.changedBy?.includes('@') ? 'User' : 'AppId',
        changesCount: Object.keys(changes).length,
        clientType: c.clientType ?? 'Unspecified',
        changedBy: c.changedBy ?? 'Unspecified',
        operation: c.operation ?? `${typeOfId(c.resourceId)}/write`,
        timestamp: c.timestamp,
      },
      changes,
    },
    tags: null,
    identity: null,
    zones: null,
    extendedLocation: null,
  };
}

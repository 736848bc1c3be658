import type { ArmResource } from '../../../core/model/resource.js';
import {
  armError,
  type SimContext,
  type SimReply,
  type SimRequest,
  SimUnknownRequest,
} from './sim-context.js';
import { parseResourceId, SimEstate, typeOfId } from './sim-estate.js';
import { handleSimOperation, handleSimWrite } from './sim-writes.js';

/** Api-versions of the Microsoft.Resources operations the simulator serves. */
export const RESOURCES_API_VERSIONS = [
  '2021-04-01',
  '2022-09-01',
  '2023-07-01',
  '2024-03-01',
  '2024-07-01',
  '2024-11-01',
  '2025-03-01',
  '2025-04-01',
];
const SUBSCRIPTIONS_API_VERSIONS = ['2016-06-01', '2020-01-01', '2021-01-01', '2022-12-01'];

/** Top-level fields the generic resources list returns (no `properties`). */
const LIST_FIELDS = [
  'id',
  'name',
  'type',
  'sku',
  'kind',
  'location',
  'extendedLocation',
  'tags',
  'plan',
  'identity',
  'managedBy',
  'zones',
];

const lower = (s: string) => s.toLowerCase();

/** Answers ARM reads and writes: subscriptions, resource groups, lists, providers, resources. */
export function handleArmRequest(ctx: SimContext, req: SimRequest): SimReply {
  const segments = req.path.split('/').filter(Boolean);
  if (lower(segments[0] ?? '') !== 'subscriptions' || !segments[1])
    throw new SimUnknownRequest('not under /subscriptions');
  const subscriptionId = segments[1];
  const write = req.method === 'PUT' || req.method === 'PATCH';
  if (!write && req.method !== 'GET') throw new SimUnknownRequest(`method ${req.method}`);
  const limited = consume(ctx, subscriptionId, req.principal, write);
  if ('status' in limited) return limited;
  const reply = handleSimOperation(ctx, req) ?? route(ctx, req, segments, subscriptionId);
  return { ...reply, headers: { ...limited.headers, ...reply.headers } };
}

function route(ctx: SimContext, req: SimRequest, segments: string[], sub: string): SimReply {
  const apiVersion = req.url.searchParams.get('api-version');
  if (!apiVersion)
    return armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  const rest = segments.slice(2).map(lower);
  const denied = forbidden(ctx, req, sub, segments);
  if (denied) return denied;
  if (!ctx.estate.subscriptions.has(lower(sub)))
    return armError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
  if (rest.length === 0 && req.method === 'GET') {
    requireVersion(apiVersion, SUBSCRIPTIONS_API_VERSIONS);
    return { status: 200, body: subscriptionBody(ctx, sub) };
  }
  if (rest[0] === 'resourcegroups' && segments[3]) {
    const rg = segments[3];
    if (!ctx.estate.hasResourceGroup(sub, rg))
      return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    if (rest.length === 2 && req.method === 'GET') {
      requireVersion(apiVersion, RESOURCES_API_VERSIONS);
      return { status: 200, body: groupBody(sub, rg) };
    }
    if (rest.length === 3 && rest[2] === 'resources' && req.method === 'GET') {
      requireVersion(apiVersion, RESOURCES_API_VERSIONS);
      return listResources(ctx, req, `/subscriptions/${sub}/resourcegroups/${rg}/`);
    }
  }
  if (rest.length === 1 && rest[0] === 'resources' && req.method === 'GET') {
    requireVersion(apiVersion, RESOURCES_API_VERSIONS);
    return listResources(ctx, req, `/subscriptions/${sub}/`);
  }
  if (rest.length === 1 && rest[0] === 'providers' && req.method === 'GET') {
    requireVersion(apiVersion, RESOURCES_API_VERSIONS);
    return { status: 200, body: providersBody(ctx, sub) };
  }
  if (parseResourceId(req.path)) return resourceById(ctx, req, apiVersion);
  throw new SimUnknownRequest(`no ARM route for ${req.method} ${req.path}`);
}

function requireVersion(version: string, accepted: string[]): void {
  if (!accepted.includes(version))
    throw new SimUnknownRequest(
      `api-version ${version} (the simulator serves ${accepted.join(', ')})`,
    );
}

/** Reads take one token from the principal's bucket and one from the global one. */
function consume(
  ctx: SimContext,
  sub: string,
  principal: string,
  write: boolean,
): SimReply | { headers: Record<string, string> } {
  const kind = write ? 'writes' : 'reads';
  const limits = write ? ctx.armWrites : ctx.armReads;
  const own = ctx.bucket(`${lower(sub)}|${principal}|${kind}`, limits);
  const global = ctx.bucket(`${lower(sub)}|*|${kind}`, {
    burst: limits.burst * 15,
    refillPerSecond: limits.refillPerSecond * 15,
  });
  const taken = own.take();
  if (!taken.ok) {
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    return armError(
      429,
      'SubscriptionRequestsThrottled',
      `Number of '${kind === 'reads' ? 'read' : 'write'}' requests for subscription '${sub}' actor '${principal}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
      {
        'retry-after': String(seconds),
        [`x-ms-ratelimit-remaining-subscription-${kind}`]: '0',
      },
    );
  }
  const globalTaken = global.take();
  return {
    headers: {
      [`x-ms-ratelimit-remaining-subscription-${kind}`]: String(taken.remaining),
      [`x-ms-ratelimit-remaining-subscription-global-${kind}`]: String(
        globalTaken.ok ? globalTaken.remaining : 0,
      ),
    },
  };
}

function forbidden(
  ctx: SimContext,
  req: SimRequest,
  sub: string,
  segments: string[],
): SimReply | undefined {
  const target = lower(req.path);
  const rule = ctx.forbidden.find((f) => `${target}/`.startsWith(`${f.scope}/`));
  if (!rule) return undefined;
  const rest = segments.slice(2).map(lower);
  const action =
    rule.action ??
    (rest.length === 0
      ? 'Microsoft.Resources/subscriptions/read'
      : rest.at(-1) === 'resources'
        ? rest.length === 1
          ? 'Microsoft.Resources/subscriptions/resources/read'
          : 'Microsoft.Resources/subscriptions/resourceGroups/resources/read'
        : rest.length === 2 && rest[0] === 'resourcegroups'
          ? 'Microsoft.Resources/subscriptions/resourceGroups/read'
          : `${typeOfId(req.path) ?? 'Microsoft.Resources/subscriptions'}/${req.method === 'GET' ? 'read' : 'write'}`);
  const scope = rest.at(-1) === 'resources' ? req.path.replace(/\/resources$/i, '') : req.path;
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${req.principal}' with object id '${req.principal}' does not have authorization to perform action '${action}' over scope '${scope || `/subscriptions/${sub}`}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

function listResources(ctx: SimContext, req: SimRequest, prefix: string): SimReply {
  const q = req.url.searchParams;
  for (const key of q.keys()) {
    if (!['api-version', '$filter', '$top', '$skiptoken', '$expand'].includes(key))
      throw new SimUnknownRequest(`list parameter ${key}`);
  }
  const expand = parseExpand(q.get('$expand'));
  const types = parseTypeFilter(q.get('$filter'));
  const top = Math.min(1000, Number(q.get('$top') ?? 1000));
  if (!Number.isInteger(top) || top < 1) throw new SimUnknownRequest(`$top=${q.get('$top')}`);
  const offset = decodeSkipToken(q.get('$skiptoken'));
  const matching = matchingOf(ctx.estate, prefix, q.get('$filter') ?? '', types);
  const page = matching.slice(offset, offset + top).map((r) => listItem(ctx, r, expand));
  const body: Record<string, unknown> = { value: page };
  if (offset + top < matching.length) {
    // Same shape as ARM's real nextLink: the query re-encoded with %24 names and a %24skiptoken.
    const next = new URLSearchParams();
    next.set('api-version', q.get('api-version') as string);
    if (q.get('$filter')) next.set('$filter', q.get('$filter') as string);
    if (q.get('$expand')) next.set('$expand', q.get('$expand') as string);
    if (q.get('$top')) next.set('$top', String(top));
    next.set('$skiptoken', Buffer.from(JSON.stringify({ o: offset + top })).toString('base64'));
    body.nextLink = `${ctx.url}${req.path}?${next.toString().replace(/\$/g, '%24')}`;
  }
  return { status: 200, body };
}

// The resources one list matches (all its pages), kept while the estate is unchanged: filtering
// 50,000 resources again for every page of every subscription made the simulator, not the client,
// the slow part of the soak's start (a second or more per page while 20 subscriptions listed).
const lists = new WeakMap<
  SimEstate,
  { stamp: string; listed: ArmResource[]; byQuery: Map<string, ArmResource[]> }
>();

function matchingOf(
  estate: SimEstate,
  prefix: string,
  filter: string,
  types: Set<string> | undefined,
): ArmResource[] {
  const stamp = `${estate.version}|${[...estate.hiddenTypes].join(',')}`;
  let entry = lists.get(estate);
  if (entry?.stamp !== stamp) {
    entry = { stamp, listed: estate.listed(), byQuery: new Map() };
    lists.set(estate, entry);
  }
  const key = `${lower(prefix)}|${filter}`;
  let matching = entry.byQuery.get(key);
  if (!matching) {
    matching = entry.listed
      .filter((r) => lower(r.id).startsWith(lower(prefix)))
      .filter((r) => !types || types.has(lower(r.type ?? '')));
    entry.byQuery.set(key, matching);
  }
  return matching;
}

function parseTypeFilter(filter: string | null): Set<string> | undefined {
  if (!filter) return undefined;
  const types = new Set<string>();
  for (const term of filter.split(/\s+or\s+/i)) {
    const m = /^\s*resourceType eq '([^']+)'\s*$/i.exec(term);
    if (!m) throw new SimUnknownRequest(`$filter "${filter}"`);
    types.add(lower(m[1] as string));
  }
  return types;
}

function decodeSkipToken(token: string | null): number {
  if (!token) return 0;
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o: unknown }).o;
    if (typeof o === 'number') return o;
  } catch {
    // fall through to the loud failure below
  }
  throw new SimUnknownRequest(`$skiptoken ${token}`);
}

/** List `$expand` values ARM documents for the generic resources list. */
const EXPANDABLE = ['createdtime', 'changedtime', 'provisioningstate'];

function parseExpand(expand: string | null): Set<string> {
  if (!expand) return new Set();
  const values = expand.split(',').map((v) => lower(v.trim()));
  for (const v of values)
    if (!EXPANDABLE.includes(v)) throw new SimUnknownRequest(`$expand value "${v}"`);
  return new Set(values);
}

function listItem(
  ctx: SimContext,
  resource: ArmResource,
  expand: Set<string>,
): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const key of LIST_FIELDS) if (resource[key] !== undefined) item[key] = resource[key];
  const times = ctx.estate.timesOf(resource.id);
  if (expand.has('createdtime') && times) item.createdTime = times.createdTime;
  if (expand.has('changedtime') && times) item.changedTime = times.changedTime;
  if (expand.has('provisioningstate')) {
    const state = (resource.properties as { provisioningState?: unknown } | undefined)
      ?.provisioningState;
    if (state !== undefined) item.provisioningState = state;
  }
  return item;
}

function resourceById(ctx: SimContext, req: SimRequest, apiVersion: string): SimReply {
  const parsed = parseResourceId(req.path);
  const type = typeOfId(req.path) as string;
  if (
    parsed?.resourceGroup &&
    !ctx.estate.hasResourceGroup(parsed.subscriptionId, parsed.resourceGroup)
  )
    return armError(
      404,
      'ResourceGroupNotFound',
      `Resource group '${parsed.resourceGroup}' could not be found.`,
    );
  const versions = ctx.estate.apiVersionsOf(type);
  if (!versions.includes(apiVersion)) {
    return armError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location 'westus' and API version '${apiVersion}' for type '${type.split('/').slice(1).join('/')}'. The supported api-versions are '${versions.join(', ')}'.`,
    );
  }
  const current = ctx.estate.get(req.path);
  if (req.method === 'GET') {
    if (!current)
      return armError(
        404,
        'ResourceNotFound',
        `The Resource '${type}/${req.path.split('/').at(-1)}' under resource group '${parsed?.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    return {
      status: 200,
      body: current,
      headers: { etag: current.etag ?? SimEstate.etagOf(current) },
    };
  }
  return handleSimWrite(ctx, req, (r) => writeResource(ctx, r, ctx.estate.get(r.path)));
}

/** PUT replaces, PATCH merges; `If-Match` must name the current etag (412 otherwise). */
function writeResource(
  ctx: SimContext,
  req: SimRequest,
  current: ArmResource | undefined,
): SimReply {
  const body = req.body as Partial<ArmResource> | undefined;
  if (typeof body !== 'object' || body === null)
    throw new SimUnknownRequest('write without a JSON body');
  const ifMatch = req.headers['if-match'];
  const currentEtag = current ? (current.etag ?? SimEstate.etagOf(current)) : undefined;
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== currentEtag) {
    return armError(
      412,
      'PreconditionFailed',
      `The condition specified using HTTP conditional header(s) is not met (If-Match ${ifMatch}, current ${currentEtag ?? 'none'}).`,
    );
  }
  if (req.method === 'PATCH' && !current)
    return armError(404, 'ResourceNotFound', `The Resource '${req.path}' was not found.`);
  const patch = req.method === 'PATCH' && current !== undefined;
  const { etag: _sentEtag, ...merged } = {
    ...(patch ? current : {}),
    ...body,
    ...(patch && current?.properties && body.properties
      ? { properties: { ...current.properties, ...body.properties } }
      : {}),
    id: current?.id ?? req.path,
  } as ArmResource;
  const etag = SimEstate.etagOf(merged);
  // Types that carry an etag in their body get the new one; the header always has it.
  if (current?.etag !== undefined || req.method === 'PUT') merged.etag = etag;
  // A write ARM accepted is in the change history (resourcechanges) and moves changedTime.
  ctx.estate.write(merged, { changedBy: req.principal, clientType: 'Azure SDK' });
  return { status: 200, body: merged, headers: { etag } };
}

function subscriptionBody(ctx: SimContext, sub: string) {
  return {
    id: `/subscriptions/${sub}`,
    authorizationSource: 'RoleBased',
    subscriptionId: sub,
    tenantId: ctx.tenantId,
    displayName: `Simulated subscription ${sub.slice(0, 8)}`,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

function groupBody(sub: string, rg: string) {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${rg}`,
    name: rg,
    type: 'Microsoft.Resources/resourceGroups',
    location: 'westeurope',
    properties: { provisioningState: 'Succeeded' },
  };
}

function providersBody(ctx: SimContext, sub: string) {
  return {
    value: ctx.estate.providers().map((p) => ({
      id: `/subscriptions/${sub}/providers/${p.namespace}`,
      namespace: p.namespace,
      registrationState: 'Registered',
      registrationPolicy: 'RegistrationRequired',
      resourceTypes: p.types.map((t) => ({
        resourceType: t.type,
        locations: ['West Europe', 'North Europe'],
        apiVersions: t.versions,
        capabilities: 'SupportsTags, SupportsLocation',
      })),
    })),
  };
}

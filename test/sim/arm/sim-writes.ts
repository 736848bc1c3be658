import { randomUUID } from 'node:crypto';
import { armError, type SimContext, type SimReply, type SimRequest } from './sim-context.js';
import { SimEstate, typeOfId } from './sim-estate.js';

/** One write ARM accepted (200/201 or 202): what remediation tests count. */
export interface SimApply {
  method: string;
  path: string;
  principal: string;
  ifMatch?: string;
  body: unknown;
}

interface SimOperation {
  id: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  pollsLeft: number;
  fail: boolean;
  commit: () => SimReply;
  afterWrite?: () => void;
  error?: { code: string; message: string };
}

/**
 * How the simulator answers PUT/PATCH, set by tests: synchronously (200), or as a long-running
 * operation (202 + `Azure-AsyncOperation`, then `InProgress` polls until `Succeeded` or
 * `Failed`, as ARM does); principals without write permission get 403.
 */
export interface SimWriteControls {
  mode: 'sync' | 'lro' | 'lro-fail';
  /** Polls answered `InProgress` before the operation ends. */
  pollsBeforeDone: number;
  /** Keeps every operation `InProgress` while true (to kill a client mid-operation). */
  hold: boolean;
  /** `Retry-After` on 202 and on `InProgress` polls, in seconds (ARM sends one; tests use 0). */
  retryAfterSeconds: number;
  /** Principals (token `oid`/client ids) that may read but not write: 403 AuthorizationFailed. */
  readOnlyPrincipals: Set<string>;
  /** Writes accepted, in order. */
  applies: SimApply[];
  /** Operation status polls answered. */
  polls: number;
  /** Runs as a write arrives, before its precondition is checked (a concurrent change racing it). */
  beforeWrite?: (req: SimRequest) => void;
  /** Runs once a write is stored (at once, or when its operation succeeds): a change right after it. */
  afterWrite?: (req: SimRequest) => void;
}

/** Properties ARM assigns and keeps across a PUT that leaves them out. */
const SERVER_ASSIGNED = ['provisioningState', 'resourceGuid'];

const controls = new WeakMap<SimEstate, SimWriteControls>();
const operations = new WeakMap<SimEstate, Map<string, SimOperation>>();

/** The write controls of a running simulator (`simWrites(sim.estate)`). */
export function simWrites(estate: SimEstate): SimWriteControls {
  let found = controls.get(estate);
  if (!found) {
    found = {
      mode: 'sync',
      pollsBeforeDone: 1,
      hold: false,
      retryAfterSeconds: 0,
      readOnlyPrincipals: new Set(),
      applies: [],
      polls: 0,
    };
    controls.set(estate, found);
    operations.set(estate, new Map());
  }
  return found;
}

const OPERATION_PATH =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Resources\/simulatorOperations\/([^/]+)$/i;

/**
 * A PUT/PATCH: 403 for a read-only principal, 412 when `If-Match` names another etag, else the
 * write (`commit`, which merges and stores) now or as a long-running operation.
 */
export function handleSimWrite(
  ctx: SimContext,
  sent: SimRequest,
  commit: (req: SimRequest) => SimReply,
): SimReply {
  const writes = simWrites(ctx.estate);
  let req = sent;
  if (writes.readOnlyPrincipals.has(req.principal)) {
    return armError(
      403,
      'AuthorizationFailed',
      `The client '${req.principal}' with object id '${req.principal}' does not have authorization to perform action '${typeOfId(req.path)}/write' over scope '${req.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }
  writes.beforeWrite?.(req);
  const ifMatch = req.headers['if-match'] as string | undefined;
  const current0 = ctx.estate.get(req.path);
  if (req.method === 'PUT' && current0 && typeof req.body === 'object' && req.body !== null) {
    // ARM takes name and type from the URL and keeps what it assigns itself across a PUT.
    const body = req.body as { properties?: Record<string, unknown> };
    const kept = Object.fromEntries(
      SERVER_ASSIGNED.flatMap((k) =>
        current0.properties?.[k] !== undefined && body.properties?.[k] === undefined
          ? [[k, current0.properties[k]]]
          : [],
      ),
    );
    req = {
      ...req,
      body: {
        name: current0.name,
        type: current0.type,
        ...body,
        ...(body.properties ? { properties: { ...body.properties, ...kept } } : {}),
      },
    };
  }
  const accepted = (): SimApply => ({
    method: req.method,
    path: req.path,
    principal: req.principal,
    ...(ifMatch ? { ifMatch } : {}),
    body: req.body,
  });
  if (writes.mode === 'sync') {
    const reply = commit(req);
    if (reply.status < 300) {
      writes.applies.push(accepted());
      writes.afterWrite?.(req);
    }
    return reply;
  }
  const current = ctx.estate.get(req.path);
  const etag = current ? (current.etag ?? SimEstate.etagOf(current)) : undefined;
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etag) {
    return armError(
      412,
      'PreconditionFailed',
      `The condition specified using HTTP conditional header(s) is not met (If-Match ${ifMatch}, current ${etag ?? 'none'}).`,
    );
  }
  if (req.method === 'PATCH' && !current)
    return armError(404, 'ResourceNotFound', `The Resource '${req.path}' was not found.`);
  const id = randomUUID();
  // The precondition held when ARM accepted the write; the operation then writes unconditionally.
  const { 'if-match': _checked, ...headers } = req.headers;
  (operations.get(ctx.estate) as Map<string, SimOperation>).set(id, {
    id,
    status: 'InProgress',
    pollsLeft: writes.pollsBeforeDone,
    fail: writes.mode === 'lro-fail',
    commit: () => commit({ ...req, headers }),
    afterWrite: () => writes.afterWrite?.(req),
  });
  writes.applies.push(accepted());
  const sub = req.path.split('/')[2];
  return {
    status: 202,
    headers: {
      'azure-asyncoperation': `${ctx.url}/subscriptions/${sub}/providers/Microsoft.Resources/simulatorOperations/${id}?api-version=2024-11-01`,
      'retry-after': String(writes.retryAfterSeconds),
    },
  };
}

/** GET of an `Azure-AsyncOperation` URL; undefined for any other request. */
export function handleSimOperation(ctx: SimContext, req: SimRequest): SimReply | undefined {
  const match = OPERATION_PATH.exec(req.path);
  if (!match || req.method !== 'GET') return undefined;
  const writes = simWrites(ctx.estate);
  writes.polls++;
  const operation = operations.get(ctx.estate)?.get(match[2] as string);
  if (!operation)
    return armError(404, 'OperationNotFound', `The operation '${match[2]}' was not found.`);
  if (operation.status === 'InProgress' && !writes.hold) {
    operation.pollsLeft--;
    if (operation.pollsLeft < 0) {
      if (operation.fail) {
        operation.status = 'Failed';
        operation.error = {
          code: 'InternalServerError',
          message: 'The long-running operation failed (injected by the simulator).',
        };
      } else {
        const reply = operation.commit();
        operation.status = reply.status < 300 ? 'Succeeded' : 'Failed';
        if (reply.status < 300) operation.afterWrite?.();
        if (reply.status >= 300)
          operation.error = (reply.body as { error: { code: string; message: string } }).error;
      }
    }
  }
  return {
    status: 200,
    body: {
      id: req.path,
      name: operation.id,
      status: operation.status,
      ...(operation.error ? { error: operation.error } : {}),
    },
    ...(operation.status === 'InProgress'
      ? { headers: { 'retry-after': String(writes.retryAfterSeconds) } }
      : {}),
  };
}

import type { z } from 'zod';
import { ApiError, toApiError } from './api-error.js';
import type { ApiDeps, ApiReply, ApiRoute } from './api-route.js';
import type { Authenticate } from './authenticate-request.js';

/** One request as the binding hands it over: method, path under `/api/v1`, query, parsed body. */
export interface ApiRequest {
  method: string;
  /** The path below `/api/v1` (`/drift/results/7f3a…`). */
  path: string;
  query: URLSearchParams;
  /** The JSON body, `undefined` when none was sent. */
  body: unknown;
  authorization: string | undefined;
}

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: ApiRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** The first problem zod found, as a 400 naming the parameter and what would be valid. */
function badParameter(
  where: 'query' | 'path' | 'body',
  error: z.ZodError,
  known: readonly string[],
): ApiError {
  const code = where === 'body' ? 'bad-body' : 'bad-parameter';
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const noun = where === 'body' ? 'field' : 'parameter';
    const valid =
      known.length > 0 ? `valid ${noun}s are ${known.join(', ')}` : `it takes no ${noun}s`;
    return new ApiError(code, `unknown ${noun} "${key}": ${valid}`, { parameter: key });
  }
  const parameter = issue?.path.map(String).join('.') || where;
  return new ApiError(code, `${parameter}: ${issue?.message ?? 'not valid'}`, { parameter });
}

function validate<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: 'query' | 'path' | 'body',
): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badParameter(where, result.error, keysOf(schema));
}

function keysOf(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

function queryObject(query: URLSearchParams): Record<string, string> {
  const object: Record<string, string> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    if (values.length > 1) {
      throw new ApiError(
        'bad-parameter',
        `${key}: give it once (a comma-separated list where lists are allowed)`,
        {
          parameter: key,
        },
      );
    }
    object[key] = values[0] ?? '';
  }
  return object;
}

/**
 * The results API without HTTP: matches the route, authenticates the caller, validates path,
 * query and body with the route's zod schemas (400 naming the parameter), runs the handler and
 * turns every failure into a coded JSON error. `GET /openapi.json` is public.
 *
 * @example
 * const handle = createApiRequestHandler({ routes: API_ROUTES, deps, authenticate, openapi });
 * const reply = await handle({ method: 'GET', path: '/drift/summary', query, body: undefined, authorization });
 */
export function createApiRequestHandler(options: {
  routes: readonly ApiRoute[];
  deps: ApiDeps;
  authenticate: Authenticate;
  openapi: () => unknown;
  /** Told of every failure answered with a 5xx (the answer itself says nothing more). */
  onServerError?: (error: unknown, request: Pick<ApiRequest, 'method' | 'path'>) => void;
}): (request: ApiRequest) => Promise<ApiReply> {
  const compiled = options.routes.map(compile);
  return async (request) => {
    try {
      if (request.path === '/openapi.json') {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          throw new ApiError(
            'method-not-allowed',
            `${request.method} is not allowed on /api/v1/openapi.json; use GET`,
          );
        }
        return { status: 200, body: options.openapi() };
      }
      const onPath = compiled
        .map((c) => ({ c, match: c.pattern.exec(request.path) }))
        .filter((m) => m.match);
      if (onPath.length === 0) {
        throw new ApiError(
          'route-not-found',
          `no endpoint /api/v1${request.path}; GET /api/v1/openapi.json lists them`,
        );
      }
      const hit = onPath.find((m) => m.c.route.method === request.method);
      if (!hit?.match) {
        const allowed = onPath.map((m) => m.c.route.method).join(', ');
        const error = new ApiError(
          'method-not-allowed',
          `${request.method} is not allowed on /api/v1${request.path}; use ${allowed}`,
        );
        return { status: error.status, body: error.body(), headers: { allow: allowed } };
      }
      const { route, names } = hit.c;
      const principal = await options.authenticate(request.authorization);
      if (route.access === 'change' && principal.change.length === 0) {
        throw new ApiError(
          'forbidden',
          `${principal.id} has read access only; ${route.method} ${route.path} needs change (admin) access`,
        );
      }
      const rawParams = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(hit.match?.[i + 1] ?? '')]),
      );
      const params = validate(route.params, rawParams, 'path');
      const query = validate(route.query, queryObject(request.query), 'query');
      const [extra] = route.query ? [] : request.query.keys();
      if (extra !== undefined) {
        throw new ApiError(
          'bad-parameter',
          `unknown parameter "${extra}": this endpoint takes none`,
          {
            parameter: extra,
          },
        );
      }
      if (!route.body && request.body !== undefined) {
        throw new ApiError('bad-body', `${request.method} ${route.path} takes no body`);
      }
      const body = validate(route.body, request.body ?? {}, 'body');
      return await route.handle({ params, query, body, principal, deps: options.deps });
    } catch (error) {
      const api = toApiError(error);
      if (api.status >= 500) options.onServerError?.(error, request);
      return {
        status: api.status,
        body: api.body(),
        ...(api.apiCode === 'unauthenticated'
          ? { headers: { 'www-authenticate': 'Bearer realm="driftwatch"' } }
          : {}),
      };
    }
  };
}

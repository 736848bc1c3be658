import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { areaLocations, resourceAreas } from './devops-sim-locations.js';
import { SimRateLimit, type SimRateLimitOptions } from './devops-sim-rate-limit.js';
import { SIM_ROUTES } from './devops-sim-routes.js';
import { createRunRoutes, highestRunId, type SimRunControls } from './devops-sim-runs.js';
import type { DevOpsSimSeed, SimProject } from './devops-sim-seed.js';

/** A fault the simulator answers instead of the real response, `times` times. */
export interface SimFault {
  /** Matched against `METHOD /path?query` (path below the host). */
  match: RegExp;
  status: number;
  times: number;
  retryAfter?: number;
  message?: string;
}

/** One request the simulator saw. `at` is the simulator clock, `wallAt` real time. */
export interface SimRequestLog {
  at: number;
  wallAt: number;
  method: string;
  path: string;
  status: number;
  outcome: 'ok' | 'delayed' | 'blocked' | 'fault' | 'refused' | 'not-understood';
  client?: string;
}

export interface DevOpsSimOptions {
  seed: DevOpsSimSeed;
  /** Accepted tokens (PAT or bearer) → granted scopes; `*` grants all. Default `sim-pat` → all. */
  tokens?: Record<string, readonly string[]>;
  rateLimit?: SimRateLimitOptions;
  /** Largest page served whatever `$top` asks (default 100). */
  maxPageSize?: number;
  /** Added to every response, real milliseconds. */
  latencyMs?: number;
  now?: () => number;
}

export interface DevOpsSim {
  /** The organization URL clients are configured with: `http://127.0.0.1:<port>/<org>`. */
  orgUrl: string;
  requests: SimRequestLog[];
  /** Requests the simulator did not understand; tests assert this stays empty. */
  unexpected: string[];
  /** Queued pipeline runs and how they progress (set per test). */
  runs: SimRunControls;
  inject(fault: SimFault): void;
  close(): Promise<void>;
}

/**
 * Starts a local Azure DevOps Services simulator on 127.0.0.1 that the real
 * `azure-devops-node-api` client works against: location and resource-area discovery, projects,
 * Git, builds, pipelines and runs, environments and deployment records, classic release
 * definitions; queueing pipeline runs and their progress to completion (`runs`); PAT/bearer
 * auth with scopes; TSTU-style throttling; paging; injected faults.
 * Anything it does not understand is answered 400 and recorded in `unexpected`.
 */
export async function startDevOpsSim(options: DevOpsSimOptions): Promise<DevOpsSim> {
  const now = options.now ?? Date.now;
  const tokens = options.tokens ?? { 'sim-pat': ['*'] };
  const limiter = options.rateLimit ? new SimRateLimit(options.rateLimit, now) : undefined;
  const faults: SimFault[] = [];
  const requests: SimRequestLog[] = [];
  const unexpected: string[] = [];
  const org = options.seed.organization;
  const instanceId = randomUUID();
  let orgUrl = '';
  const runs: SimRunControls = { result: 'succeeded', pollsBeforeDone: 1, hold: false, queued: [] };
  const routes = [
    ...SIM_ROUTES,
    ...createRunRoutes(runs, () => orgUrl, now, highestRunId(options.seed.projects) + 1),
  ];

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      unexpected.push(`simulator crashed on ${req.method} ${req.url}: ${String(error)}`);
      send(res, 500, { message: 'simulator error' });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sim');
    const entry: SimRequestLog = {
      at: now(),
      wallAt: Date.now(),
      method,
      path: `${url.pathname}${url.search}`,
      status: 0,
      outcome: 'ok',
      ...(typeof req.headers['x-sim-client'] === 'string'
        ? { client: req.headers['x-sim-client'] }
        : {}),
    };
    requests.push(entry);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      setTimeout(() => send(res, status, body, headers), options.latencyMs ?? 0);
    };
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0]?.toLowerCase() !== org.toLowerCase()) {
      entry.outcome = 'refused';
      return reply(404, {
        message: `TF400813: organization '${segments[0] ?? ''}' was not found.`,
        typeKey: 'HostNotFoundException',
      });
    }
    const rest = segments.slice(1).join('/');
    const fault = faults.find((f) => f.times > 0 && f.match.test(`${method} ${entry.path}`));
    if (fault) {
      fault.times -= 1;
      entry.outcome = 'fault';
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
      return reply(
        fault.status,
        {
          message:
            fault.message ?? `TF400898: An Internal Error Occurred. Activity Id: ${randomUUID()}.`,
        },
        headers,
      );
    }
    if (method === 'OPTIONS' && /^_apis\/[^/]+$/.test(rest)) {
      const body = areaLocations(rest.slice('_apis/'.length));
      if (body) return reply(200, body);
    }
    if (method === 'GET' && rest.toLowerCase() === '_apis/resourceareas') {
      return reply(200, resourceAreas(orgUrl));
    }
    const scopes = authenticate(req.headers.authorization, tokens);
    if (method === 'GET' && rest === '_apis/connectionData') {
      // A preview resource: the version must be asked for, in Accept or the query.
      const version =
        /api-version=([^;,\s]+)/.exec(String(req.headers.accept))?.[1] ??
        url.searchParams.get('api-version');
      if (!version || !/-preview(\.\d+)?$/.test(version)) {
        entry.outcome = 'not-understood';
        const why = version ? `api-version ${version} is not a preview version` : 'no api-version';
        unexpected.push(`${method} ${entry.path}: ${why}`);
        return reply(400, {
          message: `devops simulator: _apis/connectionData needs a preview api-version (${why})`,
        });
      }
      if (!scopes) return refuse();
      return reply(200, {
        authenticatedUser: {
          id: userIdOf(req.headers.authorization),
          providerDisplayName: 'Simulated User',
        },
        instanceId,
      });
    }
    const route = routes.find((r) => (r.method ?? 'GET') === method && r.pattern.test(rest));
    let body: unknown;
    if (method === 'POST') {
      const text = await readBody(req);
      const json = /^application\/json\b/.test(String(req.headers['content-type']));
      try {
        body = json ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (route && body === undefined) {
        entry.outcome = 'not-understood';
        unexpected.push(
          `${method} ${entry.path}: the body is not JSON (${req.headers['content-type']})`,
        );
        return reply(400, { message: 'devops simulator: expected a JSON body' });
      }
    }
    const unknownKey = route
      ? [...url.searchParams.keys()].find((k) => !route.query.includes(k))
      : undefined;
    if (!route || unknownKey !== undefined || !/api-version=/.test(String(req.headers.accept))) {
      entry.outcome = 'not-understood';
      const why = !route
        ? 'no such route'
        : unknownKey
          ? `unknown query parameter "${unknownKey}"`
          : 'no api-version in Accept';
      unexpected.push(`${method} ${entry.path}: ${why}`);
      return reply(400, {
        message: `devops simulator does not understand ${method} ${entry.path} (${why})`,
      });
    }
    if (!scopes) return refuse();
    if (!scopes.includes('*') && !scopes.includes(route.scope)) return refuse();
    const decision = limiter?.admit();
    if (decision?.outcome === 'blocked') {
      entry.outcome = 'blocked';
      return reply(
        429,
        {
          message:
            'TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource Core in namespace Build.',
        },
        decision.headers,
      );
    }
    if (decision?.outcome === 'delayed') {
      entry.outcome = 'delayed';
      await new Promise((done) => setTimeout(done, decision.delayMs));
    }
    const params = route.pattern.exec(rest)?.slice(1) ?? [];
    const project =
      route.pattern.source.startsWith('^([^/]+)') || rest.startsWith('_apis/projects/')
        ? findProject(options.seed.projects, params[0])
        : undefined;
    const result = route.handle({
      project,
      projects: options.seed.projects,
      params,
      query: url.searchParams,
      maxPageSize: options.maxPageSize ?? 100,
      ...(body !== undefined ? { body } : {}),
    });
    if (result.status === 400) {
      entry.outcome = 'not-understood';
      unexpected.push(`${method} ${entry.path}: ${result.why}`);
      return reply(400, { message: `devops simulator does not understand: ${result.why}` });
    }
    const headers = { ...(decision?.headers ?? {}) };
    if (result.status === 200 && result.continuationToken)
      headers['x-ms-continuationtoken'] = result.continuationToken;
    return reply(result.status, result.body, headers);

    function refuse() {
      entry.outcome = 'refused';
      reply(401, {
        message: "TF400813: The user '' is not authorized to access this resource.",
        typeKey: 'UnauthorizedRequestException',
      });
    }
  }

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  orgUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${org}`;
  return {
    orgUrl,
    requests,
    unexpected,
    runs,
    inject: (fault) => faults.push({ ...fault }),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => done(text));
    req.on('error', fail);
  });
}

function authenticate(
  header: string | undefined,
  tokens: Record<string, readonly string[]>,
): readonly string[] | undefined {
  if (!header) return undefined;
  const [kind, value = ''] = header.split(' ');
  let token = value;
  if (kind?.toLowerCase() === 'basic')
    token = Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':');
  return tokens[token];
}

/** A stable identity id per credential, as the service answers the same user the same id. */
function userIdOf(header: string | undefined): string {
  const token = (header ?? '').split(' ')[1] ?? '';
  const credential = header?.toLowerCase().startsWith('basic')
    ? Buffer.from(token, 'base64').toString('utf8').split(':').slice(1).join(':')
    : token;
  const hex = createHash('sha256').update(credential).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function findProject(
  projects: readonly SimProject[],
  key: string | undefined,
): SimProject | undefined {
  const k = key?.toLowerCase();
  return projects.find(
    (p) => p.project.id.toLowerCase() === k || p.project.name.toLowerCase() === k,
  );
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-vss-e2eid': randomUUID(),
    activityid: randomUUID(),
    ...headers,
  });
  res.end(text);
}

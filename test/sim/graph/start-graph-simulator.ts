import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphSimulator {
  url: string;
  /** Every request: method, path, the bearer token and the body. */
  calls: { method: string; path: string; token?: string; body?: unknown }[];
  /** Requests the simulator did not understand (a test asserts this stays empty). */
  unexpected: string[];
  /** The next `count` requests get 429 with `Retry-After: seconds`. */
  throttle(count: number, seconds: number): void;
  close(): Promise<void>;
}

/** Graph allows at most 20 group ids per checkMemberGroups call (learn.microsoft.com, user: checkMemberGroups). */
const MAX_GROUP_IDS = 20;
const CHECK = /^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/;

/**
 * Microsoft Graph's `checkMemberGroups` for users: memberships given as user → groups (transitive
 * already flattened), a bearer token required (`forbiddenToken` gets 403 as an app without
 * GroupMember.Read.All would), unknown users 404, throttling on demand with Retry-After, and
 * anything else refused and recorded as unexpected.
 */
export async function startGraphSimulator(options: {
  memberships: Record<string, string[]>;
  forbiddenToken?: string;
}): Promise<GraphSimulator> {
  const calls: GraphSimulator['calls'] = [];
  const unexpected: string[] = [];
  let throttled = { count: 0, seconds: 0 };

  const answer = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `sim-${calls.length}`,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, status: number, code: string, message: string) =>
    answer(res, status, { error: { code, message } });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://graph').pathname;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    calls.push({ method: req.method ?? '', path, ...(token ? { token } : {}), body });
    const match = CHECK.exec(path);
    const groupIds = (body as { groupIds?: unknown } | undefined)?.groupIds;
    if (
      req.method !== 'POST' ||
      !match?.[1] ||
      !Array.isArray(groupIds) ||
      groupIds.length === 0 ||
      groupIds.length > MAX_GROUP_IDS
    ) {
      unexpected.push(`${req.method} ${path} ${text}`);
      return graphError(
        res,
        400,
        'Request_BadRequest',
        'the simulator does not understand this request',
      );
    }
    if (!token) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (throttled.count > 0) {
      throttled = { ...throttled, count: throttled.count - 1 };
      return answer(
        res,
        429,
        { error: { code: 'TooManyRequests', message: 'Too many requests' } },
        { 'retry-after': String(throttled.seconds) },
      );
    }
    if (token === options.forbiddenToken) {
      return graphError(
        res,
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    const user = decodeURIComponent(match[1]).toLowerCase();
    const groups = options.memberships[user];
    if (!groups) {
      return graphError(res, 404, 'Request_ResourceNotFound', `Resource '${user}' does not exist.`);
    }
    answer(res, 200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)',
      value: (groupIds as string[]).filter((g) => groups.includes(g.toLowerCase())),
    });
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    unexpected,
    throttle(count, seconds) {
      throttled = { count, seconds };
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      }),
  };
}

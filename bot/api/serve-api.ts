import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../core/api/api-error.js';
import type { ApiReply } from '../../core/api/api-route.js';
import type { ApiRequest } from '../../core/api/handle-api-request.js';

/** The API's mount point on the bot's server. */
export const API_PREFIX = '/api/v1';
/** Request bodies are small JSON documents; anything larger is refused before it is read. */
const MAX_BODY_BYTES = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) {
    throw new ApiError('payload-too-large', `the body is over ${MAX_BODY_BYTES / 1024} KB`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError('payload-too-large', `the body is over ${MAX_BODY_BYTES / 1024} KB`);
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError('bad-body', 'send the body as JSON with Content-Type: application/json');
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('bad-body', 'the body is not valid JSON');
  }
}

function send(res: ServerResponse, reply: ApiReply): void {
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(reply.body));
}

/**
 * The node:http binding of the results API: everything under `/api/v1` (mount it at
 * `/api/v1/`); reads the JSON body (64 KB at most), hands the request to the core handler and
 * writes its JSON answer with `Cache-Control: no-store`.
 *
 * @example
 * host.http.mount('/api/v1/', serveApi(createApiRequestHandler({ routes: API_ROUTES, deps, authenticate, openapi })));
 */
export function serveApi(
  handle: (request: ApiRequest) => Promise<ApiReply>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://driftwatch');
    const path = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length) || '/'
      : url.pathname;
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (error) {
      const api =
        error instanceof ApiError ? error : new ApiError('bad-body', 'the body could not be read');
      send(res, { status: api.status, body: api.body() });
      return;
    }
    const reply = await handle({
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body,
      authorization: req.headers.authorization,
    });
    send(res, reply);
  };
}

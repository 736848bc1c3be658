import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimEstate } from './sim-estate.js';
import type {
  BucketLimits,
  GraphQuotaLimits,
  SimGraphQuota,
  SimTokenBucket,
} from './sim-rate-limits.js';

/** One request as the simulator saw it (for assertions and the bench's counts). */
export interface SimRequestRecord {
  method: string;
  /** Path and query as sent. */
  url: string;
  status: number;
  principal?: string;
  /** `throttled` (429), `fault` (injected), `unknown` (not understood). */
  note?: 'throttled' | 'fault' | 'unknown';
}

/** A parsed request after authentication. */
export interface SimRequest {
  method: string;
  url: URL;
  /** Path with trailing slash removed, original casing. */
  path: string;
  body: unknown;
  headers: IncomingMessage['headers'];
  principal: string;
}

export interface SimReply {
  status: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
}

/** Shared state the handlers read. */
export interface SimContext {
  url: string;
  tenantId: string;
  estate: SimEstate;
  now: () => number;
  armReads: BucketLimits;
  armWrites: BucketLimits;
  graphQuota: GraphQuotaLimits;
  bucket(key: string, limits: BucketLimits): SimTokenBucket;
  quota(principal: string): SimGraphQuota;
  /** Scope prefixes (lower-case) the principal may not read, with the action ARM would name. */
  forbidden: Array<{ scope: string; action?: string }>;
}

export function armError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SimReply {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/** Thrown by handlers for requests the simulator does not understand: answered 400 and logged. */
export class SimUnknownRequest extends Error {}

export function writeReply(res: ServerResponse, reply: SimReply, requestId: string): void {
  const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    'x-ms-routing-request-id': `SIMULATOR:${requestId}`,
    ...reply.headers,
  });
  res.end(text);
}

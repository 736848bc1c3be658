import type { IncomingMessage } from 'node:http';
import type { SimAuthority } from '../arm/sim-authority.js';
import { SimUnknownRequest } from '../arm/sim-context.js';
import { type ConnectorOperation, handleConnectorRequest } from './handle-connector-request.js';
import type { SimConversations } from './sim-conversations.js';
import type { SimThreadLimits } from './sim-thread-limits.js';
import { type TeamsSimReply, teamsFault, UNAUTHORIZED } from './teams-errors.js';

/** One connector call the bot made, as the simulator answered it. */
export interface ConnectorCall {
  operation?: ConnectorOperation;
  method: string;
  path: string;
  conversationId?: string;
  /** The activity id created, updated or deleted. */
  activityId?: string;
  /** For replyToActivity: the id in the URL. */
  replyToId?: string;
  body: unknown;
  bytes: number;
  status: number;
  response: unknown;
  /** `fault` when injected, `throttled` by a thread limit. */
  note?: 'fault' | 'throttled';
}

/** A scripted fault: the next `left` requests matching `match` answer `status`. */
export interface FaultRule {
  match: RegExp;
  status: number;
  retryAfterSeconds?: number;
  left: number;
}

export interface ConnectorFrontDeps {
  authority: SimAuthority;
  botAppId: string;
  allowAnonymous?: boolean;
  conversations: SimConversations;
  limits: SimThreadLimits | undefined;
  retryAfterSeconds: number;
  serviceUrl: () => string;
  /** Shared records the simulator exposes. */
  calls: ConnectorCall[];
  unexpected: string[];
  botPosted: Set<string>;
}

/**
 * The connector's front door, in the order the service applies it: the bearer token (issued by
 * the simulator to the bot), scripted faults, Teams' per-thread send limits, then the operation
 * itself; every request is recorded in `calls`.
 */
export function createConnectorFront(deps: ConnectorFrontDeps) {
  const faults: FaultRule[] = [];

  function handle(req: IncomingMessage, method: string, path: string, raw: Buffer): TeamsSimReply {
    const text = raw.toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new SimUnknownRequest('request body is not JSON');
    }
    const record = (reply: TeamsSimReply, extra: Partial<ConnectorCall> = {}) => {
      deps.calls.push({
        method,
        path,
        body,
        bytes: raw.length,
        status: reply.status,
        response: reply.body,
        ...extra,
      });
      return reply;
    };
    const verified = req.headers.authorization
      ? deps.authority.verify(req.headers.authorization)
      : undefined;
    const authorised = verified
      ? !('status' in verified) && verified.principal === deps.botAppId
      : deps.allowAnonymous === true;
    if (!authorised) return record(UNAUTHORIZED);
    const rule = faults.find((f) => f.left > 0 && f.match.test(`${method} ${path}`));
    if (rule) {
      rule.left -= 1;
      return record(teamsFault(rule.status, rule.retryAfterSeconds), { note: 'fault' });
    }
    const segments = path.slice('/v3/'.length).split('/').map(decodeURIComponent);
    // Teams documents its per-thread limits for sending (new messages and replies); updates and
    // reads are not counted here.
    const sends = method === 'POST';
    const target = segments[0] === 'conversations' ? segments[1] : undefined;
    // A channel's reply chain (`19:…;messageid=N`) is its own thread, counted apart.
    const thread = target && deps.conversations.get(target) ? target : undefined;
    if (sends && thread && deps.limits && !deps.limits.take(thread))
      return record(teamsFault(429, deps.retryAfterSeconds), {
        note: 'throttled',
        conversationId: target,
      });
    const outcome = handleConnectorRequest(
      deps.conversations,
      { method, segments, body, bytes: raw.length, appId: deps.botAppId },
      deps.serviceUrl(),
    );
    if (outcome.problem) deps.unexpected.push(`${method} ${path}: ${outcome.problem}`);
    if (outcome.activityId && outcome.reply.status < 300 && outcome.operation !== 'deleteActivity')
      deps.botPosted.add(outcome.activityId);
    return record(outcome.reply, {
      ...(outcome.operation ? { operation: outcome.operation } : {}),
      ...(outcome.conversationId ? { conversationId: outcome.conversationId } : {}),
      ...(outcome.activityId ? { activityId: outcome.activityId } : {}),
      ...(outcome.replyToId ? { replyToId: outcome.replyToId } : {}),
    });
  }

  return {
    handle,
    /**
     * Makes the next `times` connector requests matching `match` (against `METHOD /v3/path`,
     * default any) fail with `status` and Teams' error body; 429s carry Retry-After.
     */
    inject(
      status: number,
      opts: { times?: number; match?: RegExp; retryAfterSeconds?: number } = {},
    ) {
      faults.push({
        match: opts.match ?? /./,
        status,
        left: opts.times ?? 1,
        ...(status === 429 || opts.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: opts.retryAfterSeconds ?? deps.retryAfterSeconds }
          : {}),
      });
    },
    clearFaults: () => {
      faults.length = 0;
    },
  };
}

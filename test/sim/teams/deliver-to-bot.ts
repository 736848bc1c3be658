import type { InboundActivity } from './build-inbound-activity.js';
import type { ChannelTokenMinter } from './channel-token-minter.js';
import type { SimConversations } from './sim-conversations.js';
import { validateAdaptiveCardInvokeResponse } from './validate-outbound-activity.js';

export interface DeliverDeps {
  conversations: SimConversations;
  /** Every activity delivered is appended here. */
  inbound: InboundActivity[];
  unexpected: string[];
  tokens: ChannelTokenMinter;
  now: () => number;
  serviceUrl: () => string;
}

/** What the bot answered one delivery: status, body (JSON or text) and the activity as sent. */
export interface Delivery {
  status: number;
  body: unknown;
  activity: InboundActivity;
}

/**
 * The channel's side of an inbound activity: POSTs `activity` to the bot with `id`, `timestamp`
 * and `serviceUrl` filled in, signed with a valid token unless `token` is given (`null` sends no
 * Authorization header). A user's message is remembered in its conversation (the bot may reply to
 * it). The answer to an `adaptiveCard/action` invoke is checked as Teams reads it (200,
 * `{ statusCode, type, value }`, a valid card under 28 KB); problems go to `unexpected`.
 */
export function createDeliver(deps: DeliverDeps) {
  return async function deliver(
    botUrl: string,
    activity: InboundActivity,
    opts: { token?: string | null } = {},
  ): Promise<Delivery> {
    const conversationId = (activity.conversation as { id?: string } | undefined)?.id;
    const full: InboundActivity = {
      id: deps.conversations.nextActivityId(),
      timestamp: new Date(deps.now()).toISOString(),
      serviceUrl: deps.serviceUrl(),
      ...activity,
    };
    deps.inbound.push(full);
    if (full.type === 'message' && conversationId)
      deps.conversations.get(conversationId)?.activities.set(String(full.id), full);
    const token = opts.token === undefined ? await deps.tokens.valid() : opts.token;
    const res = await fetch(botUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(full),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text (CloudAdapter answers auth failures with plain text)
    }
    if (opts.token === undefined && full.type === 'invoke' && full.name === 'adaptiveCard/action') {
      for (const problem of validateAdaptiveCardInvokeResponse(res.status, body))
        deps.unexpected.push(`adaptiveCard/action ${String(full.id)}: ${problem}`);
    }
    return { status: res.status, body, activity: full };
  };
}

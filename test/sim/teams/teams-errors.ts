/** A reply the connector simulator sends: status, JSON body, extra headers. */
export interface TeamsSimReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The Bot Framework connector's error body (`ErrorResponse`: `{ error: { code, message } }`), with
 * the codes and texts Teams documents in "Status codes from bot conversational APIs".
 */
export function connectorError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): TeamsSimReply {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/** Teams' answer for each status the simulator can be told to inject. */
export const TEAMS_FAULTS: Record<number, { code: string; message: string }> = {
  403: {
    code: 'BotNotInConversationRoster',
    message: "The bot isn't part of the conversation roster.",
  },
  404: { code: 'ConversationNotFound', message: 'Conversation not found.' },
  412: { code: 'PreconditionFailed', message: 'Precondition failed, please try again.' },
  413: { code: 'MessageSizeTooBig', message: 'Message size too large.' },
  429: { code: 'Throttled', message: 'Too many requests.' },
  500: { code: 'ServiceError', message: 'Internal server error.' },
  502: { code: 'ServiceError', message: 'Bad gateway.' },
  503: { code: 'ServiceUnavailable', message: 'Service unavailable.' },
  504: { code: 'GatewayTimeout', message: 'Gateway timeout.' },
};

/** The injected fault for `status` (429 carries `Retry-After` in seconds). */
export function teamsFault(status: number, retryAfterSeconds?: number): TeamsSimReply {
  const known = TEAMS_FAULTS[status] ?? { code: 'ServiceError', message: `HTTP ${status}` };
  const headers =
    retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
  return connectorError(status, known.code, known.message, headers);
}

/** What the connector answers a request without a valid bearer token (ASP.NET Web API's text). */
export const UNAUTHORIZED: TeamsSimReply = {
  status: 401,
  body: { message: 'Authorization has been denied for this request.' },
};

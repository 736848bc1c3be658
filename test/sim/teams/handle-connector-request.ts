import type { SimConversations, SimMember } from './sim-conversations.js';
import { connectorError, type TeamsSimReply, teamsFault } from './teams-errors.js';
import {
  TEAMS_MESSAGE_LIMIT_BYTES,
  validateOutboundActivity,
} from './validate-outbound-activity.js';

/** The Bot Framework connector operation a request maps to (names as in botframework-connector). */
export type ConnectorOperation =
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'createConversation'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers';

export interface ConnectorRequest {
  method: string;
  /** Path segments after `/v3/`, URL-decoded. */
  segments: string[];
  body: unknown;
  /** Request body size in bytes (Teams' 28 KB limit is on the wire). */
  bytes: number;
  /** The app id of the bearer token's client. */
  appId: string;
}

export interface ConnectorOutcome {
  operation?: ConnectorOperation;
  conversationId?: string;
  /** The activity created, updated or deleted. */
  activityId?: string;
  /** For replyToActivity: the activity replied to (from the URL). */
  replyToId?: string;
  reply: TeamsSimReply;
  /** Set when the request was not understood or was malformed (the test should fail). */
  problem?: string;
}

/** Answers one authenticated `/v3/…` request against the known conversations. */
export function handleConnectorRequest(
  conversations: SimConversations,
  request: ConnectorRequest,
  serviceUrl: string,
): ConnectorOutcome {
  const { method, segments } = request;
  if (segments[0] === 'conversations' && segments.length === 1 && method === 'POST')
    return createConversation(conversations, request, serviceUrl);
  if (segments[0] !== 'conversations' || segments.length < 2) return unknown(request);
  const conversationId = segments[1] as string;
  const rest = segments.slice(2);
  const operation = pickOperation(method, rest);
  if (!operation) return unknown(request);
  const conversation = conversations.get(conversationId);
  if (!conversation) return { operation, conversationId, reply: teamsFault(404) };
  if (conversation.botRemoved) return { operation, conversationId, reply: teamsFault(403) };
  const activityId = rest[0] === 'activities' ? rest[1] : undefined;
  const base = { operation, conversationId, ...(activityId ? { activityId } : {}) };

  if (operation.startsWith('getConversation')) {
    const memberId = rest[1];
    if (operation === 'getConversationMember') {
      const member = conversation.members.find(
        (m) => m.id === memberId || m.aadObjectId === memberId,
      );
      return member
        ? { ...base, reply: { status: 200, body: teamsAccount(member, conversation.tenantId) } }
        : {
            ...base,
            reply: connectorError(
              404,
              'MemberNotFoundInConversation',
              'The specified user is not found in this conversation.',
            ),
          };
    }
    const members = conversation.members.map((m) => teamsAccount(m, conversation.tenantId));
    return {
      ...base,
      reply: {
        status: 200,
        body: operation === 'getConversationPagedMembers' ? { members } : members,
      },
    };
  }

  if (operation === 'deleteActivity') {
    if (!activityId || !conversation.activities.delete(activityId))
      return { ...base, reply: activityNotFound() };
    return { ...base, reply: { status: 200 } };
  }

  const invalid = checkActivity(request, conversationId);
  if (invalid) return { ...base, ...invalid };
  const activity = request.body as Record<string, unknown>;
  if (operation === 'updateActivity') {
    if (!activityId || !conversation.activities.has(activityId))
      return { ...base, reply: activityNotFound() };
    conversation.activities.set(activityId, { ...activity, id: activityId });
    return { ...base, reply: { status: 200, body: { id: activityId } } };
  }
  // A reply to an id Teams does not know is posted like a send: botbuilder's proactive
  // continueConversationAsync replies to its continuation activity's random id, and Teams takes it.
  const id = conversations.nextActivityId();
  conversation.activities.set(id, { ...activity, id });
  return {
    ...base,
    activityId: id,
    ...(activityId ? { replyToId: activityId } : {}),
    reply: { status: 201, body: { id } },
  };
}

function pickOperation(method: string, rest: string[]): ConnectorOperation | undefined {
  const [kind, id, extra] = rest;
  if (kind === 'activities' && extra === undefined) {
    if (id === undefined) return method === 'POST' ? 'sendToConversation' : undefined;
    if (method === 'POST') return 'replyToActivity';
    if (method === 'PUT') return 'updateActivity';
    if (method === 'DELETE') return 'deleteActivity';
  }
  if (kind === 'members' && extra === undefined && method === 'GET')
    return id === undefined ? 'getConversationMembers' : 'getConversationMember';
  if (kind === 'pagedmembers' && id === undefined && method === 'GET')
    return 'getConversationPagedMembers';
  return undefined;
}

/** Size first (Teams answers 413 before looking inside), then shape. */
function checkActivity(
  request: ConnectorRequest,
  conversationId: string,
): Pick<ConnectorOutcome, 'reply' | 'problem'> | undefined {
  if (request.bytes > TEAMS_MESSAGE_LIMIT_BYTES) return { reply: teamsFault(413) };
  const errors = validateOutboundActivity(request.body, conversationId);
  if (errors.length === 0) return undefined;
  return {
    reply: connectorError(400, 'BadArgument', errors.join('; ')),
    problem: `invalid activity: ${errors.join('; ')}`,
  };
}

/**
 * `POST /v3/conversations`: a new thread in a known channel (`channelData.channel.id`, with the
 * first activity) or a 1:1 chat with one known member (`members[0].id`, `tenantId`).
 */
function createConversation(
  conversations: SimConversations,
  request: ConnectorRequest,
  serviceUrl: string,
): ConnectorOutcome {
  const params = (request.body ?? {}) as Record<string, unknown>;
  const channelData = (params.channelData ?? {}) as Record<string, Record<string, unknown>>;
  const channelId = channelData.channel?.id;
  const operation = 'createConversation' as const;
  if (typeof channelId === 'string') {
    const channel = conversations.get(channelId);
    if (!channel) return { operation, reply: teamsFault(404) };
    if (channel.botRemoved) return { operation, reply: teamsFault(403) };
    if (!params.activity)
      return {
        operation,
        reply: connectorError(
          400,
          'BadArgument',
          'Activity is required to start a channel thread.',
        ),
        problem: 'createConversation in a channel without an activity',
      };
    const invalid = checkActivity({ ...request, body: params.activity }, '');
    if (invalid) return { operation, ...invalid };
    const activityId = conversations.nextActivityId();
    const id = `${channel.id};messageid=${activityId}`;
    channel.activities.set(activityId, { ...(params.activity as object), id: activityId });
    return {
      operation,
      conversationId: id,
      activityId,
      reply: { status: 201, body: { id, activityId, serviceUrl } },
    };
  }
  const members = Array.isArray(params.members) ? (params.members as Array<{ id?: string }>) : [];
  const tenantId = (params.tenantId ?? channelData.tenant?.id) as string | undefined;
  if (members.length !== 1 || typeof members[0]?.id !== 'string' || !tenantId)
    return {
      operation,
      reply: connectorError(
        400,
        'BadArgument',
        'Either a channel or exactly one member and a tenant are required.',
      ),
      problem: 'createConversation without a channel or a single member and tenant',
    };
  const member = conversations.findMember(members[0].id);
  if (!member)
    return {
      operation,
      reply: connectorError(403, 'Forbidden', 'The user is not known in this tenant.'),
    };
  const id = `a:personal-${member.aadObjectId}`;
  if (!conversations.get(id))
    conversations.add({ id, conversationType: 'personal', tenantId, members: [member] });
  return { operation, conversationId: id, reply: { status: 201, body: { id } } };
}

function teamsAccount(member: SimMember, tenantId: string) {
  return { ...member, tenantId, userRole: 'user' };
}

function activityNotFound(): TeamsSimReply {
  return connectorError(
    404,
    'ActivityNotFoundInConversation',
    'The activity was not found in the conversation.',
  );
}

function unknown(request: ConnectorRequest): ConnectorOutcome {
  const path = `/v3/${request.segments.join('/')}`;
  return {
    reply: connectorError(404, 'BadArgument', `Unknown operation ${request.method} ${path}`),
    problem: `unknown connector request ${request.method} ${path}`,
  };
}

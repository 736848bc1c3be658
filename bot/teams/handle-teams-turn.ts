import type { Activity, TurnContext } from 'botbuilder';
import { describeError } from '../../core/redact/redact-secrets.js';
import { badRequest, type CardActionResponse } from './card-action-response.js';
import { ownRetries } from './create-teams-adapter.js';
import { handleCardAction } from './handle-card-action.js';
import { handleTeamsMessage } from './handle-teams-message.js';
import type { TeamsUser } from './teams-actor.js';
import type { TeamsBotDeps } from './teams-bot-deps.js';
import { rememberPerson } from './teams-people.js';
import { rememberIfNew, trackInstallation } from './track-installation.js';

/** Universal Actions invoke name (learn.microsoft.com, "Universal Actions for Adaptive Cards"). */
const CARD_ACTION = 'adaptiveCard/action';

/**
 * One inbound activity, after the adapter authenticated it: messages are commands, card actions
 * are buttons and refreshes, installation and membership updates keep the conversation
 * references. Who sent it is remembered (Entra object id → Teams user id and name) for refresh
 * lists and mentions.
 */
export async function handleTeamsTurn(context: TurnContext, deps: TeamsBotDeps): Promise<void> {
  ownRetries(context);
  const activity = context.activity;
  const user = userOf(activity);
  if (user) {
    await rememberPerson(deps.store, user.aadObjectId, {
      mri: user.mri,
      ...(user.name ? { name: user.name } : {}),
    });
  }
  switch (activity.type) {
    case 'message':
      await rememberIfNew(activity, deps);
      return handleTeamsMessage(context, user, deps);
    case 'invoke': {
      const body = await invokeBody(context, user, deps);
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
      return;
    }
    case 'installationUpdate':
    case 'conversationUpdate':
      return trackInstallation(context, deps);
    default:
      deps.log.debug({ type: activity.type }, 'teams activity ignored');
  }
}

async function invokeBody(
  context: TurnContext,
  user: TeamsUser | undefined,
  deps: TeamsBotDeps,
): Promise<CardActionResponse> {
  const activity = context.activity;
  if (activity.name !== CARD_ACTION) return badRequest(`unsupported invoke ${activity.name}`);
  if (!user) return badRequest('driftwatch acts only for people signed in with Entra ID');
  const value = (activity.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
  const data = (value.action?.data ?? {}) as Record<string, unknown>;
  const verb = typeof value.action?.verb === 'string' ? value.action.verb : '';
  try {
    return await handleCardAction(
      context,
      user,
      {
        verb,
        ...(typeof data.id === 'string' ? { id: data.id } : {}),
        ...(typeof data.card === 'string' ? { card: data.card } : {}),
        ...(activity.replyToId ? { messageId: activity.replyToId } : {}),
      },
      deps,
    );
  } catch (error) {
    deps.log.error({ verb, error: describeError(error) }, 'card action failed');
    return {
      statusCode: 500,
      type: 'application/vnd.microsoft.error',
      value: { code: 'InternalError', message: describeError(error) },
    };
  }
}

/** The sender as driftwatch knows people: Entra object id, Teams user id, display name. */
function userOf(activity: Activity): TeamsUser | undefined {
  const from = activity.from;
  if (!from?.aadObjectId || !from.id) return undefined;
  return {
    aadObjectId: from.aadObjectId.toLowerCase(),
    mri: from.id,
    ...(from.name ? { name: from.name } : {}),
  };
}

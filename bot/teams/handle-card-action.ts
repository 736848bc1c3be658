import type { TurnContext } from 'botbuilder';
import { loadActionContext } from '../../core/commands/action-context.js';
import { buttonCommand } from '../../core/commands/button-command.js';
import {
  CHAT_ACTION_KINDS,
  type ChatActionKind,
  type ChatBlock,
  type ChatInline,
  type ChatMessage,
  ephemeral,
  REMEDIATION_ACTION_KINDS,
} from '../../core/commands/chat-message.js';
import { chatSettings } from '../../core/commands/chat-settings.js';
import { formatChatTime } from '../../core/commands/format-chat-time.js';
import { runCommand } from '../../core/commands/run-command.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { buildTeamsCards } from './build-card.js';
import {
  badRequest,
  type CardActionResponse,
  type CardClick,
  cardResponse,
  tooOld,
} from './card-action-response.js';
import { handleTeamsRemediation } from './handle-teams-remediation.js';
import { type TeamsUser, teamsActor } from './teams-actor.js';
import type { TeamsBotDeps } from './teams-bot-deps.js';
import { getCard, updateCard } from './teams-cards.js';
import { baseConversationId } from './teams-conversations.js';
import { cardActivity } from './teams-notifier.js';
import { viewerCards } from './teams-views.js';

/**
 * A Universal Action (`Action.Execute`) from a card: `refresh` renders the stored card for the
 * viewer (live buttons for those who may press them, read-only for others); a button runs its
 * command as the clicker. The clicker gets the new card in the invoke response; when the click
 * changed the message (accept, ignore, a decision) everyone else gets it through
 * `updateActivity`. Answers only the clicker sees (a diff, a refusal) come as a card with *Back*.
 */
export async function handleCardAction(
  context: TurnContext,
  user: TeamsUser,
  click: CardClick,
  deps: TeamsBotDeps,
): Promise<CardActionResponse> {
  const stored = click.card ? await getCard(deps.store, click.card) : undefined;
  const back = click.card && stored ? { back: { cardId: click.card } } : {};
  const only = (message: ChatMessage) => cardResponse(buildTeamsCards(message, back).main);
  if (click.verb === 'refresh') {
    if (!click.card || !stored) return only(ephemeral(tooOld(deps)));
    return cardResponse((await viewerCards(deps, click.card, stored.message, user)).main);
  }
  const kind = click.verb as ChatActionKind;
  if (!CHAT_ACTION_KINDS.includes(kind)) return badRequest(`unknown action ${click.verb}`);
  if (REMEDIATION_ACTION_KINDS.includes(kind))
    return handleTeamsRemediation(context, user, kind, click, deps);
  const action = await loadActionContext(deps.store, click.id ?? '');
  if (!action) return only(ephemeral(tooOld(deps)));
  const command = buttonCommand(kind, action, 'Teams');
  if (!command) return badRequest(`unknown action ${click.verb}`);
  const reply = await runCommand(command, {
    store: deps.store,
    config: deps.config,
    clock: deps.clock,
    scan: deps.scan,
    actor: teamsActor(user, deps.membership),
    conversation: { chat: 'teams', id: baseConversationId(context.activity.conversation.id) },
    invocation: deps.invocation,
    ...(deps.newId ? { newId: deps.newId } : {}),
    ...(deps.reportLink ? { reportLink: deps.reportLink } : {}),
  });
  deps.metrics.commands.inc({ verb: command.verb, outcome: reply.outcome });
  if (reply.outcome !== 'ok' || kind === 'show-diff' || !click.card || !stored)
    return only(reply.message);

  const now = deps.clock.now();
  const when = formatChatTime(now, {
    timezone: chatSettings(deps.config).timezone,
    now,
    zoneName: true,
  });
  const line = [...firstLine(reply.message), ` · ${when}`];
  const updated = await updateCard(deps.store, click.card, (card) => ({
    ...card,
    message: markHandled(card.message, click.id ?? '', line),
  }));
  if (!updated) return only(reply.message);
  await updateForEveryone(context, click, updated.message, deps);
  return cardResponse((await viewerCards(deps, click.card, updated.message, user)).main);
}

/** Replaces the clicked message for everyone (their refresh then brings their own buttons). */
export async function updateForEveryone(
  context: TurnContext,
  click: CardClick,
  message: ChatMessage,
  deps: TeamsBotDeps,
): Promise<void> {
  if (!click.card || !click.messageId) return;
  const view = await deps.notifier.publicView(click.card);
  if (!view) return;
  const id = click.messageId;
  try {
    await deps.sender.send(context.activity.conversation.id, 'updateActivity', async () => {
      await context.updateActivity({ ...cardActivity(view.main, message.text), id });
    });
  } catch (error) {
    deps.log.warn({ error: describeError(error) }, 'updating the card for everyone failed');
  }
}

/** The finding whose buttons carry `actionId` loses them and gains a line saying who did what. */
export function markHandled(
  message: ChatMessage,
  actionId: string,
  line: readonly ChatInline[],
): ChatMessage {
  const blocks: ChatBlock[] = [];
  for (const block of message.blocks) {
    const mine = block.kind === 'finding' && block.finding.actions.some((a) => a.id === actionId);
    if (!mine) {
      blocks.push(block);
      continue;
    }
    blocks.push({ kind: 'finding', finding: { ...block.finding, actions: [] } });
    blocks.push({ kind: 'rich', tone: 'ok', parts: line });
  }
  return { ...message, blocks };
}

function firstLine(message: ChatMessage): ChatInline[] {
  const [first] = message.blocks;
  if (first?.kind === 'rich') return [...first.parts];
  return [message.text];
}

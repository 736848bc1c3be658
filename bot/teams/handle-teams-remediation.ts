import { TurnContext as Turn, type TurnContext } from 'botbuilder';
import { loadActionContext } from '../../core/commands/action-context.js';
import { approvalMessageNow } from '../../core/commands/approval-message-now.js';
import {
  type ChatActionKind,
  type ChatMessage,
  ephemeral,
} from '../../core/commands/chat-message.js';
import {
  previewRemediation,
  remediationTargetOf,
  TARGET_GONE,
} from '../../core/commands/preview-remediation.js';
import { loadRemediationTarget } from '../../core/commands/remediation-target.js';
import { requestApproval } from '../../core/commands/request-approval.js';
import { isDriftwatchError, PermissionError } from '../../core/errors.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { decidePlan } from '../../core/remediate/decide-plan.js';
import type { Actor, RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { policyFor } from '../../core/remediate/remediation-policy.js';
import { refusalMessage } from '../../core/remediate/remediation-refusals.js';
import { buildTeamsCards } from './build-card.js';
import {
  type CardActionResponse,
  type CardClick,
  cardResponse,
  tooOld,
} from './card-action-response.js';
import { type TeamsUser, teamsMention, teamsRemediationActor } from './teams-actor.js';
import type { TeamsBotDeps } from './teams-bot-deps.js';
import { getCard, planCardId, updateCard } from './teams-cards.js';
import { baseConversationId, getConversation, saveConversation } from './teams-conversations.js';
import { viewerCards } from './teams-views.js';

/**
 * The Teams half of the remediation workflow, as in Slack: *Remediate…* and the strategy buttons
 * show the clicker a dry-run preview (their view of the card only); *Request approval* stores the
 * plan and posts the approval card in the channel, whose Approve / Reject buttons only the
 * scope's approvers see (`refresh.userIds`); a decision calls the core workflow as
 * `teams:<object id>` and replaces the card in place for everyone with the decision, who and when,
 * then the apply result and the verification. Exactly once is the core's compare-and-set: a
 * repeated click is refused there and shows the card as it stands.
 */
export async function handleTeamsRemediation(
  context: TurnContext,
  user: TeamsUser,
  kind: ChatActionKind,
  click: CardClick,
  deps: TeamsBotDeps,
): Promise<CardActionResponse> {
  const back = click.card ? { back: { cardId: click.card } } : {};
  const only = (message: ChatMessage) => cardResponse(buildTeamsCards(message, back).main);
  const remediation = deps.remediation;
  if (!remediation)
    return only(
      ephemeral(
        'Remediation is not set up on this bot (it needs a remediation: policy in the config).',
        'error',
      ),
    );
  const value = click.id ?? '';
  const actorFor = async (scope: string): Promise<Actor> => {
    let approvers: string[] = [];
    try {
      approvers = policyFor(deps.config, scope).approvers;
    } catch {
      // No policy: the workflow refuses with the reason.
    }
    return teamsRemediationActor(user, approvers, deps.membership);
  };
  try {
    switch (kind) {
      case 'remediate': {
        const context_ = await loadActionContext(deps.store, value);
        if (!context_) return only(ephemeral(tooOld(deps)));
        const actor = await actorFor(context_.scope);
        const target = await remediationTargetOf(context_, actor, deps);
        return only(await previewRemediation(target, actor, { ...deps, remediation }));
      }
      case 'remediate-strategy': {
        const target = await loadRemediationTarget(deps.store, value);
        if (!target) return only(ephemeral(TARGET_GONE));
        return only(
          await previewRemediation(target, await actorFor(target.scope), {
            ...deps,
            remediation,
          }),
        );
      }
      case 'request-approval': {
        const target = await loadRemediationTarget(deps.store, value);
        if (!target) return only(ephemeral(TARGET_GONE));
        const actor = await actorFor(target.scope);
        const post = (plan: RemediationPlan) => postApproval(context, plan, deps);
        return only(await requestApproval(target, actor, { remediation, what: 'card', post }));
      }
      case 'approve-plan':
      case 'reject-plan': {
        const verdict = kind === 'approve-plan' ? 'approve' : 'reject';
        const decision = await decidePlan(remediation, value, verdict, actorFor);
        const { plan, actor } = decision;
        if (decision.outcome === 'repeat') return await showPlan(plan, user, deps);
        if (decision.outcome === 'refused') {
          if (plan.state !== 'pending') await showPlan(plan, user, deps);
          throw decision.error;
        }
        const response = await showPlan(plan, user, deps);
        if (plan.state === 'approved') deps.background(() => applyAndShow(plan, actor, user, deps));
        return response;
      }
      case 'apply-plan': {
        const plan = await remediation.show(value);
        const actor = await actorFor(plan.scope);
        deps.background(() => applyAndShow(plan, actor, user, deps));
        return await showPlan(plan, user, deps);
      }
      default:
        return only(ephemeral(`Unknown button ${kind}.`, 'error'));
    }
  } catch (error) {
    if (!(error instanceof PermissionError))
      deps.log.warn({ kind, error: describeError(error) }, 'remediation button failed');
    return only(refusalMessage(error));
  }
}

/** Applies in the background (the core refuses a second apply), then shows the outcome in place. */
async function applyAndShow(
  plan: RemediationPlan,
  actor: Actor,
  user: TeamsUser,
  deps: TeamsBotDeps,
) {
  const remediation = deps.remediation as NonNullable<TeamsBotDeps['remediation']>;
  try {
    await showPlan(await remediation.apply({ id: plan.id, actor }), user, deps);
  } catch (error) {
    await showPlan(await remediation.show(plan.id).catch(() => plan), user, deps);
    if (!(isDriftwatchError(error) && error.code === 'remediation.already-applying'))
      deps.log.warn({ planId: plan.id, error: describeError(error) }, 'remediation apply failed');
  }
}

/** Posts the approval card as a new post in the conversation and records it for the plan. */
async function postApproval(context: TurnContext, plan: RemediationPlan, deps: TeamsBotDeps) {
  const conversation = baseConversationId(context.activity.conversation.id);
  if (!(await getConversation(deps.store, conversation))) {
    const type = context.activity.conversation.conversationType;
    await saveConversation(deps.store, {
      reference: Turn.getConversationReference(context.activity),
      type: type === 'channel' || type === 'groupChat' ? type : 'personal',
      savedAt: deps.clock.now().toISOString(),
    });
  }
  await deps.notifier.post(
    conversation,
    approvalMessageNow(plan, { ...deps, mention: teamsMention }),
    { planId: plan.id },
  );
}

/**
 * Shows a plan's state on its approval card, for everyone (updateActivity) and as the clicker's
 * view (the response). Also used after the bot reconciles an interrupted apply.
 */
export async function showPlan(
  plan: RemediationPlan,
  user: TeamsUser | undefined,
  deps: TeamsBotDeps,
): Promise<CardActionResponse> {
  const message = approvalMessageNow(plan, { ...deps, mention: teamsMention });
  const cardId = await planCardId(deps.store, plan.id);
  const card = cardId ? await getCard(deps.store, cardId) : undefined;
  if (cardId && card?.activityId) {
    await updateCard(deps.store, cardId, (c) => ({ ...c, message }));
    try {
      await deps.notifier.update({ conversation: card.conversation, id: card.activityId }, message);
    } catch (error) {
      deps.log.warn(
        { planId: plan.id, error: describeError(error) },
        'updating the approval card failed',
      );
    }
  }
  if (!user || !cardId) return cardResponse(buildTeamsCards(message).main);
  return cardResponse((await viewerCards(deps, cardId, message, user)).main);
}

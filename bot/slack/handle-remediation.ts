import type { BlockButtonAction, RespondFn } from '@slack/bolt';
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
import {
  loadRemediationTarget,
  type RemediationTarget,
} from '../../core/commands/remediation-target.js';
import { requestApproval } from '../../core/commands/request-approval.js';
import { isDriftwatchError, PermissionError } from '../../core/errors.js';
import { describeError } from '../../core/redact/redact-secrets.js';
import { decidePlan } from '../../core/remediate/decide-plan.js';
import type { Actor, RemediationPlan } from '../../core/remediate/remediation-plan.js';
import { refusalMessage } from '../../core/remediate/remediation-refusals.js';
import { buildSlackMessages } from './build-blocks.js';
import type { SlackBotDeps } from './slack-bot-deps.js';
import { slackRemediationActor } from './slack-remediation-actor.js';
import {
  approvalMessageRef,
  saveApprovalMessageRef,
  slackMention,
} from './slack-remediation-ref.js';

/**
 * The Slack half of the remediation workflow. *Remediate…* and the strategy buttons answer the
 * clicker with a dry-run preview (ephemeral, through the response_url); *Request approval* stores
 * the plan and posts the approval message in the channel; Approve / Reject / Apply call the core
 * workflow as `slack:<user>` with the user groups the scope's policy names, and update the
 * approval message in place. Refusals go only to the clicker. Exactly-once is the core's
 * compare-and-set: a repeated click is refused there and stays silent here.
 */
export async function handleRemediationButton(
  kind: ChatActionKind,
  body: BlockButtonAction,
  respond: RespondFn,
  deps: SlackBotDeps,
): Promise<void> {
  const value = body.actions[0]?.value ?? '';
  const tell = (message: ChatMessage, replace = false) =>
    respond({
      response_type: 'ephemeral',
      replace_original: replace,
      ...buildSlackMessages(message).main,
    });
  const remediation = deps.remediation;
  if (!remediation)
    return void (await tell(
      ephemeral(
        'Remediation is not set up on this bot (it needs a remediation: policy in the config).',
        'error',
      ),
    ));
  const userId = body.user.id;
  const actorFor = (scope: string) => slackRemediationActor(userId, scope, deps);
  try {
    switch (kind) {
      case 'remediate': {
        const context = await loadActionContext(deps.store, value);
        if (!context)
          return void (await tell(
            ephemeral(
              'This summary is too old for its buttons. Run /drift status to get a fresh one.',
            ),
          ));
        const actor = await actorFor(context.scope);
        const target = await remediationTargetOf(context, actor, deps);
        return void (await tell(await previewRemediation(target, actor, { ...deps, remediation })));
      }
      case 'remediate-strategy': {
        const target = await loadTarget(value, deps);
        if (!target) return void (await tell(ephemeral(TARGET_GONE)));
        return void (await tell(
          await previewRemediation(target, await actorFor(target.scope), {
            ...deps,
            remediation,
          }),
          true,
        ));
      }
      case 'request-approval': {
        const target = await loadTarget(value, deps);
        if (!target) return void (await tell(ephemeral(TARGET_GONE)));
        const channel = body.channel?.id ?? '';
        const post = async (plan: RemediationPlan) => {
          const message = approvalMessageNow(plan, { ...deps, mention: slackMention });
          const ts = await deps.poster.post(channel, buildSlackMessages(message).main);
          await saveApprovalMessageRef(deps.store, plan.id, { channel, ts });
        };
        const actor = await actorFor(target.scope);
        return void (await tell(
          await requestApproval(target, actor, { remediation, what: 'message', post }),
          true,
        ));
      }
      case 'approve-plan':
      case 'reject-plan': {
        const verdict = kind === 'approve-plan' ? 'approve' : 'reject';
        const decision = await decidePlan(remediation, value, verdict, actorFor);
        const { plan, actor } = decision;
        if (decision.outcome === 'repeat') {
          deps.log.info({ planId: plan.id, user: userId }, 'repeated remediation click ignored');
          return;
        }
        if (decision.outcome === 'refused') {
          // The refusal is for the clicker; the message is refreshed only when its buttons no
          // longer apply (the plan expired, or was decided elsewhere, e.g. from the CLI).
          if (plan.state !== 'pending') await updateInPlace(plan, body, deps);
          throw decision.error;
        }
        await updateInPlace(plan, body, deps);
        if (plan.state === 'approved') await applyAndShow(plan, actor, body, tell, deps);
        return;
      }
      case 'apply-plan': {
        const plan = await remediation.show(value);
        return void (await applyAndShow(plan, await actorFor(plan.scope), body, tell, deps));
      }
      default:
        return;
    }
  } catch (error) {
    await tell(refusalMessage(error));
    if (!(error instanceof PermissionError))
      deps.log.warn({ kind, error: describeError(error) }, 'remediation button failed');
  }
}

function loadTarget(id: string, deps: SlackBotDeps): Promise<RemediationTarget | undefined> {
  return loadRemediationTarget(deps.store, id);
}

/** Applies (the core refuses a second apply), then shows the result in place; refusals to the clicker. */
async function applyAndShow(
  plan: RemediationPlan,
  actor: Actor,
  body: BlockButtonAction,
  tell: (message: ChatMessage) => Promise<unknown>,
  deps: SlackBotDeps,
): Promise<void> {
  const remediation = deps.remediation as NonNullable<SlackBotDeps['remediation']>;
  try {
    await updateInPlace(await remediation.apply({ id: plan.id, actor }), body, deps);
  } catch (error) {
    await updateInPlace(await remediation.show(plan.id).catch(() => plan), body, deps);
    if (isDriftwatchError(error) && error.code === 'remediation.already-applying') return;
    await tell(refusalMessage(error));
  }
}

/** Replaces the approval message (the clicked one, else the one recorded for the plan). */
async function updateInPlace(
  plan: RemediationPlan,
  body: BlockButtonAction | undefined,
  deps: SlackBotDeps,
): Promise<void> {
  const clicked =
    body?.channel?.id && body.message?.ts
      ? { channel: body.channel.id, ts: body.message.ts }
      : undefined;
  const where = clicked ?? (await approvalMessageRef(deps.store, plan.id));
  if (!where) return;
  try {
    await deps.poster.update(
      where.channel,
      where.ts,
      buildSlackMessages(approvalMessageNow(plan, { ...deps, mention: slackMention })).main,
    );
  } catch (error) {
    deps.log.warn(
      { planId: plan.id, error: describeError(error) },
      'updating the approval message failed',
    );
  }
}

/**
 * Shows a plan's state on its approval message, wherever it was posted (e.g. after the bot
 * reconciled an apply a stopped replica left behind).
 */
export function showPlanInPlace(plan: RemediationPlan, deps: SlackBotDeps): Promise<void> {
  return updateInPlace(plan, undefined, deps);
}

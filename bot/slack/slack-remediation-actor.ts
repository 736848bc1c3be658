import { describeError } from '../../core/redact/redact-secrets.js';
import type { Actor } from '../../core/remediate/remediation-plan.js';
import { policyFor } from '../../core/remediate/remediation-policy.js';
import type { SlackBotDeps } from './slack-bot-deps.js';

/**
 * The workflow's actor for a Slack user: `slack:<id>` and, when the scope's policy names Slack
 * user groups, the ones the user belongs to (`usergroups.users.list`, cached for a minute). A
 * group whose members cannot be read is left out, so the user is not taken for an approver.
 */
export async function slackRemediationActor(
  userId: string,
  scope: string,
  deps: Pick<SlackBotDeps, 'config' | 'membership' | 'log'>,
): Promise<Actor> {
  const groups: string[] = [];
  let named: string[] = [];
  try {
    named = policyFor(deps.config, scope)
      .approvers.filter((a) => a.startsWith('slack-group:'))
      .map((a) => a.slice('slack-group:'.length));
  } catch {
    // No policy: the workflow refuses with the reason; no groups to resolve.
  }
  for (const group of named) {
    try {
      if (await deps.membership(group, userId)) groups.push(`slack-group:${group}`);
    } catch (error) {
      deps.log.warn({ group, error: describeError(error) }, 'reading a user group failed');
    }
  }
  return { id: `slack:${userId}`, ...(groups.length ? { groups } : {}) };
}

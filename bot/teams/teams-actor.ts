import type { ChatActor } from '../../core/commands/authorise-command.js';
import { type ChatInline, mentionGroup, mentionUser } from '../../core/commands/chat-message.js';
import type { Actor } from '../../core/remediate/remediation-plan.js';

/** The person behind an inbound Teams activity. */
export interface TeamsUser {
  /** Entra object id: what access config and remediation policies name. */
  aadObjectId: string;
  /** Teams user id (`29:…`). */
  mri: string;
  name?: string;
}

/** Resolves Entra group membership (Microsoft Graph), when it is configured. */
export type TeamsMembership = (groupId: string, aadObjectId: string) => Promise<boolean>;

/**
 * The command layer's actor for a Teams user: the Entra object id (never the display name,
 * which anyone can change), and group membership only when Graph membership is configured.
 */
export function teamsActor(user: TeamsUser, membership?: TeamsMembership): ChatActor {
  return {
    chat: 'teams',
    id: user.aadObjectId,
    ...(user.name ? { name: user.name } : {}),
    ...(membership ? { inGroup: (groupId: string) => membership(groupId, user.aadObjectId) } : {}),
  };
}

/**
 * The remediation workflow's actor: `teams:<object id>`, also known to policies as
 * `entra:<object id>`, and the `entra-group:` identities the policy names that the user is in.
 * A group that cannot be read is left out, so nobody is taken for an approver by mistake.
 */
export async function teamsRemediationActor(
  user: TeamsUser,
  policyApprovers: readonly string[],
  membership?: TeamsMembership,
): Promise<Actor> {
  const id = user.aadObjectId.toLowerCase();
  const groups = [`entra:${id}`];
  if (membership) {
    for (const approver of policyApprovers) {
      if (!approver.startsWith('entra-group:')) continue;
      const group = approver.slice('entra-group:'.length);
      try {
        if (await membership(group, id)) groups.push(approver);
      } catch {
        // Unreadable membership: not an approver through this group.
      }
    }
  }
  return { id: `teams:${id}`, groups };
}

/** Entra object ids among identities (`teams:<id>`, `entra:<id>`), for refresh and mentions. */
export function entraIdsOf(identities: readonly string[]): string[] {
  return identities
    .filter((i) => i.startsWith('teams:') || i.startsWith('entra:'))
    .map((i) => i.slice(i.indexOf(':') + 1).toLowerCase());
}

/** Identities as Teams shows them: people as mentions, Entra groups named, others as text. */
export function teamsMention(identity: string): ChatInline {
  if (identity.startsWith('teams:') || identity.startsWith('entra:'))
    return mentionUser(identity.slice(identity.indexOf(':') + 1).toLowerCase());
  if (identity.startsWith('entra-group:'))
    return mentionGroup(identity.slice('entra-group:'.length));
  return identity;
}

import type { webApi } from '@slack/bolt';
import type { ChatActor } from '../../core/commands/authorise-command.js';

/** How long a user group's member list is trusted before asking Slack again. */
const GROUP_TTL_MS = 60_000;

/**
 * User-group membership through `usergroups.users.list` (scope `usergroups:read`), cached per
 * group for a minute so a burst of clicks costs one call.
 */
export function createGroupMembership(client: webApi.WebClient, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; members: Promise<Set<string>> }>();
  return async (groupId: string, userId: string): Promise<boolean> => {
    let entry = cache.get(groupId);
    if (!entry || now() - entry.at > GROUP_TTL_MS) {
      const members = client.usergroups.users
        .list({ usergroup: groupId })
        .then((r) => new Set(r.users ?? []));
      entry = { at: now(), members };
      cache.set(groupId, entry);
      members.catch(() => cache.delete(groupId));
    }
    return (await entry.members).has(userId);
  };
}

export type GroupMembership = ReturnType<typeof createGroupMembership>;

/** The command layer's actor for a Slack user. */
export function slackActor(
  userId: string,
  name: string | undefined,
  membership: GroupMembership,
): ChatActor {
  return {
    chat: 'slack',
    id: userId,
    ...(name ? { name } : {}),
    inGroup: (groupId) => membership(groupId, userId),
  };
}

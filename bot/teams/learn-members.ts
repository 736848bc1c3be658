import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { DriftStore } from '../../core/store/drift-store.js';
import { findPeople, rememberPerson } from './teams-people.js';

/** How long "not a member here" is trusted before asking Teams again. */
const MISS_TTL_MS = 3_600_000;

/**
 * Looks up, in the conversation of `context`, the people among `aadObjectIds` the bot has not
 * seen yet (`TeamsInfo.getMember` takes an Entra object id), and remembers their Teams user ids,
 * so an admin or approver who never wrote to the bot still gets their buttons by refresh.
 * Someone who is not a member there, or a lookup that fails, is skipped (they can press
 * _My buttons_); misses are remembered for an hour per conversation.
 */
export function createMemberLearner(store: DriftStore, now: () => number = Date.now) {
  const misses = new Map<string, number>();
  return async (context: TurnContext, aadObjectIds: readonly string[]): Promise<void> => {
    if (aadObjectIds.length === 0) return;
    const known = await findPeople(store, aadObjectIds);
    const conversation = context.activity.conversation.id.split(';')[0];
    for (const id of aadObjectIds.map((i) => i.toLowerCase())) {
      const key = `${conversation}|${id}`;
      if (known.has(id) || (misses.get(key) ?? 0) > now()) continue;
      try {
        const member = await TeamsInfo.getMember(context, id);
        await rememberPerson(store, member.aadObjectId ?? id, {
          mri: member.id,
          ...(member.name ? { name: member.name } : {}),
        });
      } catch {
        misses.set(key, now() + MISS_TTL_MS);
      }
    }
  };
}

export type MemberLearner = ReturnType<typeof createMemberLearner>;

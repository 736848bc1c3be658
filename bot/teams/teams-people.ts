import type { DriftStore } from '../../core/store/drift-store.js';

/** A Teams user as the bot has seen them: the Teams user id (MRI) and display name. */
export interface TeamsPerson {
  /** `29:…`, the id `refresh.userIds` and mentions in a conversation take. */
  mri: string;
  name?: string;
}

const NAMESPACE = 'teams-people';
/** Forgotten after a quarter without activity: ids change when a user leaves the tenant. */
const PERSON_TTL_MS = 90 * 86_400_000;

const people = (store: DriftStore) => store.keyValue<TeamsPerson>(NAMESPACE);

/**
 * Records who an Entra object id is in Teams, from an activity's `from` or a conversation's
 * members. Access config names people by Entra object id; Teams' `refresh.userIds` needs their
 * Teams user ids, so this is how the bot learns the one from the other without Graph.
 */
export async function rememberPerson(
  store: DriftStore,
  aadObjectId: string | undefined,
  person: TeamsPerson,
): Promise<void> {
  if (!aadObjectId || !person.mri.startsWith('29:')) return;
  const key = aadObjectId.toLowerCase();
  const known = await people(store).get(key);
  if (known?.mri === person.mri && known.name === person.name) return;
  await people(store).set(
    key,
    { mri: person.mri, ...(person.name ? { name: person.name } : {}) },
    PERSON_TTL_MS,
  );
}

/** The people the bot has seen among `aadObjectIds` (others are not returned). */
export async function findPeople(
  store: DriftStore,
  aadObjectIds: readonly string[],
): Promise<Map<string, TeamsPerson>> {
  const found = new Map<string, TeamsPerson>();
  for (const id of new Set(aadObjectIds.map((i) => i.toLowerCase()))) {
    const person = await people(store).get(id);
    if (person) found.set(id, person);
  }
  return found;
}

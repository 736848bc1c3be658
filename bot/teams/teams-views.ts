import { authoriseCommand } from '../../core/commands/authorise-command.js';
import type {
  ChatAction,
  ChatActionKind,
  ChatBlock,
  ChatMessage,
} from '../../core/commands/chat-message.js';
import type { ChatCommand } from '../../core/commands/parse-command.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { isApprover, policyFor } from '../../core/remediate/remediation-policy.js';
import type { Remediation } from '../../core/remediate/remediation-service.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { buildTeamsCards, type CardOptions, type TeamsCards } from './build-card.js';
import { teamsAccess } from './teams-access.js';
import {
  entraIdsOf,
  type TeamsMembership,
  type TeamsUser,
  teamsActor,
  teamsRemediationActor,
} from './teams-actor.js';
import { TEAMS_LIMITS } from './teams-limits.js';
import { findPeople } from './teams-people.js';

/** What deciding who may press which button needs. */
export interface TeamsViewDeps {
  store: DriftStore;
  config: DriftwatchConfig;
  remediation?: Pick<Remediation, 'show'>;
  membership?: TeamsMembership;
}

/** Buttons anyone who may read may press: they show, preview or ask; core decides the rest. */
const READER_KINDS: readonly ChatActionKind[] = [
  'show-diff',
  'remediate',
  'remediate-strategy',
  'request-approval',
];
const PLAN_KINDS: readonly ChatActionKind[] = ['approve-plan', 'reject-plan', 'apply-plan'];
const VERB_OF: Partial<Record<ChatActionKind, ChatCommand['verb']>> = {
  accept: 'accept',
  'ignore-7d': 'ignore',
};

/**
 * The card everyone in the conversation sees: only the buttons anyone may press (none when
 * reading is restricted), and a `refresh` naming the people who may press more, so their Teams
 * clients ask the bot for their own view ({@link viewerCards}). People the bot has not seen yet
 * (no Teams user id known) get *My buttons* to ask for theirs.
 */
export async function publicCards(
  deps: TeamsViewDeps,
  cardId: string,
  message: ChatMessage,
): Promise<TeamsCards> {
  const open = teamsAccess(deps.config).open;
  const actions = actionsOf(message);
  const live = (a: ChatAction) => open && READER_KINDS.includes(a.kind);
  const hidden = actions.filter((a) => !live(a));
  const names = await namesFor(deps, message);
  const options: CardOptions = { live, names };
  if (hidden.length > 0) {
    const userIds = await refreshUsers(deps, hidden);
    options.refresh = { cardId, userIds };
  }
  return buildTeamsCards(message, options);
}

/** The card one person sees: the buttons they may press, the others left out. */
export async function viewerCards(
  deps: TeamsViewDeps,
  cardId: string,
  message: ChatMessage,
  viewer: TeamsUser,
  extra: Pick<CardOptions, 'back'> = {},
): Promise<TeamsCards> {
  const allowed = new Set<string>();
  for (const action of actionsOf(message)) {
    if (await mayPress(deps, action, viewer)) allowed.add(`${action.kind}:${action.id}`);
  }
  const names = await namesFor(deps, message);
  const userIds = await refreshUsers(deps, actionsOf(message));
  return buildTeamsCards(message, {
    live: (a) => allowed.has(`${a.kind}:${a.id}`),
    names,
    ...(userIds.length > 0 && !extra.back ? { refresh: { cardId, userIds } } : {}),
    ...extra,
  });
}

/** Whether `viewer` may press `action` (the same rules the command layer and the workflow apply). */
export async function mayPress(
  deps: TeamsViewDeps,
  action: ChatAction,
  viewer: TeamsUser,
): Promise<boolean> {
  const actor = teamsActor(viewer, deps.membership);
  const access = teamsAccess(deps.config).config;
  if (READER_KINDS.includes(action.kind) || VERB_OF[action.kind]) {
    const verb = VERB_OF[action.kind] ?? 'show';
    return authoriseCommand({ verb } as ChatCommand, actor, access).then(
      () => true,
      () => false,
    );
  }
  if (PLAN_KINDS.includes(action.kind) && deps.remediation) {
    try {
      const plan = await deps.remediation.show(action.id);
      const policy = policyFor(deps.config, plan.scope);
      return isApprover(
        policy,
        await teamsRemediationActor(viewer, policy.approvers, deps.membership),
      );
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Entra object ids of the people who may press the buttons of `message` that not everyone may
 * (admins, restricted readers, the approvers of a plan), whether or not the bot knows them yet.
 */
export async function wantedViewers(deps: TeamsViewDeps, message: ChatMessage): Promise<string[]> {
  const open = teamsAccess(deps.config).open;
  const hidden = actionsOf(message).filter((a) => !(open && READER_KINDS.includes(a.kind)));
  return hidden.length > 0 ? [...(await entraIdsFor(deps, hidden))] : [];
}

/**
 * Teams user ids of the people who may press some of `actions`, as far as the bot knows them
 * (at most 60, Teams' limit).
 */
async function refreshUsers(
  deps: TeamsViewDeps,
  actions: readonly ChatAction[],
): Promise<string[]> {
  const people = await findPeople(deps.store, [...(await entraIdsFor(deps, actions))]);
  return [...people.values()].map((p) => p.mri).slice(0, TEAMS_LIMITS.refreshUserIds);
}

/** Admins for accept and ignore, readers when reading is restricted, a plan's approvers. */
async function entraIdsFor(
  deps: TeamsViewDeps,
  actions: readonly ChatAction[],
): Promise<Set<string>> {
  const { lists: access, open } = teamsAccess(deps.config);
  const ids = new Set<string>();
  const kinds = new Set(actions.map((a) => a.kind));
  if ([...kinds].some((k) => VERB_OF[k] || (!open && READER_KINDS.includes(k))))
    for (const id of access.admins) ids.add(id.toLowerCase());
  if (!open && [...kinds].some((k) => READER_KINDS.includes(k)))
    for (const id of access.readers) ids.add(id.toLowerCase());
  if (deps.remediation) {
    for (const action of actions.filter((a) => PLAN_KINDS.includes(a.kind))) {
      try {
        const plan = await deps.remediation.show(action.id);
        for (const id of entraIdsOf(policyFor(deps.config, plan.scope).approvers)) ids.add(id);
      } catch {
        // A plan or policy that is gone: nobody gets its buttons.
      }
    }
  }
  return ids;
}

/** Display names of the people a message mentions, for `<at>Name</at>`. */
async function namesFor(
  deps: TeamsViewDeps,
  message: ChatMessage,
): Promise<Record<string, string>> {
  const ids = message.blocks.flatMap((b) =>
    b.kind === 'rich' ? b.parts.flatMap((p) => (typeof p === 'string' ? [] : [p.id])) : [],
  );
  if (ids.length === 0) return {};
  const people = await findPeople(deps.store, ids);
  const names: Record<string, string> = {};
  for (const id of ids) {
    const name = people.get(id.toLowerCase())?.name;
    if (name) names[id] = name;
  }
  return names;
}

function actionsOf(message: ChatMessage): ChatAction[] {
  return message.blocks.flatMap((b: ChatBlock) =>
    b.kind === 'finding' ? b.finding.actions : b.kind === 'actions' ? b.actions : [],
  );
}

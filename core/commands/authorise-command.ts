import type { ChatAccessConfig, ChatAccessList, ChatVerb } from '../config/sections/chat-config.js';
import { PermissionError } from '../errors.js';
import type { ChatKind } from '../notify/notifier.js';
import { type ChatInline, mentionGroup, mentionUser, plainText } from './chat-message.js';
import type { ChatCommand } from './parse-command.js';

/** The person running a command, as their chat identifies them. */
export interface ChatActor {
  /** The chat they typed in, whose access lists apply; default `slack`. */
  chat?: ChatKind;
  /**
   * Their stable id in that chat: Slack user id (`U…`), Teams user's Entra object id
   * (`aadObjectId`, a GUID). Never a display name.
   */
  id: string;
  /** Shown in records (accepted by, ignore owner); defaults to the id. */
  name?: string;
  /**
   * Membership of a group of that chat: Slack user groups (usergroups.users.list); Entra groups
   * through Microsoft Graph, only when configured. Without it, only the id lists count.
   */
  inGroup?(groupId: string): Promise<boolean>;
}

/**
 * The access lists of one chat (`chat.access.slack`, `chat.access.teams`) with the shared
 * `adminOnly`.
 *
 * @example
 * const teams = accessForChat(chatSettings(config).access, 'teams');
 */
export function accessForChat(access: ChatAccessConfig, chat: ChatKind): ChatAccessList {
  const { admins, adminGroups, readers, readerGroups } = access[chat];
  return { admins, adminGroups, readers, readerGroups, adminOnly: access.adminOnly };
}

/** Verbs that change state; they need an admin. Everything else is read-only. */
export const CHANGING_VERBS: readonly ChatVerb[] = ['subscribe', 'unsubscribe', 'accept', 'ignore'];

/**
 * Read-only verbs that show what another verb shows (remediation plans and their audit sit beside
 * the latest result), so `adminOnly` naming that verb restricts them as well.
 */
const READS_LIKE: Partial<Record<ChatVerb, ChatVerb>> = { audit: 'status', remediate: 'status' };

/**
 * Decides whether `actor` may run `command`, from the access lists of the actor's chat
 * (`chat.access.slack` or `chat.access.teams`). `help` is open to everyone; read-only verbs to the
 * workspace or tenant unless readers are configured; changing verbs (and `adminOnly` ones) to admins. Throws a {@link PermissionError} whose message names who may
 * (and whose `details.reply` says so with mentions, for chat).
 *
 * @example
 * await authoriseCommand({ verb: 'accept', finding }, actor, config.chat.access);
 */
export async function authoriseCommand(
  command: ChatCommand,
  actor: ChatActor,
  config: ChatAccessConfig,
): Promise<void> {
  if (command.verb === 'help') return;
  const chat = actor.chat ?? 'slack';
  const access = accessForChat(config, chat);
  const isAdmin = await isMember(actor, access.admins, access.adminGroups);
  if (isAdmin) return;
  const readsLike = READS_LIKE[command.verb];
  const needsAdmin =
    CHANGING_VERBS.includes(command.verb) ||
    access.adminOnly.includes(command.verb) ||
    (readsLike !== undefined && access.adminOnly.includes(readsLike));
  if (needsAdmin) {
    throw refusal(
      'permission.not-admin',
      [
        `You are not a driftwatch admin, so you cannot run ${command.verb}. `,
        ...whoMay(access.admins, access.adminGroups, 'Admins', chat),
      ],
      command.verb,
      actor.id,
    );
  }
  const open = access.readers.length === 0 && access.readerGroups.length === 0;
  if (open || (await isMember(actor, access.readers, access.readerGroups))) return;
  throw refusal(
    'permission.not-reader',
    [
      `You are not on the driftwatch readers list, so you cannot run ${command.verb}. `,
      ...whoMay(
        [...access.readers, ...access.admins],
        [...access.readerGroups, ...access.adminGroups],
        'Ask one of',
        chat,
      ),
    ],
    command.verb,
    actor.id,
  );
}

async function isMember(actor: ChatActor, users: string[], groups: string[]): Promise<boolean> {
  if (users.includes(actor.id)) return true;
  if (!actor.inGroup) return false;
  for (const group of groups) if (await actor.inGroup(group)) return true;
  return false;
}

/** Who may, as rich text with mentions; the error's message carries it as plain text. */
function whoMay(users: string[], groups: string[], lead: string, chat: ChatKind): ChatInline[] {
  const names = [...users.map(mentionUser), ...groups.map(mentionGroup)];
  if (names.length === 0) {
    return [
      `No admins are configured: set chat.access.${chat}.admins or chat.access.${chat}.adminGroups in driftwatch.config.yaml.`,
    ];
  }
  return [`${lead}: `, ...names.flatMap((n, i) => (i === 0 ? [n] : [', ', n])), '.'];
}

/** A refusal: `reply` (with mentions) in the details for chat, plain text as the message. */
function refusal(
  code: 'permission.not-admin' | 'permission.not-reader',
  reply: ChatInline[],
  verb: string,
  actor: string,
): PermissionError {
  return new PermissionError(code, plainText(reply), { details: { verb, actor, reply } });
}

import { z } from 'zod';
import { SEVERITIES } from '../../model/severity.js';
import { TimeZone } from './time-zone.js';

/** Slack user ids (`U…`/`W…`) and user group ids (`S…`), as Slack shows them in profiles. */
const SlackUserId = z
  .string()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U024BE7LH');
const SlackGroupId = z
  .string()
  .regex(/^S[A-Z0-9]{2,}$/, 'expected a Slack user group id such as S0614TZR7');

/** Chat verbs, in the order `help` lists them. */
export const CHAT_VERBS = [
  'help',
  'scan',
  'status',
  'show',
  'history',
  'subscribe',
  'subscriptions',
  'unsubscribe',
  'accept',
  'ignore',
  'devops',
  'remediate',
  'audit',
] as const;
export type ChatVerb = (typeof CHAT_VERBS)[number];

/**
 * Entra object ids (users) and group ids: GUIDs, as Entra ID shows them (the user's or group's
 * Overview page, "Object ID"; Teams sends a user's as `aadObjectId`). Display names are never
 * accepted: they are neither unique nor stable.
 */
const EntraId = (what: 'user' | 'group') =>
  z
    .string()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      `expected an Entra ${what} object id (a GUID such as 6f1c2f9e-0b7a-4c1d-9e3f-2a5b8c7d4e10, from Entra ID → ${what === 'user' ? 'Users' : 'Groups'} → Overview → Object ID), not a name`,
    )
    .transform((id) => id.toLowerCase());

/** One chat's lists. Read-only verbs are open unless readers are set; changing verbs need admins. */
const accessLists = <U extends z.ZodType<string>, G extends z.ZodType<string>>(user: U, group: G) =>
  z.strictObject({
    admins: z.array(user).default([]),
    adminGroups: z.array(group).default([]),
    /** When either is non-empty, read-only verbs are limited to these people (and admins). */
    readers: z.array(user).default([]),
    readerGroups: z.array(group).default([]),
  });

/** Slack user ids (`U…`/`W…`) and user group ids (`S…`). */
export const SlackAccess = accessLists(SlackUserId, SlackGroupId);
/**
 * Entra object ids of users and of groups. Group lists count only with `groupMembership: graph`
 * (membership read from Microsoft Graph); without it only the user lists apply, so naming groups
 * without Graph is refused rather than silently matching nobody.
 */
export const TeamsAccess = accessLists(EntraId('user'), EntraId('group'))
  .extend({
    groupMembership: z.enum(['off', 'graph']).default('off'),
    /** Microsoft Graph's base URL for another cloud (default https://graph.microsoft.com). */
    graphUrl: z.url().optional(),
  })
  .superRefine((teams, ctx) => {
    if (teams.groupMembership === 'graph') return;
    for (const key of ['adminGroups', 'readerGroups'] as const) {
      if (teams[key].length === 0) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message:
          'names Entra groups, whose membership is read from Microsoft Graph: set chat.access.teams.groupMembership: graph (the bot identity needs GroupMember.Read.All), or list the people in admins/readers',
      });
    }
  });

/** One chat's access lists, with the verbs restricted to admins in every chat. */
export type ChatAccessList = z.infer<typeof SlackAccess> & { adminOnly: ChatVerb[] };

const NO_ONE = { admins: [], adminGroups: [], readers: [], readerGroups: [] };
const LEGACY_KEYS = ['admins', 'adminGroups', 'readers', 'readerGroups'] as const;

/**
 * Who may run what, per chat: `slack` (Slack ids) and `teams` (Entra ids), and `adminOnly` for
 * both. Read-only verbs are open to the chat unless its readers are set; changing verbs
 * (subscribe, unsubscribe, accept, ignore) need one of its admins. The pre-Teams spelling
 * (`admins`, `adminGroups`, `readers`, `readerGroups` right under `access`) still works and means
 * Slack's lists; mixing it with `access.slack` is refused, naming the key to move.
 */
export const ChatAccessConfig = z
  .strictObject({
    slack: SlackAccess.optional(),
    teams: TeamsAccess.default({ ...NO_ONE, groupMembership: 'off' }),
    admins: z.array(SlackUserId).optional(),
    adminGroups: z.array(SlackGroupId).optional(),
    readers: z.array(SlackUserId).optional(),
    readerGroups: z.array(SlackGroupId).optional(),
    /** Read-only verbs to restrict to admins as well (e.g. `scan`, which calls Azure). */
    adminOnly: z.array(z.enum(CHAT_VERBS)).default([]),
  })
  .superRefine((access, ctx) => {
    if (!access.slack) return;
    for (const key of LEGACY_KEYS) {
      if (access[key] === undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `is the pre-Teams spelling of chat.access.slack.${key}; with chat.access.slack set, move it there`,
      });
    }
  })
  .transform((access) => ({
    slack: access.slack ?? {
      admins: access.admins ?? [],
      adminGroups: access.adminGroups ?? [],
      readers: access.readers ?? [],
      readerGroups: access.readerGroups ?? [],
    },
    teams: access.teams,
    adminOnly: access.adminOnly,
  }));
export type ChatAccessConfig = z.output<typeof ChatAccessConfig>;

/** Chat bot settings: Slack, access control, schedules. (Issue 6 owns this section.) */
export const ChatConfig = z.strictObject({
  access: ChatAccessConfig.default({
    slack: NO_ONE,
    teams: { ...NO_ONE, groupMembership: 'off' },
    adminOnly: [],
  }),
  /** Time zone for schedules that do not name one (IANA name, e.g. Europe/Berlin). */
  timezone: TimeZone.default('UTC'),
  /** Schedule used by `subscribe <scope>` without one. */
  defaultSchedule: z.string().min(1).default('daily 09:00'),
  /** Severity floor for subscriptions that do not give `--min-severity`. */
  minSeverity: z.enum(SEVERITIES).default('low'),
  /** Base URL of the report page; a summary links to `<reportUrl>/<reportId>`. */
  reportUrl: z.url().optional(),
  /** Findings shown in the main message; the rest go to the thread. UX: never more than five. */
  topFindings: z.number().int().min(1).max(5).default(5),
});
export type ChatConfig = z.infer<typeof ChatConfig>;

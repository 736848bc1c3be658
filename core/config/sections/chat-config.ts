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
] as const;
export type ChatVerb = (typeof CHAT_VERBS)[number];

/**
 * Who may run what. Read-only verbs are open to the workspace unless `readers`/`readerGroups`
 * are set; changing verbs (subscribe, unsubscribe, accept, ignore) need `admins`/`adminGroups`.
 */
export const ChatAccessConfig = z.strictObject({
  admins: z.array(SlackUserId).default([]),
  adminGroups: z.array(SlackGroupId).default([]),
  /** When either is non-empty, read-only verbs are limited to these people (and admins). */
  readers: z.array(SlackUserId).default([]),
  readerGroups: z.array(SlackGroupId).default([]),
  /** Read-only verbs to restrict to admins as well (e.g. `scan`, which calls Azure). */
  adminOnly: z.array(z.enum(CHAT_VERBS)).default([]),
});
export type ChatAccessConfig = z.infer<typeof ChatAccessConfig>;

/** Chat bot settings: Slack, access control, schedules. (Issue 6 owns this section.) */
export const ChatConfig = z.strictObject({
  access: ChatAccessConfig.default({
    admins: [],
    adminGroups: [],
    readers: [],
    readerGroups: [],
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

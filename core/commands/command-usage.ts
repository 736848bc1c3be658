import type { ChatVerb } from '../config/sections/chat-config.js';

/** One usage line and one sentence per verb; `help` lists them and usage errors quote them. */
export const COMMAND_USAGE: Record<ChatVerb, { usage: string; does: string }> = {
  help: { usage: 'help [verb]', does: 'what each command does' },
  scan: { usage: 'scan [scope]', does: 'scan a scope now and post what drifted' },
  status: {
    usage: 'status [scope] [--share]',
    does: 'the latest result, without scanning; only you see it unless --share',
  },
  show: { usage: 'show <finding>', does: 'every change of one finding, before → after' },
  history: { usage: 'history [scope]', does: 'the last ten scans' },
  subscribe: {
    usage:
      'subscribe <scope> [daily 09:00 | weekdays 08:30 | every 3h | <cron>] [tz=Europe/Berlin] [--min-severity high] [--all-clear]',
    does: 'post a summary here on a schedule, only when something changed',
  },
  subscriptions: { usage: 'subscriptions', does: "this channel's subscriptions" },
  unsubscribe: { usage: 'unsubscribe <scope|all>', does: 'stop scheduled summaries here' },
  accept: { usage: 'accept <finding> [reason]', does: 'declare a finding expected' },
  ignore: {
    usage: 'ignore <finding|path> [for 7d] [--scope S] [reason]',
    does: 'ignore a finding or a property path for a while (default 7 days)',
  },
  devops: { usage: 'devops', does: 'Azure DevOps inventory: projects, pipelines, environments' },
  remediate: {
    usage: 'remediate list [scope] | show <plan id>',
    does: 'remediation plans, newest first, or one as its approval shows it',
  },
  audit: { usage: 'audit [scope]', does: 'the latest remediation audit entries' },
};

/**
 * How a command is typed when the chat adapter does not say: Slack's slash command. Teams passes
 * `@driftwatch` (see `CommandDeps.invocation`).
 */
export const DEFAULT_INVOCATION = '/drift';

/** `usage: /drift <line>` for one verb, with the chat's invocation. */
export function usageLine(verb: ChatVerb, invocation = DEFAULT_INVOCATION): string {
  return `usage: ${invocation} ${COMMAND_USAGE[verb].usage}`;
}

import type { ChatActionKind } from './chat-message.js';
import type { ChatCommand, FindingRef } from './parse-command.js';

const SEVEN_DAYS_MS = 7 * 86_400_000;

/**
 * The chat command a summary's finding button stands for (*Show diff*, *Accept*, *Ignore 7
 * days*), so a click runs through the same authorisation and verbs as typing it; `undefined` for
 * buttons that are not commands (remediation). `where` names the summary in the accept reason.
 *
 * @example
 * buttonCommand('accept', finding, 'Slack') // { verb: 'accept', finding, reason: 'accepted from a Slack summary' }
 */
export function buttonCommand(
  kind: ChatActionKind,
  finding: Required<FindingRef>,
  where: string,
): ChatCommand | undefined {
  switch (kind) {
    case 'show-diff':
      return { verb: 'show', finding };
    case 'accept':
      return { verb: 'accept', finding, reason: `accepted from a ${where} summary` };
    case 'ignore-7d':
      return {
        verb: 'ignore',
        target: { kind: 'finding', finding },
        durationMs: SEVEN_DAYS_MS,
        durationText: '7d',
      };
    default:
      return undefined;
  }
}

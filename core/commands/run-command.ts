import { isDriftwatchError, PermissionError, UsageError } from '../errors.js';
import { describeError } from '../redact/redact-secrets.js';
import { awaitStoreAnswer } from '../store/await-store-answer.js';
import { authoriseCommand } from './authorise-command.js';
import { type ChatInline, type ChatMessage, ephemeral } from './chat-message.js';
import { chatSettings } from './chat-settings.js';
import type { CommandDeps } from './command-ports.js';
import { type ChatCommand, parseCommand } from './parse-command.js';
import { runAcceptVerb, runIgnoreVerb } from './run-finding-verbs.js';
import {
  runDevopsVerb,
  runHelpVerb,
  runHistoryVerb,
  runScanVerb,
  runShowVerb,
  runStatusVerb,
} from './run-read-verbs.js';
import { runAuditVerb, runRemediateVerb } from './run-remediation-verbs.js';
import {
  runSubscribeVerb,
  runSubscriptionsVerb,
  runUnsubscribeVerb,
} from './run-subscription-verbs.js';

/** What a command produced, and how it ended (for logs and metrics). */
export interface CommandReply {
  message: ChatMessage;
  outcome: 'ok' | 'usage' | 'denied' | 'failed';
  command?: ChatCommand;
  /** The error behind `usage`/`denied`/`failed`, for the host's log (already redacted in `message`). */
  error?: unknown;
}

/**
 * Parses (when given text), authorises and runs a chat command, and returns the neutral message
 * to render. Never throws: bad input becomes a short usage reply, refusals a permission reply,
 * and failures one redacted line, never a stack trace.
 *
 * @example
 * const { message } = await runCommand('status prod', { store, config, clock, scan, actor });
 */
export async function runCommand(
  input: string | ChatCommand,
  deps: CommandDeps,
): Promise<CommandReply> {
  let command: ChatCommand | undefined;
  try {
    command =
      typeof input === 'string'
        ? parseCommand(input, deps.invocation ? { invocation: deps.invocation } : {})
        : input;
    await authoriseCommand(command, deps.actor, chatSettings(deps.config).access);
    // Every verb but help reads the store: ask it first, so a Redis outage gets one clear answer
    // in seconds instead of a command that hangs until Redis is back.
    if (command.verb !== 'help') {
      await awaitStoreAnswer(
        () => deps.store.keyValue('probe').get('probe'),
        deps.storeAnswerMs ?? 5_000,
        'nothing was read or changed; try again in a minute',
      );
    }
    const message = await dispatch(command, deps);
    return { message, outcome: 'ok', command };
  } catch (error) {
    const withCommand = command ? { command } : {};
    if (error instanceof UsageError) {
      return {
        message: ephemeral(describeError(error), 'neutral'),
        outcome: 'usage',
        error,
        ...withCommand,
      };
    }
    if (error instanceof PermissionError) {
      // The refusal with mentions of who may (structured, never parsed from text).
      const reply = error.details.reply;
      return {
        message: ephemeral(
          Array.isArray(reply) ? (reply as ChatInline[]) : describeError(error),
          'error',
        ),
        outcome: 'denied',
        error,
        ...withCommand,
      };
    }
    const what = isDriftwatchError(error)
      ? describeError(error)
      : `unexpected error: ${describeError(error)}`;
    const verb = command ? ` ${command.verb}` : '';
    return {
      message: ephemeral(`Could not run${verb}: ${what}`, 'error'),
      outcome: 'failed',
      error,
      ...withCommand,
    };
  }
}

function dispatch(command: ChatCommand, deps: CommandDeps): Promise<ChatMessage> | ChatMessage {
  switch (command.verb) {
    case 'help':
      return runHelpVerb(command, deps.invocation);
    case 'scan':
      return runScanVerb(command, deps);
    case 'status':
      return runStatusVerb(command, deps);
    case 'show':
      return runShowVerb(command, deps);
    case 'history':
      return runHistoryVerb(command, deps);
    case 'subscribe':
      return runSubscribeVerb(command, deps);
    case 'subscriptions':
      return runSubscriptionsVerb(deps);
    case 'unsubscribe':
      return runUnsubscribeVerb(command, deps);
    case 'accept':
      return runAcceptVerb(command, deps);
    case 'ignore':
      return runIgnoreVerb(command, deps);
    case 'devops':
      return runDevopsVerb(deps);
    case 'remediate':
      return runRemediateVerb(command, deps);
    case 'audit':
      return runAuditVerb(command, deps);
  }
}

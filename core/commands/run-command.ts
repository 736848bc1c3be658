import { isDriftwatchError, PermissionError, UsageError } from '../errors.js';
import { describeError } from '../redact/redact-secrets.js';
import { authoriseCommand } from './authorise-command.js';
import { type ChatMessage, ephemeral } from './chat-message.js';
import { chatSettings } from './chat-settings.js';
import type { CommandDeps } from './command-ports.js';
import { type ChatCommand, parseCommand } from './parse-command.js';
import { runAccept, runIgnore } from './run-finding-verbs.js';
import { runDevops, runHelp, runHistory, runScan, runShow, runStatus } from './run-read-verbs.js';
import { runSubscribe, runSubscriptions, runUnsubscribe } from './run-subscription-verbs.js';

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
    command = typeof input === 'string' ? parseCommand(input) : input;
    await authoriseCommand(command, deps.actor, chatSettings(deps.config).access);
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
      return {
        message: ephemeral(describeError(error), 'error'),
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
      return runHelp(command);
    case 'scan':
      return runScan(command, deps);
    case 'status':
      return runStatus(command, deps);
    case 'show':
      return runShow(command, deps);
    case 'history':
      return runHistory(command, deps);
    case 'subscribe':
      return runSubscribe(command, deps);
    case 'subscriptions':
      return runSubscriptions(deps);
    case 'unsubscribe':
      return runUnsubscribe(command, deps);
    case 'accept':
      return runAccept(command, deps);
    case 'ignore':
      return runIgnore(command, deps);
    case 'devops':
      return runDevops(deps);
  }
}

import { CHAT_VERBS, type ChatVerb } from '../config/sections/chat-config.js';
import { UsageError } from '../errors.js';
import { isSeverity, SEVERITIES, type Severity } from '../model/severity.js';
import { DEFAULT_INVOCATION, usageLine } from './command-usage.js';
import { DURATION_FORMS, parseDuration } from './parse-duration.js';
import { tokenizeCommand } from './tokenize-command.js';

/** A finding as a person or a button names it: a fingerprint (or prefix), optionally pinned. */
export interface FindingRef {
  fingerprint: string;
  scope?: string;
  reportId?: string;
}

/** A parsed chat command; the same grammar in Slack and Teams. */
export type ChatCommand =
  | { verb: 'help'; topic?: ChatVerb }
  | { verb: 'scan'; scope?: string }
  | { verb: 'status'; scope?: string; share?: boolean }
  | { verb: 'show'; finding: FindingRef }
  | { verb: 'history'; scope?: string }
  | {
      verb: 'subscribe';
      scope: string;
      schedule?: string;
      timezone?: string;
      minSeverity?: Severity;
      allClear: boolean;
    }
  | { verb: 'subscriptions' }
  | { verb: 'unsubscribe'; scope: string | 'all' }
  | { verb: 'accept'; finding: FindingRef; reason?: string }
  | {
      verb: 'ignore';
      target: { kind: 'finding'; finding: FindingRef } | { kind: 'path'; path: string };
      scope?: string;
      durationMs: number;
      durationText: string;
      reason?: string;
    }
  | { verb: 'devops' }
  | { verb: 'remediate'; action: 'list'; scope?: string }
  | { verb: 'remediate'; action: 'show'; plan: string }
  | { verb: 'audit'; scope?: string };

const SCOPE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const FINGERPRINT = /^[A-Za-z0-9_-]{4,128}$/;
const DEFAULT_IGNORE = '7d';

/**
 * Parses the text after `/drift` (or `@driftwatch`) into a typed command. Bad input throws a
 * {@link UsageError} whose message is the short usage line for that verb, written with the
 * chat's `invocation`.
 *
 * @example
 * parseCommand('subscribe prod daily 09:00 tz=Europe/Berlin --min-severity high')
 * // { verb: 'subscribe', scope: 'prod', schedule: 'daily 09:00', timezone: 'Europe/Berlin', … }
 */
export function parseCommand(line: string, options: { invocation?: string } = {}): ChatCommand {
  const invocation = options.invocation ?? DEFAULT_INVOCATION;
  const [first, ...rest] = tokenizeCommand(line.trim());
  if (first === undefined) return { verb: 'help' };
  const verb = first.toLowerCase();
  if (!isVerb(verb)) {
    throw new UsageError(
      'usage.unknown-verb',
      `unknown command "${first}"; try ${invocation} help`,
      {
        details: { verb: first },
      },
    );
  }
  const args = new Args(verb, rest, invocation);
  const command = PARSERS[verb](args);
  args.done();
  return command;
}

const PARSERS: { [V in ChatVerb]: (a: Args) => Extract<ChatCommand, { verb: V }> } = {
  help: (a) => {
    const topic = a.optional()?.toLowerCase();
    if (topic !== undefined && !isVerb(topic)) a.fail(`there is no command "${topic}"`);
    return topic ? { verb: 'help', topic: topic as ChatVerb } : { verb: 'help' };
  },
  scan: (a) => withScope({ verb: 'scan' }, a.scope()),
  status: (a) => {
    const share = a.switch('--share');
    return withScope({ verb: 'status', ...(share ? { share } : {}) }, a.scope());
  },
  history: (a) => withScope({ verb: 'history' }, a.scope()),
  show: (a) => ({ verb: 'show', finding: a.finding() }),
  subscriptions: () => ({ verb: 'subscriptions' }),
  devops: () => ({ verb: 'devops' }),
  audit: (a) => withScope({ verb: 'audit' }, a.scope()),
  remediate: (a) => {
    const action = a.required('list or show').toLowerCase();
    if (action === 'list')
      return withScope({ verb: 'remediate', action: 'list' } as const, a.scope());
    if (action !== 'show') a.fail(`"${action}" is not list or show`);
    return { verb: 'remediate', action: 'show', plan: a.required('a plan id') };
  },
  unsubscribe: (a) => {
    const target = a.required('a scope or "all"');
    if (target.toLowerCase() !== 'all' && !SCOPE.test(target))
      a.fail(`"${target}" is not a scope name`);
    return { verb: 'unsubscribe', scope: target.toLowerCase() === 'all' ? 'all' : target };
  },
  accept: (a) => {
    const finding = a.finding();
    const reason = a.remainder();
    return reason ? { verb: 'accept', finding, reason } : { verb: 'accept', finding };
  },
  subscribe: (a) => {
    const minSeverity = a.flag('--min-severity');
    if (minSeverity !== undefined && !isSeverity(minSeverity)) {
      a.fail(`--min-severity must be one of ${SEVERITIES.join(', ')}`);
    }
    const timezone = a.flag('--tz') ?? a.keyed('tz');
    const allClear = a.switch('--all-clear');
    const scope = a.required('a scope');
    if (!SCOPE.test(scope)) a.fail(`"${scope}" is not a scope name`);
    const schedule = a.remainder();
    return {
      verb: 'subscribe',
      scope,
      allClear,
      ...(schedule ? { schedule } : {}),
      ...(timezone ? { timezone } : {}),
      ...(minSeverity ? { minSeverity: minSeverity as Severity } : {}),
    };
  },
  ignore: (a) => {
    const scope = a.flag('--scope');
    if (scope !== undefined && !SCOPE.test(scope)) a.fail(`"${scope}" is not a scope name`);
    // `for <duration>` counts where the usage puts it (right after the target, or first); a
    // later "for" is part of the reason ("waiting for vendor").
    const needs = `a duration: ${DURATION_FORMS}`;
    const given = [a.flag('--for'), a.keyword('for', needs)];
    const raw = a.required('a finding or a property path');
    given.push(a.keyword('for', needs));
    const durations = given.filter((d): d is string => d !== undefined);
    if (durations.length > 1) a.fail('give the duration once');
    const durationText = durations[0] ?? DEFAULT_IGNORE;
    const durationMs = parseDuration(durationText);
    if (durationMs === undefined) a.fail(`"${durationText}" is not a duration: ${DURATION_FORMS}`);
    const target = /[.[*/]/.test(raw)
      ? ({ kind: 'path', path: raw } as const)
      : ({ kind: 'finding', finding: a.asFinding(raw) } as const);
    const reason = a.remainder();
    return {
      verb: 'ignore',
      target,
      durationMs: durationMs as number,
      durationText,
      ...(scope ? { scope } : {}),
      ...(reason ? { reason } : {}),
    };
  },
};

function withScope<T extends object>(
  command: T,
  scope: string | undefined,
): T & { scope?: string } {
  return scope ? { ...command, scope } : command;
}

function isVerb(value: string): value is ChatVerb {
  return (CHAT_VERBS as readonly string[]).includes(value);
}

/** The words after the verb, consumed by the verb's parser. */
class Args {
  constructor(
    private readonly verb: ChatVerb,
    private tokens: string[],
    private readonly invocation: string,
  ) {}

  fail(problem: string): never {
    throw new UsageError(
      'usage.bad-argument',
      `${problem}. ${usageLine(this.verb, this.invocation)}`,
      {
        details: { verb: this.verb },
      },
    );
  }

  optional(): string | undefined {
    const index = this.tokens.findIndex((t) => !t.startsWith('--'));
    if (index === -1) return undefined;
    const [value] = this.tokens.splice(index, 1);
    return value;
  }

  required(what: string): string {
    return this.optional() ?? this.fail(`missing ${what}`);
  }

  scope(): string | undefined {
    const scope = this.optional();
    if (scope !== undefined && !SCOPE.test(scope)) this.fail(`"${scope}" is not a scope name`);
    return scope;
  }

  finding(): FindingRef {
    return this.asFinding(this.required('a finding id'));
  }

  asFinding(raw: string): FindingRef {
    if (!FINGERPRINT.test(raw))
      this.fail(`"${raw}" is not a finding id (at least 4 letters or digits)`);
    return { fingerprint: raw };
  }

  /** `--name value`, removed from the words. */
  flag(name: string): string | undefined {
    const index = this.tokens.findIndex((t) => t === name || t.startsWith(`${name}=`));
    if (index === -1) return undefined;
    const token = this.tokens[index] as string;
    if (token.includes('=')) {
      this.tokens.splice(index, 1);
      return token.slice(name.length + 1);
    }
    const value = this.tokens[index + 1];
    if (value === undefined || value.startsWith('--')) this.fail(`${name} needs a value`);
    this.tokens.splice(index, 2);
    return value;
  }

  /** `name=value` as one word. */
  keyed(name: string): string | undefined {
    const index = this.tokens.findIndex((t) => t.toLowerCase().startsWith(`${name}=`));
    if (index === -1) return undefined;
    const [token] = this.tokens.splice(index, 1);
    return (token as string).slice(name.length + 1);
  }

  /** A bare `--name`. */
  switch(name: string): boolean {
    const index = this.tokens.indexOf(name);
    if (index === -1) return false;
    this.tokens.splice(index, 1);
    return true;
  }

  /**
   * The word after `keyword` when the keyword is the next positional word (`for 7d`), removed
   * from the words; a keyword with nothing after it fails.
   */
  keyword(keyword: string, what: string): string | undefined {
    const index = this.tokens.findIndex((t) => !t.startsWith('--'));
    if (index === -1 || this.tokens[index]?.toLowerCase() !== keyword) return undefined;
    const value = this.tokens[index + 1];
    if (value === undefined || value.startsWith('--')) this.fail(`"${keyword}" needs ${what}`);
    this.tokens.splice(index, 2);
    return value;
  }

  /** Everything left, as one phrase. */
  remainder(): string | undefined {
    const unknown = this.tokens.find((t) => t.startsWith('--'));
    if (unknown) this.fail(`unknown option ${unknown}`);
    const text = this.tokens.join(' ').trim();
    this.tokens = [];
    return text || undefined;
  }

  done(): void {
    if (this.tokens.length > 0) this.fail(`unexpected "${this.tokens.join(' ')}"`);
  }
}

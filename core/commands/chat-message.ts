import type { Severity } from '../model/severity.js';

/**
 * The neutral message model every command returns. Renderers (Block Kit in `bot/slack`, Adaptive
 * Cards for Teams) turn it into a host's format and enforce that host's limits; core never writes
 * chat markup. Text is plain: renderers escape it. Mentions are the tokens of {@link mentionUser}
 * and {@link mentionGroup}, which each renderer turns into its own mention syntax.
 */
export interface ChatMessage {
  /** `ephemeral`: only the person who asked sees it (usage, permission errors, previews). */
  visibility: 'channel' | 'ephemeral';
  /** Notification and fallback text (one line). */
  text: string;
  /** Short title; Slack caps headers at 150 characters. */
  header?: string;
  /** Overall tone: the most severe finding, `ok` for all-clear, `error` for failures. */
  tone?: ChatTone;
  blocks: ChatBlock[];
  /** Detail that does not belong in the main message (posted in a thread when there is one). */
  thread?: ChatBlock[];
  /** Link to the full report, shown when the full list does not fit. */
  reportUrl?: string;
}

/** How a message or block reads: a severity, all-clear, failure, or plain. */
export type ChatTone = Severity | 'ok' | 'error' | 'neutral';

/** One piece of a message; renderers map each kind to their host's elements. */
export type ChatBlock =
  | { kind: 'text'; text: string; tone?: ChatTone }
  | { kind: 'facts'; facts: ChatFact[] }
  | { kind: 'finding'; finding: ChatFinding }
  | { kind: 'code'; text: string }
  | { kind: 'context'; lines: string[] }
  | { kind: 'divider' };

/** A label and a value (`New since 09:00: 3`). */
export interface ChatFact {
  label: string;
  value: string;
}

/** One finding as chat shows it: what, how bad, who, and the buttons. */
export interface ChatFinding {
  severity: Severity;
  /** Resource name, shown as code. */
  resource: string;
  /** One line: what changed (`SSH open to any source (10.10.0.4/32 → *)`). */
  summary: string;
  /** Further lines: attribution, change count. */
  details: string[];
  actions: ChatAction[];
}

/** A button. `id` is opaque (a short key into the store), never the data itself. */
export interface ChatAction {
  kind: ChatActionKind;
  label: string;
  id: string;
  style?: 'primary' | 'danger';
}

/** Button kinds; hosts map them to their action ids. */
export const CHAT_ACTION_KINDS = ['show-diff', 'accept', 'ignore-7d', 'remediate'] as const;
export type ChatActionKind = (typeof CHAT_ACTION_KINDS)[number];

const MENTION = /\{\{(user|group):([A-Z0-9]+)\}\}/g;

/** A user mention token, e.g. `mentionUser('U024BE7LH')`; renderers turn it into `<@U024BE7LH>`. */
export function mentionUser(id: string): string {
  return `{{user:${id}}}`;
}

/** A user-group mention token; Slack renders it as `<!subteam^S0614TZR7>`. */
export function mentionGroup(id: string): string {
  return `{{group:${id}}}`;
}

/** Replaces mention tokens with what `render` returns for each; used by renderers. */
export function replaceMentions(
  text: string,
  render: (kind: 'user' | 'group', id: string) => string,
): string {
  return text.replace(MENTION, (_m, kind: 'user' | 'group', id: string) => render(kind, id));
}

/** A one-block ephemeral reply. */
export function ephemeral(text: string, tone: ChatTone = 'neutral'): ChatMessage {
  return { visibility: 'ephemeral', text, tone, blocks: [{ kind: 'text', text, tone }] };
}

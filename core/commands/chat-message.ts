import type { Severity } from '../model/severity.js';

/**
 * The neutral message model every command returns. Renderers (Block Kit in `bot/slack`, Adaptive
 * Cards for Teams) turn it into a host's format and enforce that host's limits; core never writes
 * chat markup. Text is plain and is data: renderers escape it and never read mentions out of it
 * (a tag value saying `{{group:S…}}` or `<!channel>` stays text). Mentions are structured
 * elements ({@link ChatMention}, made by {@link mentionUser} and {@link mentionGroup} from the
 * acting user and the config) inside a `rich` block; each renderer turns them into its syntax.
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
  /** Text with mentions: strings are data (escaped), mention elements come from driftwatch. */
  | { kind: 'rich'; parts: readonly ChatInline[]; tone?: ChatTone }
  | { kind: 'facts'; facts: ChatFact[] }
  | { kind: 'finding'; finding: ChatFinding }
  | { kind: 'code'; text: string }
  | { kind: 'context'; lines: string[] }
  /** Buttons that belong to the message rather than to one finding (remediation requests). */
  | { kind: 'actions'; actions: ChatAction[] }
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
  /** Asks "are you sure?" before the click is sent (Slack `confirm`, Teams a dialog). */
  confirm?: ChatConfirm;
}

/** A confirmation dialog: plain-text title (≤ 100), question (≤ 300), two labels (≤ 30). */
export interface ChatConfirm {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

/** Button kinds; hosts map them to their action ids. */
export const CHAT_ACTION_KINDS = [
  'show-diff',
  'accept',
  'ignore-7d',
  'remediate',
  /** Remediation: preview another strategy, request approval, decide, apply. */
  'remediate-strategy',
  'request-approval',
  'approve-plan',
  'reject-plan',
  'apply-plan',
] as const;
export type ChatActionKind = (typeof CHAT_ACTION_KINDS)[number];

/** The buttons of the remediation workflow; the others stand for a chat command. */
export const REMEDIATION_ACTION_KINDS: readonly ChatActionKind[] = [
  'remediate',
  'remediate-strategy',
  'request-approval',
  'approve-plan',
  'reject-plan',
  'apply-plan',
];

/** A mention of a user or user group, made only by driftwatch's own code, never parsed from text. */
export interface ChatMention {
  mention: 'user' | 'group';
  id: string;
}

/** A piece of a `rich` block: plain text (data) or a mention. */
export type ChatInline = string | ChatMention;

/** A user mention, e.g. `mentionUser('U024BE7LH')`; Slack renders it as `<@U024BE7LH>`. */
export function mentionUser(id: string): ChatMention {
  return { mention: 'user', id };
}

/** A user-group mention; Slack renders it as `<!subteam^S0614TZR7>`. */
export function mentionGroup(id: string): ChatMention {
  return { mention: 'group', id };
}

/** Rich text as plain text (notification and fallback text, logs): mentions as `@ID`. */
export function plainText(parts: string | readonly ChatInline[]): string {
  if (typeof parts === 'string') return parts;
  return parts.map((p) => (typeof p === 'string' ? p : `@${p.id}`)).join('');
}

/** A one-block ephemeral reply (rich when it has mentions). */
export function ephemeral(
  text: string | readonly ChatInline[],
  tone: ChatTone = 'neutral',
): ChatMessage {
  return {
    visibility: 'ephemeral',
    text: plainText(text),
    tone,
    blocks: [
      typeof text === 'string' ? { kind: 'text', text, tone } : { kind: 'rich', parts: text, tone },
    ],
  };
}

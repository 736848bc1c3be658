import type { ChatInline, ChatTone } from '../../core/commands/chat-message.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';

const EMOJI: Record<ChatTone, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_blue_circle:',
  info: ':white_circle:',
  ok: ':white_check_mark:',
  error: ':warning:',
  neutral: '',
};

/** The emoji that leads a line of this tone (empty for neutral). */
export function toneEmoji(tone: ChatTone | undefined): string {
  return tone ? EMOJI[tone] : '';
}

/** Slack ids: upper-case letters and digits (`U024BE7LH`, `S0614TZR7`). */
const SLACK_ID = /^[A-Z0-9]+$/;

/**
 * Plain text from core (data) → Slack mrkdwn: secrets masked, then the three control characters
 * Slack asks apps to escape (&, <, >), so no text can become a link, a `<!channel>` or a mention.
 * Mention-like tokens in text stay text: mentions come only from {@link richToMrkdwn}.
 */
export function toMrkdwn(text: string): string {
  return redactSecrets(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A rich line: strings escaped as data, mention elements as `<@U…>` / `<!subteam^S…>`. */
export function richToMrkdwn(parts: readonly ChatInline[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return toMrkdwn(part);
      if (!SLACK_ID.test(part.id)) return toMrkdwn(`@${part.id}`);
      return part.mention === 'user' ? `<@${part.id}>` : `<!subteam^${part.id}>`;
    })
    .join('');
}

/**
 * Text for plain_text fields (headers, button labels): Slack shows them as they are, so only
 * secrets are masked.
 */
export function toPlain(text: string): string {
  return redactSecrets(text);
}

/**
 * The message's top-level `text` (notifications, fallback): Slack parses it like mrkdwn, so it is
 * escaped as data too; a `<!channel>` in it would notify everyone.
 */
export function toFallback(text: string): string {
  return toMrkdwn(text);
}

/** Inline code; backticks inside are replaced so the span cannot break. */
export function code(text: string): string {
  return `\`${toMrkdwn(text).replace(/`/g, "'")}\``;
}

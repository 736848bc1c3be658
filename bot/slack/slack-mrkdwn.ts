import { type ChatTone, replaceMentions } from '../../core/commands/chat-message.js';

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

/**
 * Plain text from core → Slack mrkdwn: escapes the three control characters Slack asks apps to
 * escape (&, <, >), then turns mention tokens into `<@U…>` / `<!subteam^S…>`.
 */
export function toMrkdwn(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return replaceMentions(escaped, (kind, id) =>
    kind === 'user' ? `<@${id}>` : `<!subteam^${id}>`,
  );
}

/** Mentions as plain names for plain_text fields and notification text. */
export function toPlain(text: string): string {
  return replaceMentions(text, (kind, id) => (kind === 'user' ? `@${id}` : `@${id}`));
}

/** Inline code; backticks inside are replaced so the span cannot break. */
export function code(text: string): string {
  return `\`${toMrkdwn(text).replace(/`/g, "'")}\``;
}

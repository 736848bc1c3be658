import { redactSecrets } from '../../core/redact/redact-secrets.js';

/**
 * Characters that start markup in an Adaptive Card TextBlock as Teams renders it: the CommonMark
 * subset (bold `**`, italic `_`, lists, links `[t](u)`; learn.microsoft.com "Text features"),
 * what Teams adds (`~` strike, backtick code, `<at>…</at>` mentions matched against the card's
 * mention entities), HTML entities (`&lt;`), and the `{{DATE(…)}}` / `{{TIME(…)}}` functions.
 * Each gets a CommonMark backslash escape, which renders the character itself. `<` and `>` are
 * both escaped so no `<at>` survives as a literal substring for the mention matcher.
 */
const INLINE = /[\\*_~`[\]()<>{}&|!#]/g;
/** At a line start: list markers (`- `, `+ `), numbered lists (`1. `, `1) `), quotes. */
const LINE_START = /^([ \t]*)([-+=]|\d+(?=[.)](\s|$)))/gm;

/**
 * Plain text from core (data: Azure values, names, tags) → TextBlock markdown that shows exactly
 * that text and nothing else: secrets masked first, then every markup character escaped, URLs
 * broken at `://` so no client turns them into links, and carriage returns dropped (Teams reads
 * `\r` as a line break in lists). Newlines stay line breaks; for one-line fields use
 * {@link cardInline}.
 *
 * @example
 * cardText('[x](http://evil) **b**') // '\\[x\\]\\(http\\://evil\\) \\*\\*b\\*\\*'
 */
export function cardText(text: string): string {
  return redactSecrets(text)
    .replace(/\r\n?/g, '\n')
    .replace(INLINE, '\\$&')
    .replace(/:\/\//g, '\\://')
    .replace(LINE_START, (_all, space: string, marker: string) =>
      /\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
    );
}

/** One-line text (a fact, a finding's summary): line breaks become spaces, then {@link cardText}. */
export function cardInline(text: string): string {
  return cardText(text.replace(/[\r\n\u2028\u2029]+/g, ' '));
}

/**
 * Text for fields Teams shows as they are (action titles, card fallback text): only secrets are
 * masked and line breaks flattened.
 */
export function cardPlain(text: string): string {
  return redactSecrets(text).replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Cuts `text` to `max` characters, marking the cut with an ellipsis (never inside an escape). */
export function truncateCard(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // A trailing lone backslash would escape the ellipsis; drop it.
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}

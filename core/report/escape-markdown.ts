import { escapeControl } from './escape-terminal.js';

/**
 * Text from data as inert Markdown, for a paragraph or a table cell: one line, control
 * characters visible, and every character that could open a link, image, HTML tag, code span,
 * emphasis or a new table cell escaped. Works for GitHub, Azure DevOps and CommonMark renderers.
 *
 * @example
 * mdText('x | <img src=y> [a](b)') // 'x \\| &lt;img src=y&gt; \\[a\\](b)'
 */
export function mdText(text: string): string {
  return escapeControl(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#!]/g, (ch) => `\\${ch}`);
}

/**
 * Text from data as an inline code span in a table cell: backticks cannot close it (they become
 * `'`), and `|` is escaped because GFM splits cells before it parses code.
 */
export function mdCode(text: string): string {
  const inner = escapeControl(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|');
  return inner.trim() === '' ? "`''`" : `\`${inner}\``;
}

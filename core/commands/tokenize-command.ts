import { UsageError } from '../errors.js';

// Slack and Teams turn typed quotes into typographic ones; accept both kinds.
const OPEN_TO_CLOSE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/**
 * Splits a command line into words, keeping quoted phrases together.
 *
 * @example
 * tokenizeCommand('accept 7f3a "planned change"') // ['accept', '7f3a', 'planned change']
 */
export function tokenizeCommand(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const close = OPEN_TO_CLOSE[ch];
    if (close) {
      const end = line.indexOf(close, i + 1);
      if (end === -1) {
        throw new UsageError(
          'usage.unclosed-quote',
          `a quote opened at character ${i + 1} is never closed`,
        );
      }
      tokens.push(line.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < line.length && !/\s/.test(line[end] as string)) end += 1;
    tokens.push(line.slice(i, end));
    i = end;
  }
  return tokens;
}

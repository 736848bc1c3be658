import { InputError } from '../errors.js';
import { findJsonErrorOffset } from './find-json-error.js';

/**
 * `JSON.parse` whose error names the file, line and column (V8 reports only a character
 * position, and only in some messages).
 */
export function parseJsonLocated(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const at = position === undefined ? findJsonErrorOffset(text) : Number(position);
    const { line, column } = lineColumn(text, at);
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '');
    throw new InputError(
      'input.malformed-json',
      `${source}:${line}:${column}: malformed JSON (${reason})`,
      {
        details: { source, line, column },
      },
    );
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

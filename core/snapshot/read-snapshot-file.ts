import { InputError } from '../errors.js';
import type { Snapshot } from '../model/resource.js';
import { checkNestingDepth } from './check-nesting-depth.js';
import { parseJsonLocated } from './parse-json-located.js';
import { readInputText } from './read-input-text.js';
import { type InputShape, toSnapshot } from './to-snapshot.js';

/**
 * Most bytes read from one snapshot file (counted as read, so a pipe or `/dev/zero` stops here
 * too). V8 strings stop at ~512 MiB, and a parsed tree is several times its text; past this we
 * fail with a clear message instead of exhausting memory.
 */
export const MAX_INPUT_BYTES = 400 * 1024 * 1024;

/**
 * Reads a snapshot from any accepted file shape: UTF-8 (a byte order mark is fine), at most
 * {@link MAX_INPUT_BYTES} read, nested at most `MAX_NESTING_DEPTH` levels.
 *
 * @example
 * const { snapshot } = readSnapshotFile('baseline.json');
 */
export function readSnapshotFile(
  file: string,
  options: { maxBytes?: number } = {},
): { snapshot: Snapshot; shape: InputShape } {
  const value = readJson(file, options.maxBytes ?? MAX_INPUT_BYTES);
  checkNestingDepth(value, file);
  return toSnapshot(value, file);
}

/** The parsed document; its text (hundreds of MiB) is garbage once this returns. */
function readJson(file: string, maxBytes: number): unknown {
  const text = readInputText(file, {
    maxBytes,
    limitHint: 'split the scope or collect with `driftwatch scan`',
  });
  if (text.trim() === '')
    throw new InputError('input.empty', `${file}: file is empty, expected JSON`);
  return parseJsonLocated(text, file);
}

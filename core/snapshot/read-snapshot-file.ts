import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Snapshot } from '../model/resource.js';
import { parseJsonLocated } from './parse-json-located.js';
import { type InputShape, toSnapshot } from './to-snapshot.js';

/**
 * Largest file read whole. V8 strings stop at ~512 MiB, and a parsed tree is several times its
 * text; past this we fail at once with a clear message instead of exhausting memory.
 */
export const MAX_INPUT_BYTES = 400 * 1024 * 1024;

/**
 * Reads a snapshot from any accepted file shape.
 *
 * @example
 * const { snapshot } = readSnapshotFile('baseline.json');
 */
export function readSnapshotFile(
  file: string,
  options: { maxBytes?: number } = {},
): { snapshot: Snapshot; shape: InputShape } {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory())
      throw new InputError('input.unreadable', `${file}: is a directory, expected a JSON file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw unreadable(file, error);
  }
  if (size > maxBytes) {
    throw new InputError(
      'input.too-large',
      `${file}: ${formatMiB(size)} is larger than the ${formatMiB(maxBytes)} driftwatch reads in one file; split the scope or collect with \`driftwatch scan\``,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
  if (text.trim() === '')
    throw new InputError('input.empty', `${file}: file is empty, expected JSON`);
  return toSnapshot(parseJsonLocated(text, file), file);
}

function unreadable(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : (error as Error).message;
  return new InputError('input.unreadable', `${file}: cannot read (${reason})`, { cause: error });
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

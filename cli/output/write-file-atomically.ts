import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';

/**
 * Writes a sibling temp file, then renames it over `file`: a reader never sees half a file, and
 * a failed write leaves what was there. An unwritable path is one clear error naming `--out`.
 */
export function writeFileAtomically(file: string, text: string, flag = '--out'): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new InputError(
      'input.unwritable',
      `${flag} ${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
}

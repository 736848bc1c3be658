import { closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../errors.js';

/**
 * Makes sure the embedded store's file can be opened: creates missing folders one at a time
 * (mode 0700) and a new store file with mode 0600, since it holds the estate's configuration.
 * Node's `mkdirSync(…, { recursive: true })` loops for ever under `/proc` (mkdir there fails with
 * ENOENT, which the recursive walk takes as "create the parent first"), so the walk is ours:
 * find the nearest existing ancestor, then create each missing folder once, and any refusal is
 * one StoreError naming the store path.
 *
 * @example
 * prepareStoreFile('/srv/driftwatch/.driftwatch/store.sqlite');
 */
export function prepareStoreFile(file: string): void {
  const missing: string[] = [];
  let folder = dirname(file);
  let found = statSync(folder, { throwIfNoEntry: false });
  while (!found && dirname(folder) !== folder) {
    missing.unshift(folder);
    folder = dirname(folder);
    found = statSync(folder, { throwIfNoEntry: false });
  }
  if (found && !found.isDirectory()) {
    throw unavailable(file, `${folder} is not a folder`);
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw unavailable(file, `cannot create the folder ${dir} (${codeOf(error)})`, error);
    }
  }
  const existing = statSync(file, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    throw new StoreError(
      'store.not-a-database',
      `the store path ${file} is not a file; set store.path (or DRIFTWATCH_STORE) to a new file or an existing driftwatch store`,
      { details: { path: file } },
    );
  }
  if (existing) return;
  try {
    // O_EXCL: if another process creates it first, theirs is the store (EEXIST is success).
    closeSync(openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR, 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw unavailable(file, `cannot create the file (${codeOf(error)})`, error);
    }
  }
}

function unavailable(file: string, why: string, cause?: unknown): StoreError {
  return new StoreError('store.unavailable', `cannot open the store at ${file}: ${why}`, {
    ...(cause === undefined ? {} : { cause }),
    details: { path: file },
  });
}

function codeOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message;
}

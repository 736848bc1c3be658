import type { Writable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import type { LoadedConfig } from '../core/config/load-config.js';
import type { DriftStore } from '../core/store/drift-store.js';

/** A terminal stream, as much of it as the CLI uses. */
export type TerminalStream = Writable & { isTTY?: boolean; columns?: number };

/** Everything a command needs from the outside world, injected so tests need no patching. */
export interface CliContext {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TerminalStream;
  stderr: TerminalStream;
  clock: Clock;
  /** Aborted on Ctrl-C: long operations stop and leave the store as it was. */
  signal: AbortSignal;
  /** Loads and validates configuration (honouring `--config FILE`), once per run. */
  config(file?: string): LoadedConfig;
  /** Opens the store named by configuration (Redis when REDIS_URL is set, else SQLite). */
  store(loaded: LoadedConfig): Promise<DriftStore>;
}

/**
 * Process exit codes, documented in README. When several apply, the first wins: error, drift at
 * or above `--fail-on`, incomplete (part of the scope could not be read), ok.
 */
export const EXIT = { ok: 0, error: 1, drift: 2, incomplete: 3 } as const;

import { Command, CommanderError } from 'commander';
import { systemClock } from '../core/clock.js';
import { loadConfig } from '../core/config/load-config.js';
import { isDriftwatchError } from '../core/errors.js';
import { describeError } from '../core/redact/redact-secrets.js';
import { type CliContext, EXIT, type TerminalStream } from './cli-context.js';
import { COMMANDS } from './commands/index.js';

/** What the bin passes in: the process's streams and environment. */
export interface MainIo {
  env: Record<string, string | undefined>;
  stdout: TerminalStream;
  stderr: TerminalStream;
  cwd: string;
  signal?: AbortSignal;
}

/**
 * Runs the CLI and returns the exit code: 0 clean, 2 drift at or above the threshold, 3 incomplete
 * (part of the scope could not be read), 1 error — the first that applies in the order 1, 2, 3, 0.
 */
export async function main(argv: string[], io: MainIo): Promise<number> {
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('interrupted'));
  if (!io.signal) process.once('SIGINT', onSigint);
  const ctx = createContext(io, io.signal ?? abort.signal);
  let exitCode: number = EXIT.ok;
  const program = new Command('driftwatch')
    .description(
      'Find configuration drift in Azure estates, say who caused it, and gate deployments.',
    )
    .version(VERSION, '-V, --version')
    // `driftwatch --version` only before a command: `baseline restore --version 3` is the command's.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s),
    })
    .exitOverride();
  const setExit = (code: number) => {
    exitCode = code;
  };
  for (const register of COMMANDS) register(program, ctx, setExit);
  program.commands.forEach((c) => {
    c.exitOverride();
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are normal exits.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    io.stderr.write(`driftwatch: ${formatFailure(error)}\n`);
    return EXIT.error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** One line for the person at the terminal: the coded error's message, or the cause. */
export function formatFailure(error: unknown): string {
  if (isDriftwatchError(error)) return describeError(error);
  return `unexpected error: ${describeError(error)}`;
}

const EXIT_CODES_HELP = `
Exit codes (the first that applies, in this order):
  ${EXIT.error}  error: bad flag or file, invalid config, unreachable store, refused credential,
     untrusted TLS certificate, or a scope of which nothing could be read
  ${EXIT.drift}  drift at or above --fail-on
  ${EXIT.incomplete}  incomplete: part of the scope could not be read (not an all-clear;
     --allow-incomplete makes it 0)
  ${EXIT.ok}  clean
`;

// Replaced at build time by esbuild (`define`), read from package.json.
declare const __DRIFTWATCH_VERSION__: string | undefined;
const VERSION = typeof __DRIFTWATCH_VERSION__ === 'string' ? __DRIFTWATCH_VERSION__ : '0.0.0-dev';

function createContext(io: MainIo, signal: AbortSignal): CliContext {
  const loaded = new Map<string, ReturnType<typeof loadConfig>>();
  return {
    env: io.env,
    cwd: io.cwd,
    stdout: io.stdout,
    stderr: io.stderr,
    clock: systemClock,
    signal,
    config(file) {
      const key = file ?? '';
      let config = loaded.get(key);
      if (!config) {
        config = loadConfig({ cwd: io.cwd, env: io.env, ...(file ? { file } : {}) });
        loaded.set(key, config);
      }
      return config;
    },
    async store({ config }) {
      const { redisUrl, path, retention } = config.store;
      // Loaded on first use: `diff` and `--version` never open a store.
      const { openStore } = await import('../core/store/open-store.js');
      return openStore({
        cwd: io.cwd,
        ...(redisUrl ? { redisUrl } : {}),
        ...(path ? { path } : {}),
        ...(retention ? { retention } : {}),
      });
    },
  };
}

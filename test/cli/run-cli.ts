import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../support/requirements.js';

export const BIN = resolve(PROJECT_ROOT, 'bin/driftwatch.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, in `cwd`, with a clean environment plus `env`. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): CliResult {
  const child = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, USER: 'tester', ...options.env },
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** Starts the CLI without waiting (for interrupting it). */
export function startCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, USER: 'tester', ...options.env },
    stdio: 'pipe',
  });
}

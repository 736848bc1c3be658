import { type ChildProcess, spawn } from 'node:child_process';

/** What a finished child process said. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a bundled script (see `buildTestChild`) as its own Node process, collecting its output;
 * `proc` is there to kill it mid-way, `done` settles when it has closed.
 */
export function spawnChild(
  script: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): { proc: ChildProcess; done: Promise<ChildRun> } {
  const proc = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (c) => {
    stdout += c;
  });
  proc.stderr?.on('data', (c) => {
    stderr += c;
  });
  const done = new Promise<ChildRun>((resolve) => {
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { proc, done };
}

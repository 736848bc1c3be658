import { spawn } from 'node:child_process';

/**
 * Starts one Node process per run (`node <script> ...args`), each of which prints `ready`, waits
 * for `go` on stdin, then prints one JSON result and exits 0. Once every process is ready, tells
 * them all to go at once, so their work overlaps; resolves with their results in run order.
 * A process that fails before it is ready fails the call instead of hanging it.
 */
export async function runTogether<T>(
  script: string,
  runs: Array<{ args?: string[]; env?: NodeJS.ProcessEnv }>,
  what: string,
): Promise<T[]> {
  const started = runs.map(({ args = [], env }) => {
    const proc = spawn(process.execPath, [script, ...args], {
      ...(env ? { env } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const ready = new Promise<void>((done) => {
      proc.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.startsWith('ready\n')) done();
      });
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const finished = new Promise<T>((done, fail) => {
      proc.on('close', (code) =>
        code === 0
          ? done(JSON.parse(stdout.slice('ready\n'.length)) as T)
          : fail(new Error(`${what} exited ${code}: ${stderr}`)),
      );
    });
    return { proc, ready: Promise.race([ready, finished.then(() => undefined)]), finished };
  });
  await Promise.all(started.map((s) => s.ready));
  for (const { proc } of started) proc.stdin.write('go\n');
  return Promise.all(started.map((s) => s.finished));
}

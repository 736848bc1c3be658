import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A worker process of the soak and what it said (JSON lines on stdout). */
export interface SoakWorker {
  proc: ChildProcess;
  events: Array<{ kind?: string; key?: string; maxRss?: number; [field: string]: unknown }>;
  exited: Promise<void>;
}

/**
 * Starts `node <bundle> <mode>` (default `worker`) and resolves once it says it is ready (default:
 * a `{ kind: 'ready' }` line). Lines that are not JSON are kept as `{ kind: 'text', text }`.
 */
export async function startSoakWorker(
  env: NodeJS.ProcessEnv,
  options: {
    mode?: string;
    cwd?: string;
    ready?: (event: SoakWorker['events'][number]) => boolean;
    readyTimeoutMs?: number;
  } = {},
): Promise<SoakWorker> {
  const proc = spawn(process.execPath, [process.argv[1] as string, options.mode ?? 'worker'], {
    env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const worker: SoakWorker = {
    proc,
    events: [],
    exited: new Promise((done) => proc.on('close', () => done())),
  };
  let buffer = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        worker.events.push(JSON.parse(line));
      } catch {
        worker.events.push({ kind: 'text', text: line });
      }
    }
  });
  const ready = options.ready ?? ((e) => e.kind === 'ready');
  await until(() => worker.events.some(ready), options.readyTimeoutMs ?? 60_000);
  return worker;
}

/** Stops a worker and returns its peak RSS (bytes), if it could say. */
export async function stopSoakWorker(worker: SoakWorker): Promise<number | undefined> {
  if (worker.proc.exitCode === null && worker.proc.signalCode === null) worker.proc.kill('SIGTERM');
  await worker.exited;
  return worker.events.find((e) => e.kind === 'rss')?.maxRss;
}

/**
 * Peak resident memory of a running process so far (Linux `VmHWM`, bytes), or undefined once it
 * has exited: sampled while it runs, it also covers a process that is later SIGKILLed.
 */
export function peakRssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('soak: condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

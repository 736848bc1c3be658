import { type ChildProcess, spawn } from 'node:child_process';

/** A worker process of the soak and what it said (JSON lines on stdout). */
export interface SoakWorker {
  proc: ChildProcess;
  events: Array<{ kind: string; key?: string; maxRss?: number }>;
  exited: Promise<void>;
}

/** Starts `node <bundle> worker` and resolves once it takes jobs. */
export async function startSoakWorker(env: NodeJS.ProcessEnv): Promise<SoakWorker> {
  const proc = spawn(process.execPath, [process.argv[1] as string, 'worker'], {
    env,
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
    for (const line of lines) if (line.trim()) worker.events.push(JSON.parse(line));
  });
  await until(() => worker.events.some((e) => e.kind === 'ready'), 60_000);
  return worker;
}

/** Stops a worker and returns its peak RSS (bytes), if it could say. */
export async function stopSoakWorker(worker: SoakWorker): Promise<number | undefined> {
  if (worker.proc.exitCode === null && worker.proc.signalCode === null) worker.proc.kill('SIGTERM');
  await worker.exited;
  return worker.events.find((e) => e.kind === 'rss')?.maxRss;
}

export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('soak: condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

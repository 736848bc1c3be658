import { PROJECT_ROOT, REDIS_URL } from '../support/requirements.js';
import { spawnChild } from '../support/spawn-child.js';

/** A line test/scan/shard-worker-child.ts prints on stdout for each thing its worker does. */
export interface ShardEvent {
  kind: 'ready' | 'start' | 'done' | 'failed';
  jobId?: string;
  key?: string;
}

/** A shard worker process and the events it has printed so far. */
export type ShardWorkerProcess = ReturnType<typeof spawnChild> & { events: ShardEvent[] };

/**
 * Starts the built shard worker child on the queue `prefix`, pointed at the ARM simulator, and
 * waits until it is taking jobs. It joins `workers` before it is ready, so a test's cleanup
 * stops it even when it never gets there.
 */
export async function startShardWorkerProcess(
  script: string,
  input: {
    sim: { url: string; caPem: string; tenantId: string };
    prefix: string;
    env?: Record<string, string>;
  },
  workers: ShardWorkerProcess[],
): Promise<ShardWorkerProcess> {
  const child = spawnChild(script, [], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      SIM_URL: input.sim.url,
      SIM_CA_PEM: input.sim.caPem,
      SIM_TENANT: input.sim.tenantId,
      REDIS_URL,
      QUEUE_PREFIX: input.prefix,
      ...input.env,
    },
  });
  const worker = { ...child, events: [] as ShardEvent[] };
  let buffer = '';
  child.proc.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) worker.events.push(JSON.parse(line) as ShardEvent);
  });
  workers.push(worker);
  await until(() => worker.events.some((e) => e.kind === 'ready'), 30_000);
  return worker;
}

/** Stops (SIGTERM) every worker still running and waits for all of them; empties `workers`. */
export async function stopShardWorkerProcesses(workers: ShardWorkerProcess[]): Promise<void> {
  for (const w of workers.splice(0)) {
    if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGTERM');
    await w.done;
  }
}

/** Polls `check` every 25 ms until it holds; throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import type { SoakSimOp } from './run-soak-sim.js';

/** The soak's simulator process, seen from the coordinator. */
export interface SoakSim {
  url: string;
  caPem: string;
  tenantId: string;
  proc: ChildProcess;
  ask<T>(op: SoakSimOp): Promise<T>;
  close(): Promise<void>;
}

/** Starts `node <bundle> sim` (see run-soak-sim.ts) and resolves once it serves. */
export async function startSoakSim(env: NodeJS.ProcessEnv): Promise<SoakSim> {
  const proc = spawn(process.execPath, [process.argv[1] as string, 'sim'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (body: unknown) => void>();
  let next = 0;
  // 'exit', not 'close': a child whose IPC channel was disconnected never emits 'close'.
  const exited = new Promise<void>((done) => proc.on('exit', () => done()));
  let closing = false;
  // A simulator gone mid-soak fails the soak loudly instead of leaving its questions unanswered.
  proc.on('exit', (code, signal) => {
    if (closing) return;
    process.stderr.write(`soak: the simulator process exited (${signal ?? code})\n`);
    process.exit(1);
  });
  const ready = new Promise<{ url: string; caPem: string; tenantId: string }>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`soak: the simulator exited (${code})`)));
    proc.on('message', (message: { id?: number; kind?: string }) => {
      if (message.kind === 'ready') return resolve(message as never);
      const done = waiting.get(message.id as number);
      waiting.delete(message.id as number);
      done?.(message);
    });
  });
  const { url, caPem, tenantId } = await ready;
  return {
    url,
    caPem,
    tenantId,
    proc,
    ask<T>(op: SoakSimOp) {
      const id = next++;
      return new Promise<T>((resolve) => {
        waiting.set(id, resolve as (body: unknown) => void);
        proc.send({ id, ...op });
      });
    },
    async close() {
      closing = true;
      proc.disconnect();
      await exited;
    },
  };
}

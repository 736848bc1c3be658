import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** Whether tests can start a Redis of their own (Debian's redis-server package). */
export const redisServerPresent = existsSync(REDIS_SERVER);

/** A redis-server of a test or bench's own, on its own port, that it may stop and start. */
export interface PrivateRedis {
  url: string;
  port: number;
  /**
   * An outage: `SHUTDOWN SAVE`, as a restarting managed Redis does (clients see their connections
   * close, then refused), keeping its data in the private dump so `start` brings it back.
   */
  stop(): Promise<void>;
  /** Starts it again on the same port, loading what `stop` saved. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
}

/**
 * Starts `/usr/bin/redis-server` (or REDIS_SERVER) on the first free port from `fromPort`, without
 * persistence of its own (`--save "" --appendonly no`): the machine's shared Redis at 6379 must
 * never be stopped by a test.
 */
export async function startPrivateRedis(
  options: { fromPort?: number } = {},
): Promise<PrivateRedis> {
  const port = await freePort(options.fromPort ?? 6391);
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--loglevel',
    'warning',
  ];
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const child = spawn(REDIS_SERVER, args, {
      stdio: 'ignore',
    });
    proc = child;
    exited = new Promise((done) => child.on('exit', () => done()));
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await command(port, 'SHUTDOWN SAVE');
      await exited;
    },
    start,
    async close() {
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free && !(await answersPing(port))) return port;
  }
  throw new Error(`no free port for a private redis-server from ${from}`);
}

async function answersPing(port: number): Promise<boolean> {
  return (await command(port, 'PING').catch(() => '')).startsWith('+PONG');
}

/** Sends one inline command and resolves with the first reply (or '' once the server closes). */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) socket.end();
    });
    socket.once('close', () => resolve(reply));
    socket.once('connect', () => socket.write(`${line}\r\n`));
  });
}

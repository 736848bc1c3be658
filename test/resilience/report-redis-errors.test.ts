import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { reportRedisErrors } from '../../core/resilience/report-redis-errors.js';

/** A loopback port nothing listens on: a Redis that is away. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('reportRedisErrors', () => {
  it('says a Redis that stays away once while ioredis keeps reconnecting', async () => {
    const port = await closedPort();
    const redis = new Redis(`redis://:hunter2-secret@127.0.0.1:${port}`, {
      maxRetriesPerRequest: null,
      retryStrategy: () => 100,
    });
    let errors = 0;
    redis.on('error', () => {
      errors += 1;
    });
    const lines: string[] = [];
    reportRedisErrors([redis], { purpose: 'shard queue', report: (line) => lines.push(line) });

    await new Promise((r) => setTimeout(r, 1_500));
    redis.disconnect();

    expect(errors).toBeGreaterThanOrEqual(3);
    expect(lines).toEqual([
      `driftwatch: Redis (shard queue): connect ECONNREFUSED 127.0.0.1:${port} (retrying; repeated at most once a minute)`,
    ]);
  });

  it('says the same error again once the quiet period has passed, a different error at once, and never a password', () => {
    const listeners: ((error: Error) => void)[] = [];
    const emitter = { on: (_: 'error', l: (error: Error) => void) => listeners.push(l) };
    let now = 0;
    const lines: string[] = [];
    reportRedisErrors([emitter], {
      purpose: 'summary schedules',
      report: (line) => lines.push(line),
      quietMs: 60_000,
      now: () => now,
    });
    const emit = (message: string) => {
      for (const l of listeners) l(new Error(message));
    };

    emit('Missing lock for job 7. moveToFinished');
    emit('cannot connect to redis://:hunter2-secret@10.0.0.5:6379');
    now = 59_999;
    emit('Missing lock for job 7. moveToFinished');
    emit('Connection is closed.');
    now = 60_000;
    emit('Missing lock for job 7. moveToFinished');

    expect(lines).toEqual([
      'driftwatch: Redis (summary schedules): Missing lock for job 7. moveToFinished (retrying; repeated at most once a minute)',
      'driftwatch: Redis (summary schedules): cannot connect to redis://:***@10.0.0.5:6379 (retrying; repeated at most once a minute)',
      'driftwatch: Redis (summary schedules): Connection is closed (retrying; repeated at most once a minute)',
      'driftwatch: Redis (summary schedules): Missing lock for job 7. moveToFinished (retrying; repeated at most once a minute)',
    ]);
  });
});

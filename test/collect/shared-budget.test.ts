import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisBudget } from '../../core/collect/shared-budget.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('createRedisBudget (ARM reads)', () => {
  const connections: Redis[] = [];
  afterEach(() => {
    for (const c of connections.splice(0)) c.disconnect();
  });

  /** A connected Redis connection that counts the commands it sends from now on. */
  async function counted() {
    const redis = new Redis(REDIS_URL);
    connections.push(redis);
    // Connected first: ioredis passes commands asked before then through sendCommand twice.
    await redis.ping();
    const sent: string[] = [];
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = ((command: { name: string }) => {
      sent.push(command.name);
      return send(command as never);
    }) as typeof redis.sendCommand;
    return { redis, sent };
  }

  it('lets the burst through at once, then one take per refill interval, in the order asked', async () => {
    const { redis } = await counted();
    const budget = createRedisBudget({
      redis,
      principal: 'p',
      prefix: `test-budget-${randomUUID()}`,
      armReads: { burst: 5, refillPerSecond: 50 },
    });
    const started = performance.now();

    const granted: Array<{ i: number; at: number; waited: number }> = [];
    await Promise.all(
      Array.from({ length: 15 }, async (_, i) => {
        const waited = await budget.take('arm', 'sub-a');
        granted.push({ i, at: performance.now() - started, waited });
      }),
    );

    const waits = granted.sort((a, b) => a.i - b.i).map((g) => g.waited);
    // Five from the burst; then the k-th beyond it waits for k tokens at 20 ms each.
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    for (const [k, wait] of waits.slice(5).entries()) {
      expect(wait).toBeGreaterThanOrEqual(20 * (k + 1) - 15);
      expect(wait).toBeLessThanOrEqual(20 * (k + 1) + 5);
    }
    const last = Math.max(...granted.map((g) => g.at));
    expect(last).toBeGreaterThanOrEqual(190);
  });

  it('asks Redis once per take however long it waits, and by SHA once the script is loaded', async () => {
    const { redis, sent } = await counted();
    const budget = createRedisBudget({
      redis,
      principal: 'p',
      prefix: `test-budget-${randomUUID()}`,
      armReads: { burst: 2, refillPerSecond: 100 },
    });

    await Promise.all(Array.from({ length: 12 }, () => budget.take('arm', 'sub-a')));

    const scripts = sent.filter((name) => name === 'evalsha' || name === 'eval');
    // At most one EVAL (loading the script into a Redis that had not seen it), the rest EVALSHA.
    expect(scripts.length).toBe(12 + scripts.filter((n) => n === 'eval').length);
    expect(scripts.filter((n) => n === 'eval').length).toBeLessThanOrEqual(1);
  });

  it('never grants two budgets on separate connections more than burst + refill', async () => {
    const prefix = `test-budget-${randomUUID()}`;
    const shape = { burst: 4, refillPerSecond: 100 };
    const budgets = (await Promise.all([counted(), counted()])).map(({ redis }) =>
      createRedisBudget({ redis, principal: 'p', prefix, armReads: shape }),
    );
    const started = performance.now();

    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        await (budgets[i % 2] as (typeof budgets)[number]).take('arm', 'SUB-A');
        at.push(performance.now() - started);
      }),
    );

    // 24 takes from a bucket of 4 refilled at 100/s: the last cannot come before 200 ms.
    expect(Math.max(...at)).toBeGreaterThanOrEqual(195);
    expect(at.filter((t) => t < 15).length).toBeLessThanOrEqual(5);
  });

  it('rejects a waiting take with the abort reason, and the next take still waits its turn', async () => {
    const { redis } = await counted();
    const budget = createRedisBudget({
      redis,
      principal: 'p',
      prefix: `test-budget-${randomUUID()}`,
      armReads: { burst: 1, refillPerSecond: 10 },
    });
    await budget.take('arm', 'sub-a');
    const controller = new AbortController();

    const waiting = budget.take('arm', 'sub-a', controller.signal);
    setTimeout(() => controller.abort(new Error('scan cancelled')), 20);

    await expect(waiting).rejects.toThrow('scan cancelled');
    // The aborted take's token stays reserved (unused: the safe side); the next is behind it.
    const next = await budget.take('arm', 'sub-a');
    expect(next).toBeGreaterThanOrEqual(100);
  });
});

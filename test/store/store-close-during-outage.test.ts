import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/open-store.js';
import {
  type PrivateRedis,
  redisServerPresent,
  startPrivateRedis,
} from '../support/private-redis.js';

/**
 * A bot replica told to stop while Redis is away must stop: the Redis client reconnects for as
 * long as the process runs, so a polite QUIT would wait for a server that may never return.
 */
describe.skipIf(!redisServerPresent)('closing the Redis store while Redis is down', () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis({ fromPort: 6461 });
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('returns within a second instead of waiting for the reconnect, failing the call still waiting', async () => {
    const store = await openStore({ redisUrl: redis.url, namespace: 'close-outage' });
    const kv = store.keyValue<string>('close-test');
    await kv.set('before', 'kept');
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    const waiting = kv.set('during', 'lost').then(
      () => 'written',
      () => 'failed',
    );

    const started = Date.now();
    await store.close();

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await waiting).toBe('failed');
    await redis.start();
  }, 30_000);

  it('still quits politely when Redis answers, so what was written is kept', async () => {
    const store = await openStore({ redisUrl: redis.url, namespace: 'close-outage' });
    await store.keyValue<string>('close-test').set('polite', 'yes');
    await store.close();

    const reopened = await openStore({ redisUrl: redis.url, namespace: 'close-outage' });
    expect(await reopened.keyValue<string>('close-test').get('polite')).toBe('yes');
    await reopened.close();
  }, 30_000);
});

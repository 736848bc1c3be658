import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeReadiness } from '../../bot/store-readiness.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import {
  type PrivateRedis,
  redisServerPresent,
  startPrivateRedis,
} from '../support/private-redis.js';

describe.skipIf(!redisServerPresent)("/readyz's store check", () => {
  let redis: PrivateRedis;
  let store: DriftStore;

  beforeAll(async () => {
    redis = await startPrivateRedis({ fromPort: 6491 });
    store = await openStore({ redisUrl: redis.url, namespace: 'readiness' });
  });
  afterAll(async () => {
    await store?.close();
    await redis?.close();
  });

  it('is ready while Redis answers, and says why not within its deadline while Redis is away', async () => {
    const check = storeReadiness(store, 300);
    expect(await check()).toEqual({ ok: true });

    await redis.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    const started = Date.now();
    const away = await check().then(
      () => 'ready',
      (error: Error) => error.message,
    );

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(away).toBe(
      'the store cannot be reached, so the bot cannot serve commands: it did not answer within 0.3 s',
    );
    await redis.start();
  }, 30_000);
});

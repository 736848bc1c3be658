import type KeyvRedis from '@keyv/redis';
import type Keyv from 'keyv';
import { createRedisStoreBackend } from './redis-store-backend.js';
import type { StoreBackend } from './store-backend.js';

/**
 * The Redis backend on the connection keyv's Redis adapter already holds: one connection per
 * store, one reconnect policy, and the same namespace as keyv's keys (`<namespace>:…` beside
 * keyv's `<namespace>::…`). Closing the keyv closes it.
 *
 * @example
 * const backend = await openKeyvRedisBackend(keyv, 'driftwatch');
 */
export async function openKeyvRedisBackend(keyv: Keyv, namespace: string): Promise<StoreBackend> {
  const client = await (keyv.store as KeyvRedis<unknown>).getClient();
  return createRedisStoreBackend({
    prefix: namespace,
    eval: (script, keys, args) => client.eval(script, { keys, arguments: args }),
  });
}

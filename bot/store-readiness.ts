import { awaitStoreAnswer } from '../core/store/await-store-answer.js';
import type { DriftStore } from '../core/store/drift-store.js';
import type { ReadinessCheck } from './health-routes.js';

/**
 * `/readyz`'s store check: ready when the store answers a read within `ms` (default 2 s). A Redis
 * store that lost its server waits for the reconnect, so without the deadline the probe itself
 * hung until Redis was back instead of answering 503 with the reason.
 */
export function storeReadiness(store: DriftStore, ms = 2_000): ReadinessCheck {
  return async () => {
    await awaitStoreAnswer(() => store.listBaselines(), ms, 'the bot cannot serve commands');
    return { ok: true };
  };
}

import { randomBytes } from 'node:crypto';
import type { DriftStore } from '../store/drift-store.js';
import { createSecretHasher, type SecretHasher } from './secret-marker.js';

/** Store area and key of the per-store HMAC key. */
export const SECRET_KEY_AREA = 'secrets';
export const SECRET_KEY_NAME = 'hmac-key';

/**
 * The store's secret-hashing key, created on first use. Every process sharing the store gets the
 * same key (the first writer wins), so hashes stored by one run compare with the next run's.
 *
 * @example
 * const hasher = await storeSecretHasher(store);
 * const safe = protectSnapshot(snapshot, hasher);
 */
export async function storeSecretHasher(store: DriftStore): Promise<SecretHasher> {
  const key = await store
    .keyValue<string>(SECRET_KEY_AREA)
    .setIfAbsent(SECRET_KEY_NAME, randomBytes(32).toString('base64'));
  return createSecretHasher(Buffer.from(key, 'base64'));
}

/** A key for one run without a store (`driftwatch diff`): hashes compare within the run only. */
export function runSecretHasher(): SecretHasher {
  return createSecretHasher(randomBytes(32));
}

let processHasher: SecretHasher | undefined;

/**
 * A key for this process: hashes a secret the differ meets in snapshots that were not hashed at
 * ingestion, so no change it reports (nor a fingerprint taken from it) holds the value.
 */
export function processSecretHasher(): SecretHasher {
  processHasher ??= runSecretHasher();
  return processHasher;
}

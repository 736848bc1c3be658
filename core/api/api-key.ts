import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '../config/sections/api-config.js';

/** Prefix of every API key; the log sanitiser masks anything that starts with it. */
export const API_KEY_PREFIX = 'dwk_';

/**
 * A new API key: the prefix and 256 random bits (base64url). Shown once; only its
 * {@link hashApiKey} is kept.
 *
 * @example
 * const key = createApiKey(); // dwk_Q2xh…
 */
export function createApiKey(random: (bytes: number) => Buffer = randomBytes): string {
  return `${API_KEY_PREFIX}${random(32).toString('base64url')}`;
}

/** The SHA-256 (hex) kept in config for a key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The configured key a presented key matches, comparing digests in constant time (every entry
 * is compared, so the time does not say which one matched).
 */
export function matchApiKey(
  keys: readonly ApiKeyConfig[],
  presented: string,
): ApiKeyConfig | undefined {
  const digest = Buffer.from(hashApiKey(presented), 'hex');
  let found: ApiKeyConfig | undefined;
  for (const key of keys) {
    const expected = Buffer.from(key.sha256, 'hex');
    if (expected.length === digest.length && timingSafeEqual(expected, digest)) found ??= key;
  }
  return found;
}

import { createHmac } from 'node:crypto';

/**
 * What a secret value becomes when it enters driftwatch: a keyed hash in a recognisable form,
 * `[[secret:hmac-sha256:<key id>:<hash>]]`. Two markers made with the same key are equal exactly
 * when the secrets were equal, so a rotated key or connection string is still drift, yet neither
 * the store nor any output ever holds the value. The key id (a hash of the key, not the key) says
 * which key made a marker: markers made with different keys cannot be compared.
 */
export const SECRET_MARKER = /\[\[secret:hmac-sha256:([0-9a-f]{8}):([0-9a-f]{32})\]\]/g;

/** How a hidden secret reads in every output. */
export const SECRET_SHOWN = '(secret)';

const WHOLE_MARKER = /^\[\[secret:hmac-sha256:([0-9a-f]{8}):[0-9a-f]{32}\]\]$/;

/** A key that hashes secrets, with its public id. */
export interface SecretHasher {
  readonly keyId: string;
  /** The marker for a value (strings as they are, anything else as sorted-key JSON). */
  mark(value: unknown): string;
}

/**
 * A hasher for one key (HMAC-SHA256; per store, or per run when there is no store).
 *
 * @example
 * const hasher = createSecretHasher(key);
 * hasher.mark('AccountKey=…') // '[[secret:hmac-sha256:1a2b3c4d:…]]'
 */
export function createSecretHasher(key: string | Buffer): SecretHasher {
  const keyId = createHmac('sha256', key).update('driftwatch key id').digest('hex').slice(0, 8);
  return {
    keyId,
    mark(value) {
      const text = typeof value === 'string' ? value : stableJson(value);
      const hash = createHmac('sha256', key).update(text).digest('hex').slice(0, 32);
      return `[[secret:hmac-sha256:${keyId}:${hash}]]`;
    },
  };
}

/** True when the whole value is one marker. */
export function isSecretMarker(value: unknown): value is string {
  return typeof value === 'string' && value.length === 64 && WHOLE_MARKER.test(value);
}

/** True when a string holds a marker anywhere (a connection string with its key hashed). */
export function hasSecretMarker(text: string): boolean {
  return text.includes('[[secret:') && new RegExp(SECRET_MARKER.source).test(text);
}

/** The key ids of the markers in a string. */
export function markerKeyIds(text: string): string[] {
  return [...text.matchAll(SECRET_MARKER)].map((m) => m[1] as string);
}

/**
 * True when two strings hold markers made with different keys and are otherwise equal: nothing
 * can be said about the secrets (a baseline file hashed in another run), so this is not drift.
 */
export function markersIncomparable(a: string, b: string): boolean {
  if (!hasSecretMarker(a) || !hasSecretMarker(b)) return false;
  if (new Set([...markerKeyIds(a), ...markerKeyIds(b)]).size <= 1) return false;
  const blank = (s: string) => s.replace(SECRET_MARKER, '[[secret]]');
  return blank(a) === blank(b);
}

/** Markers replaced by how a hidden secret reads. */
export function showMarkers(text: string): string {
  return text.includes('[[secret:') ? text.replace(SECRET_MARKER, SECRET_SHOWN) : text;
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

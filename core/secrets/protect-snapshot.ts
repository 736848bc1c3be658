import { typeFromId } from '../engine/resource-identity.js';
import type { ArmResource, Snapshot } from '../model/resource.js';
import { looksLikeKey, replaceSecretSpans } from '../redact/secret-patterns.js';
import { isSecretMarker, type SecretHasher } from './secret-marker.js';
import { type SecretPathMatcher, secretPathsFor } from './secret-paths.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level fields that identify a resource: never rewritten. */
const IDENTITY = new Set(['id', 'name', 'type']);

/**
 * Replaces every secret in a snapshot by its keyed-hash marker, before the snapshot is compared,
 * stored or shown: values at secret paths (app settings, connection strings, write-only values
 * such as `adminPassword` or ACI `secureValue`), secrets inside text (connection-string keys, SAS
 * signatures, JWTs, PEM private keys, URL passwords, account keys) and tag values that look like
 * keys. Idempotent: markers stay as they are. Returns a new snapshot; the input is not changed.
 *
 * @example
 * const safe = protectSnapshot(snapshot, createSecretHasher(await storeSecretKey(store)));
 */
export function protectSnapshot(snapshot: Snapshot, hasher: SecretHasher): Snapshot {
  return { ...snapshot, resources: snapshot.resources.map((r) => protectResource(r, hasher)) };
}

/** One resource with its secrets replaced by markers. */
export function protectResource(resource: ArmResource, hasher: SecretHasher): ArmResource {
  const type = typeof resource.type === 'string' ? resource.type : typeFromId(resource.id);
  const walker = new Protector(hasher, secretPathsFor(type, resource.id));
  const out: Json = {};
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    if (IDENTITY.has(key) && typeof value === 'string') out[key] = value;
    else if (key === 'tags' && isObject(value)) out[key] = walker.tags(value);
    else out[key] = walker.value(value, [key]);
  }
  return out as ArmResource;
}

class Protector {
  constructor(
    private readonly hasher: SecretHasher,
    private readonly paths: SecretPathMatcher,
  ) {}

  tags(tags: Json): Json {
    const out: Json = {};
    for (const [k, v] of Object.entries(tags)) {
      out[k] =
        typeof v === 'string' && looksLikeKey(v) ? this.hasher.mark(v) : this.value(v, ['tags', k]);
    }
    return out;
  }

  value(value: unknown, segments: string[]): unknown {
    if (value === undefined || value === null) return value;
    if (this.paths.classify(segments)) return this.hide(value);
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v, [...segments, '[]']));
    if (isObject(value)) {
      const out: Json = {};
      for (const key of Object.keys(value)) out[key] = this.value(value[key], [...segments, key]);
      return out;
    }
    return value;
  }

  /** A whole value at a secret path. Empty values stay empty: "not set" is not a secret. */
  private hide(value: unknown): unknown {
    if (value === '' || isSecretMarker(value)) return value;
    if (Array.isArray(value) && value.length === 0) return value;
    if (isObject(value) && Object.keys(value).length === 0) return value;
    return this.hasher.mark(value);
  }

  private text(value: string): string {
    // Cheap filter: every pattern needs one of these; most strings (names, ids, SKUs) have none.
    if (value.length < 8 || !/[=:@-]|eyJ/.test(value)) return value;
    return replaceSecretSpans(value, (secret) =>
      isSecretMarker(secret) ? secret : this.hasher.mark(secret),
    );
  }
}

import { type CompiledNoise, childFor, type NoiseNode } from '../engine/compile-noise.js';
import { typeFromId } from '../engine/resource-identity.js';
import type { ArmResource, Snapshot } from '../model/resource.js';
import { looksLikeKey, replaceSecretSpans } from '../redact/secret-patterns.js';
import { isSecretMarker, type SecretHasher } from './secret-marker.js';
import {
  matchesSecretPath,
  pathSegments,
  readableSecretPaths,
  sharedNoiseCatalogue,
} from './secret-paths.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level fields that identify a resource: never rewritten. */
const IDENTITY = new Set(['id', 'name', 'type']);

/**
 * Every secret pattern needs one of these; most strings (names, ids, SKUs, dates) have none, so
 * they are passed over with one test.
 */
const MAY_HOLD_SECRET = /[=@"]|-----BEGIN|eyJ|[Bb]earer|[Bb]asic|xox|xapp-/;

/**
 * Replaces every secret in a snapshot by its keyed-hash marker, before the snapshot is compared,
 * stored or shown: values at secret paths (app settings, connection strings, write-only values
 * such as `adminPassword` or ACI `secureValue`), secrets inside text (connection-string keys, SAS
 * signatures, JWTs, PEM private keys, URL passwords, account keys) and tag values that look like
 * keys. Idempotent: markers stay as they are. The input is not changed; parts without secrets are
 * shared with it, not copied (a scan of 50,000 resources allocates only what it rewrites).
 *
 * @example
 * const safe = protectSnapshot(snapshot, await storeSecretHasher(store));
 */
export function protectSnapshot(snapshot: Snapshot, hasher: SecretHasher): Snapshot {
  const noise = sharedNoiseCatalogue();
  let changed = false;
  const resources = snapshot.resources.map((r) => {
    const out = protectResource(r, hasher, noise);
    if (out !== r) changed = true;
    return out;
  });
  return changed ? { ...snapshot, resources } : snapshot;
}

/** One resource with its secrets replaced by markers (the same object when it has none). */
export function protectResource(
  resource: ArmResource,
  hasher: SecretHasher,
  noise: CompiledNoise = sharedNoiseCatalogue(),
): ArmResource {
  const type = typeof resource.type === 'string' ? resource.type : typeFromId(resource.id);
  const walker = new Protector(hasher, noise, readableSecretPaths(type, resource.id));
  const trie = noise.trieFor(type);
  let out: Json | undefined;
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    let next: unknown;
    if (IDENTITY.has(key) && typeof value === 'string') next = value;
    else if (key === 'tags' && isObject(value)) next = walker.tags(value);
    else next = walker.property(key, value, trie, false, walker.tracks ? [] : undefined);
    if (next !== value) {
      out ??= { ...resource };
      out[key] = next;
    }
  }
  return (out as ArmResource | undefined) ?? resource;
}

class Protector {
  readonly tracks: boolean;

  constructor(
    private readonly hasher: SecretHasher,
    private readonly noise: CompiledNoise,
    private readonly readable: string[][],
  ) {
    this.tracks = readable.length > 0;
  }

  tags(tags: Json): Json {
    let out: Json | undefined;
    for (const [k, v] of Object.entries(tags)) {
      const next = typeof v === 'string' && looksLikeKey(v) ? this.hide(v) : this.value(v);
      if (next !== v) {
        out ??= { ...tags };
        out[k] = next;
      }
    }
    return out ?? tags;
  }

  /**
   * A property under a parent: a write-only secret by the catalogue (name or typed path), a
   * readable secret by path, or walked on. Below a noise entry nothing is a write-only secret.
   */
  property(
    key: string,
    value: unknown,
    parentTrie: NoiseNode | undefined,
    belowNoise: boolean,
    parentPath: string[] | undefined,
  ): unknown {
    if (value === undefined || value === null) return value;
    const trie = childFor(parentTrie, key);
    const path = parentPath ? [...parentPath, key] : undefined;
    let noise = belowNoise;
    if (!belowNoise) {
      const rule = trie?.rule ?? this.noise.ruleForKey(key);
      if (rule?.kind === 'secret') return this.hide(value);
      if (rule) noise = true;
    }
    if (path && matchesSecretPath(this.readable, path)) return this.hide(value);
    return this.value(value, trie, noise, path);
  }

  value(
    value: unknown,
    trie?: NoiseNode,
    belowNoise = true,
    path: string[] | undefined = undefined,
  ): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) {
      const elementPath = path ? [...path, '[]'] : undefined;
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        const next =
          elementPath && matchesSecretPath(this.readable, elementPath)
            ? this.hide(v)
            : this.value(v, trie?.any, belowNoise, elementPath);
        if (next !== v) {
          out ??= [...value];
          out[i] = next;
        }
      }
      return out ?? value;
    }
    if (isObject(value)) {
      let out: Json | undefined;
      for (const key in value) {
        const v = value[key];
        const next = this.property(key, v, trie, belowNoise, path);
        if (next !== v) {
          out ??= { ...value };
          out[key] = next;
        }
      }
      return out ?? value;
    }
    return value;
  }

  /** A whole value at a secret path. Empty values stay empty: "not set" is not a secret. */
  private hide(value: unknown): unknown {
    if (value === undefined || value === null || value === '' || isSecretMarker(value))
      return value;
    if (Array.isArray(value) && value.length === 0) return value;
    if (isObject(value) && Object.keys(value).length === 0) return value;
    return this.hasher.mark(value);
  }

  private text(value: string): string {
    if (value.length < 8 || !MAY_HOLD_SECRET.test(value)) return value;
    return replaceSecretSpans(value, (secret) =>
      isSecretMarker(secret) ? secret : this.hasher.mark(secret),
    );
  }
}

/**
 * One value found at `path` of a resource (a change the differ reports), with its secrets
 * replaced by markers, by the same rules as {@link protectSnapshot}. Lets a comparison of
 * snapshots that were not hashed at ingestion (`driftwatch diff`) still emit no secret.
 */
export function protectValueAt(
  resource: { type: string; id: string },
  path: string,
  value: unknown,
  hasher: SecretHasher,
): unknown {
  if (value === undefined || value === null || isSecretMarker(value)) return value;
  const noise = sharedNoiseCatalogue();
  const segments = pathSegments(path);
  const readable = readableSecretPaths(resource.type, resource.id);
  const walker = new Protector(hasher, noise, readable);
  if (segments[0] === 'tags') {
    if (segments.length === 1 && isObject(value)) return walker.tags(value);
    if (segments.length === 2 && typeof value === 'string' && looksLikeKey(value))
      return hasher.mark(value);
  }
  if (readable.length > 0 && matchesSecretPath(readable, segments)) return hasher.mark(value);
  let trie: NoiseNode | undefined = noise.trieFor(resource.type);
  let belowNoise = false;
  for (const segment of segments) {
    if (segment === '[]') {
      trie = trie?.any;
      continue;
    }
    trie = childFor(trie, segment);
    if (belowNoise) continue;
    const rule = trie?.rule ?? noise.ruleForKey(segment);
    if (rule?.kind === 'secret') return hasher.mark(value);
    if (rule) belowNoise = true;
  }
  return walker.value(value, trie, belowNoise, readable.length > 0 ? segments : undefined);
}

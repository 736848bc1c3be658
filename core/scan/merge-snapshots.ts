import { isDeepStrictEqual } from 'node:util';
import type {
  ArmResource,
  Snapshot,
  SnapshotCollection,
  SnapshotError,
  SnapshotSource,
} from '../model/resource.js';

/** One part of a scan: what one shard (or the carried-forward basis) contributed. */
export interface SnapshotPart {
  /** The shard's key (`sub:…`, `carried`), named in errors about it. */
  shard: string;
  snapshot: Snapshot;
}

/** What the merged snapshot says about itself beyond its parts. */
export interface MergeMeta {
  scope: string;
  /** Overrides the parts' common source (e.g. "Resource Graph · 20 subscriptions · 20 shards"). */
  source?: SnapshotSource;
  collection?: Omit<SnapshotCollection, 'shards' | 'duplicates'>;
}

const lower = (s: string) => s.toLowerCase();

/**
 * Merges the parts of one scan into one snapshot, keeping what it says exact:
 * - every part's `errors` are kept (an identical error reported by two parts once);
 * - it is complete only when every part is complete and no error remains, so one incomplete
 *   shard keeps the whole snapshot incomplete;
 * - a resource returned by two parts counts once (ARM ids are case-insensitive); when the two
 *   bodies differ nobody knows which is current, so the id becomes an error (`unknown`), never a
 *   silent pick; `collection.duplicates` counts such ids either way;
 * - `collectedAt` is the earliest part's (the snapshot is no newer than its oldest read), and the
 *   source is the parts' common one.
 *
 * @example
 * const snapshot = mergeSnapshots([{ shard: 'sub:a', snapshot: a }, { shard: 'sub:b', snapshot: b }], { scope: 'prod' });
 */
export function mergeSnapshots(parts: readonly SnapshotPart[], meta: MergeMeta): Snapshot {
  const byId = new Map<string, { resource: ArmResource; shard: string }>();
  const conflicts = new Map<string, string[]>();
  const repeated = new Set<string>();
  for (const part of parts) {
    for (const resource of part.snapshot.resources) {
      const key = lower(resource.id);
      const seen = byId.get(key);
      if (!seen) {
        byId.set(key, { resource, shard: part.shard });
        continue;
      }
      repeated.add(key);
      const conflict = conflicts.get(key);
      if (conflict) {
        if (!conflict.includes(part.shard)) conflict.push(part.shard);
      } else if (!isDeepStrictEqual(seen.resource, resource)) {
        conflicts.set(key, [seen.shard, part.shard]);
      }
    }
  }
  const errors: SnapshotError[] = [];
  const errorKeys = new Set<string>();
  const addError = (error: SnapshotError) => {
    const key = JSON.stringify([
      lower(error.id),
      error.resourceType ?? '',
      error.code ?? '',
      error.message,
    ]);
    if (errorKeys.has(key)) return;
    errorKeys.add(key);
    errors.push(error);
  };
  for (const part of parts) for (const error of part.snapshot.errors) addError(error);
  for (const [key, shards] of conflicts) {
    const { resource } = byId.get(key) as { resource: ArmResource };
    byId.delete(key);
    addError({
      id: resource.id,
      code: 'scan.duplicate-conflict',
      message: `shards ${shards.join(', ')} returned different bodies for this resource; it is unknown until the next scan`,
    });
  }
  const resources = [...byId.values()]
    .map((v) => v.resource)
    .sort((a, b) => compareIds(a.id, b.id));
  const collectedAt = parts
    .map((p) => p.snapshot.collectedAt)
    .filter((t): t is string => Boolean(t))
    .sort()[0];
  const source = meta.source ?? commonSource(parts);
  return {
    schemaVersion: 1,
    scope: meta.scope,
    ...(collectedAt ? { collectedAt } : {}),
    ...(source ? { source } : {}),
    complete: errors.length === 0 && parts.every((p) => p.snapshot.complete),
    resources,
    errors,
    collection: {
      mode: meta.collection?.mode ?? 'full',
      ...meta.collection,
      shards: parts.length,
      duplicates: repeated.size,
    },
  };
}

function commonSource(parts: readonly SnapshotPart[]): SnapshotSource | undefined {
  const kinds = new Set(parts.map((p) => p.snapshot.source?.kind).filter(Boolean));
  if (kinds.size === 0) return undefined;
  const [first] = parts;
  if (kinds.size === 1 && first?.snapshot.source) return first.snapshot.source;
  return { kind: 'mixed', description: [...kinds].join(' + ') };
}

function compareIds(a: string, b: string): number {
  const x = lower(a);
  const y = lower(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

import type Keyv from 'keyv';
import type { AcceptedDrift, BaselineRecord, ReportRef } from './drift-store.js';
import type { StoreBackend } from './store-backend.js';

const LAYOUT_KEY = 'layout';
/** 1: indexes were keyv values (before 0.2); 2: indexes live in the backend's collections. */
export const STORE_LAYOUT = 2;

const scopeKey = (scope: string) => scope.toLowerCase();

/**
 * Moves a store written by driftwatch before the atomic backend (indexes as plain keyv values:
 * `reports`, `baselines`, `baselines:<scope>`, `baseline:<scope>`, `accepted:<scope>`,
 * `kv:<area>:<key>`) into the backend's collections and values, once. Imports add only what is
 * absent and keep the old order below anything written since, so two processes migrating at
 * the same moment, or a migration cut short and run again, leave the same result. The legacy
 * keys are deleted afterwards; snapshots and report bodies stay where they are. Returns how many
 * legacy keys were moved.
 */
export async function migrateLegacyLayout(keyv: Keyv, backend: StoreBackend): Promise<number> {
  if ((await backend.getValue<number>(LAYOUT_KEY)) === STORE_LAYOUT) return 0;
  const legacy = await listLegacyKeys(keyv);
  for (const key of legacy) await importLegacyKey(keyv, backend, key);
  for (const key of legacy) await keyv.delete(key);
  await backend.setValue(LAYOUT_KEY, STORE_LAYOUT);
  return legacy.length;
}

/**
 * Collects first, deletes after: the SQLite adapter pages with OFFSET, so deleting while
 * iterating would skip keys. Lists through the adapter rather than `keyv.iterator`, which
 * decodes every value and throws on a key another process deleted between listing and
 * reading it (a replica pruning reports while this one opens the store); only names matter here.
 */
async function listLegacyKeys(keyv: Keyv): Promise<string[]> {
  const adapter = keyv.store as {
    iterator?: (namespace?: string) => AsyncIterable<[unknown, unknown]>;
  };
  if (typeof adapter.iterator !== 'function') return [];
  // SQLite's adapter lists `<namespace>:<key>`, Redis's the bare key (keyv's useKeyPrefix says which).
  const prefix = keyv.useKeyPrefix && keyv.namespace ? `${keyv.namespace}:` : '';
  const legacy: string[] = [];
  for await (const [listed] of adapter.iterator(keyv.namespace)) {
    if (typeof listed !== 'string' || !listed.startsWith(prefix)) continue;
    const key = listed.slice(prefix.length);
    if (isLegacyIndexKey(key)) legacy.push(key);
  }
  return legacy;
}

function isLegacyIndexKey(key: string): boolean {
  return key === 'reports' || key === 'baselines' || /^(baselines?|accepted|kv):./.test(key);
}

async function importLegacyKey(keyv: Keyv, backend: StoreBackend, key: string): Promise<void> {
  const raw = (await keyv.get(key, { raw: true })) as
    | { value?: unknown; expires?: number }
    | undefined;
  if (raw?.value === undefined) return;
  const { value } = raw;
  const [, kind = '', rest = ''] = /^([a-z]+):(.*)$/.exec(key) ?? [undefined, key];
  if (key === 'reports') {
    const refs = value as ReportRef[];
    for (const [i, ref] of refs.entries()) {
      await backend.addEntry(`reports:${scopeKey(ref.scope)}`, ref.id, ref, -(i + 1));
      await backend.addEntry('report-scopes', scopeKey(ref.scope), ref.scope, -(i + 1));
    }
  } else if (key === 'baselines') {
    const scopes = value as string[];
    for (const [i, scope] of scopes.entries()) {
      await backend.addEntry('baseline-scopes', scopeKey(scope), scope, i - scopes.length);
    }
  } else if (kind === 'baselines') {
    for (const [i, record] of (value as BaselineRecord[]).entries()) {
      await backend.addEntry(`baselines:${rest}`, record.snapshotId, record, -(i + 1));
    }
  } else if (kind === 'baseline') {
    // The old pointer is also the head of its history; this covers a history lost before it.
    const record = value as BaselineRecord;
    await backend.addEntry(`baselines:${rest}`, record.snapshotId, record, 0);
    await backend.addEntry('baseline-scopes', rest, record.scope, 0);
  } else if (kind === 'accepted') {
    const list = value as AcceptedDrift[];
    for (const [i, entry] of list.entries()) {
      await backend.addEntry(`accepted:${rest}`, entry.fingerprint, entry, i - list.length);
    }
  } else if (kind === 'kv') {
    const ttlMs = typeof raw.expires === 'number' ? raw.expires - Date.now() : undefined;
    if (ttlMs === undefined || ttlMs > 0) await backend.setValueIfAbsent(key, value, ttlMs);
  }
}

import type { StoreBackend, StoredEntry } from './store-backend.js';

interface Held {
  json: string;
  expiresAt?: number;
}

/**
 * The backend of the in-memory store (one process, nothing kept). Values are copied through JSON
 * so callers see the same shapes as on SQLite and Redis.
 *
 * @example
 * const backend = createMemoryStoreBackend();
 */
export function createMemoryStoreBackend(now: () => number = Date.now): StoreBackend {
  const values = new Map<string, Held>();
  const collections = new Map<string, Map<string, { json: string; order: number }>>();
  let sequence = 0;

  const read = <T>(key: string): T | undefined => {
    const held = values.get(key);
    if (!held) return undefined;
    if (held.expiresAt !== undefined && held.expiresAt <= now()) {
      values.delete(key);
      return undefined;
    }
    return JSON.parse(held.json) as T;
  };
  const write = (key: string, value: unknown, ttlMs?: number) => {
    values.set(key, {
      json: JSON.stringify(value),
      ...(ttlMs !== undefined ? { expiresAt: now() + ttlMs } : {}),
    });
  };
  const collection = (name: string) => {
    let members = collections.get(name);
    if (!members) {
      members = new Map();
      collections.set(name, members);
    }
    return members;
  };
  const sorted = <T>(name: string): StoredEntry<T>[] =>
    [...collection(name).entries()]
      .map(([member, { json, order }]) => ({ member, value: JSON.parse(json) as T, order }))
      .sort((a, b) => b.order - a.order);

  return {
    getValue: async (key) => read(key),
    setValue: async (key, value, ttlMs) => write(key, value, ttlMs),
    deleteValue: async (key) => read(key) !== undefined && values.delete(key),
    async setValueIfAbsent(key, value, ttlMs) {
      const existing = read<typeof value>(key);
      if (existing !== undefined) return existing;
      write(key, value, ttlMs);
      return value;
    },
    async updateValue(key, change, ttlMs) {
      const previous = read<Parameters<typeof change>[0]>(key);
      const next = change(previous);
      if (next === undefined) values.delete(key);
      else write(key, next, ttlMs);
      return { previous, next };
    },
    async putEntry(name, member, value) {
      collection(name).set(member, { json: JSON.stringify(value), order: ++sequence });
    },
    async addEntry(name, member, value, order) {
      const members = collection(name);
      if (members.has(member)) return false;
      members.set(member, { json: JSON.stringify(value), order: order ?? ++sequence });
      return true;
    },
    deleteEntry: async (name, member) => collection(name).delete(member),
    listEntries: async <T>(name: string, limit?: number) => sorted<T>(name).slice(0, limit),
    async trimEntries<T>(name: string, keep: number) {
      const dropped = sorted<T>(name).slice(keep);
      for (const entry of dropped) collection(name).delete(entry.member);
      return dropped;
    },
    close: async () => undefined,
  };
}

/** One member of a collection, as listed. */
export interface StoredEntry<T> {
  member: string;
  value: T;
  /** Position in the store-wide order: higher is newer. Imported legacy entries are negative. */
  order: number;
}

/**
 * The atomic half of the store: single values with compare-and-set, and ordered collections
 * (a hash of members plus their order, like a Redis hash beside a sorted set). Every method is
 * atomic across processes, so no caller ever reads, modifies and writes a shared index itself.
 * Implementations: SQLite (`sqlite-store-backend.ts`), Redis (`redis-store-backend.ts`) and
 * memory (`memory-store-backend.ts`). Values are JSON.
 */
export interface StoreBackend {
  getValue<T>(key: string): Promise<T | undefined>;
  /** `ttlMs` in milliseconds; omit for no expiry. */
  setValue(key: string, value: unknown, ttlMs?: number): Promise<void>;
  deleteValue(key: string): Promise<boolean>;
  /** Stores `value` unless the key holds one; returns what the key holds afterwards. */
  setValueIfAbsent<T>(key: string, value: T, ttlMs?: number): Promise<T>;
  /**
   * Read-modify-write as one step: `change` gets the current value (`undefined` when none) and
   * returns the new one (`undefined` deletes). `change` may run more than once (a lost race is
   * retried), so it must be pure.
   */
  updateValue<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<{ previous: T | undefined; next: T | undefined }>;

  /** Adds or replaces `member`; it becomes the collection's newest. */
  putEntry(collection: string, member: string, value: unknown): Promise<void>;
  /**
   * Adds `member` only if absent, as the newest or at `order` when given (imports keep their
   * old order below everything written since). Returns whether it was added.
   */
  addEntry(collection: string, member: string, value: unknown, order?: number): Promise<boolean>;
  deleteEntry(collection: string, member: string): Promise<boolean>;
  /** Newest first; at most `limit`. */
  listEntries<T>(collection: string, limit?: number): Promise<StoredEntry<T>[]>;
  /** Keeps the `keep` newest members and returns the others, which it removed. */
  trimEntries<T>(collection: string, keep: number): Promise<StoredEntry<T>[]>;
  close(): Promise<void>;
}

/** How many times a compare-and-set is retried after losing a race before giving up. */
export const MAX_UPDATE_ATTEMPTS = 100;

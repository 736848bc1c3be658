import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../errors.js';
import { MAX_UPDATE_ATTEMPTS, type StoreBackend, type StoredEntry } from './store-backend.js';

/** Runs a Lua script (EVAL); any Redis client fits (node-redis, ioredis). */
export type RedisEval = (script: string, keys: string[], args: string[]) => Promise<unknown>;

// Every change is one Lua script: Redis runs a script without interleaving other commands, so
// each is atomic across all clients. No WATCH, which would be per connection and this
// connection is shared by concurrent callers.
const SET = `if ARGV[2] ~= '' then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else redis.call('SET', KEYS[1], ARGV[1]) end return 1`;
const SET_IF_ABSENT = `local held = redis.call('GET', KEYS[1]) if held then return held end
${SET.replace('return 1', 'return false')}`;
// Compare-and-set: writes ARGV[4] (or deletes) only if the key still holds what was read.
const COMPARE_AND_SET = `local held = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then if held ~= ARGV[2] then return 0 end elseif held then return 0 end
if ARGV[3] == '0' then redis.call('DEL', KEYS[1])
elseif ARGV[5] ~= '' then redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
else redis.call('SET', KEYS[1], ARGV[4]) end return 1`;
const PUT = `local p = redis.call('INCR', KEYS[3]) redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], p, ARGV[1]) return 1`;
const ADD = `if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local p = ARGV[3] if p == '' then p = redis.call('INCR', KEYS[3]) end
redis.call('ZADD', KEYS[2], p, ARGV[1]) return 1`;
const REMOVE = `redis.call('ZREM', KEYS[2], ARGV[1]) return redis.call('HDEL', KEYS[1], ARGV[1])`;
const LIST = `local found = redis.call('ZREVRANGE', KEYS[2], 0, ARGV[1], 'WITHSCORES') local out = {}
for i = 1, #found, 2 do
  out[#out + 1] = found[i] out[#out + 1] = redis.call('HGET', KEYS[1], found[i]) out[#out + 1] = found[i + 1]
end return out`;
const TRIM = `local found = redis.call('ZREVRANGE', KEYS[2], ARGV[1], -1, 'WITHSCORES') local out = {}
for i = 1, #found, 2 do
  out[#out + 1] = found[i] out[#out + 1] = redis.call('HGET', KEYS[1], found[i]) out[#out + 1] = found[i + 1]
  redis.call('HDEL', KEYS[1], found[i]) redis.call('ZREM', KEYS[2], found[i])
end return out`;

/**
 * The Redis backend. Keys, under `<prefix>:` (the store namespace): `value:<key>` (a string,
 * with Redis's own expiry), `members:<collection>` (a hash member → JSON) beside
 * `order:<collection>` (a sorted set member → position), and `position` (the counter that
 * orders collections). keyv's keys are `<prefix>::<key>`, so the two never collide.
 *
 * @example
 * const backend = createRedisStoreBackend({ prefix: 'driftwatch', eval: (s, keys, args) => client.eval(s, { keys, arguments: args }) });
 */
export function createRedisStoreBackend(options: {
  prefix: string;
  eval: RedisEval;
  close?: () => Promise<void>;
}): StoreBackend {
  const { prefix } = options;
  const value = (key: string) => `${prefix}:value:${key}`;
  const keysOf = (collection: string) => [
    `${prefix}:members:${collection}`,
    `${prefix}:order:${collection}`,
    `${prefix}:position`,
  ];
  const call = async (script: string, keys: string[], args: string[] = []) => {
    try {
      return await options.eval(script, keys, args);
    } catch (error) {
      throw new StoreError('store.io', `store (redis) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const parse = <T>(raw: unknown): T | undefined =>
    typeof raw === 'string' ? (JSON.parse(raw) as T) : undefined;
  const ttl = (ttlMs?: number) =>
    ttlMs === undefined ? '' : String(Math.max(1, Math.ceil(ttlMs)));
  const entries = <T>(raw: unknown): StoredEntry<T>[] => {
    const flat = raw as (string | null)[];
    const out: StoredEntry<T>[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      const json = flat[i + 1];
      // A member without a body would mean a torn write, which the scripts rule out.
      if (typeof json !== 'string') continue;
      out.push({
        member: String(flat[i]),
        value: JSON.parse(json) as T,
        order: Number(flat[i + 2]),
      });
    }
    return out;
  };
  const read = (key: string) => call(`return redis.call('GET', KEYS[1])`, [value(key)]);

  return {
    getValue: async (key) => parse(await read(key)),
    setValue: async (key, json, ttlMs) => {
      await call(SET, [value(key)], [JSON.stringify(json), ttl(ttlMs)]);
    },
    deleteValue: async (key) =>
      Number(await call(`return redis.call('DEL', KEYS[1])`, [value(key)])) > 0,
    async setValueIfAbsent(key, json, ttlMs) {
      const held = await call(SET_IF_ABSENT, [value(key)], [JSON.stringify(json), ttl(ttlMs)]);
      return held === null || held === undefined ? json : (parse(held) as typeof json);
    },
    async updateValue(key, change, ttlMs) {
      for (let attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
        const held = await read(key);
        const previous = parse<Parameters<typeof change>[0]>(held);
        const next = change(previous);
        const args = [
          typeof held === 'string' ? '1' : '0',
          typeof held === 'string' ? held : '',
          next === undefined ? '0' : '1',
          next === undefined ? '' : JSON.stringify(next),
          ttl(ttlMs),
        ];
        if (Number(await call(COMPARE_AND_SET, [value(key)], args)) === 1)
          return { previous, next };
        // Another writer won the race: read again after a short random pause (spreads retries).
        await sleep(Math.random() * Math.min(10, attempt));
      }
      throw new StoreError(
        'store.contention',
        `store (redis) could not update ${key}: ${MAX_UPDATE_ATTEMPTS} attempts lost to other writers`,
      );
    },
    putEntry: async (collection, member, json) => {
      await call(PUT, keysOf(collection), [member, JSON.stringify(json)]);
    },
    addEntry: async (collection, member, json, order) =>
      Number(
        await call(ADD, keysOf(collection), [
          member,
          JSON.stringify(json),
          order === undefined ? '' : String(order),
        ]),
      ) === 1,
    deleteEntry: async (collection, member) =>
      Number(await call(REMOVE, keysOf(collection), [member])) > 0,
    listEntries: async (collection, limit) =>
      limit !== undefined && limit <= 0
        ? []
        : entries(
            await call(LIST, keysOf(collection), [String(limit === undefined ? -1 : limit - 1)]),
          ),
    trimEntries: async (collection, keep) =>
      entries(await call(TRIM, keysOf(collection), [String(keep)])),
    close: async () => {
      await options.close?.();
    },
  };
}

import type { Redis } from 'ioredis';
import { abortableSleep } from '../resilience/abortable-sleep.js';
import type { BucketShape } from './token-bucket-pacer.js';

/** Resource Graph's user quota: `queries` per `windowMs` (docs, "Guidance for throttled requests"). */
export interface GraphQuotaShape {
  queries: number;
  windowMs: number;
}

/** Resource Graph: 15 queries per 5 s per user. */
export const GRAPH_USER_QUOTA: GraphQuotaShape = { queries: 15, windowMs: 5_000 };

/**
 * A budget shared by every process that reads Azure as the same principal: one ARM read bucket
 * per subscription and principal, one Resource Graph quota per user. `take` resolves when the
 * request may go.
 */
export interface SharedBudget {
  take(kind: 'arm' | 'graph', key: string, signal?: AbortSignal): Promise<number>;
  /** The principal the buckets belong to (part of every key). */
  readonly principal: string;
}

// One token out of a continuously refilled bucket, on Redis' clock (TIME), so workers on
// different machines agree. The token is always taken — reserved, when the bucket is empty: the
// level goes below zero and the answer is the ms until this token will have been refilled, which
// the caller waits out and then sends. One round trip per request, in the order the takes reached
// Redis; asking again after a wait instead cost every waiter a call per refilled token (sixteen
// waiters woke together for each one, and all but one asked again).
const TAKE_TOKEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(s[1]) or burst
local at = tonumber(s[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * perMs)
  at = now
end
tokens = tokens - 1
local wait = 0
if tokens < 0 then wait = math.ceil(-tokens / perMs) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + wait + 60000)
return wait
`;

// A sliding log: at most ARGV[1] starts in any ARGV[2] ms. Any fixed window the server keeps,
// wherever it starts, then sees at most that many. ARGV[3] is a unique member for this start.
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

/**
 * The two scripts as ioredis commands: ioredis sends each by its SHA (EVALSHA) and its text only
 * when this Redis has not seen it (after a restart, a failover). Sending the text with every
 * request cost the workers' CPU and Redis' (which hashes the text of every EVAL).
 */
interface BudgetCommands {
  driftwatchTakeToken(key: string, burst: number, perMs: number): Promise<unknown>;
  driftwatchTakeSlot(
    key: string,
    queries: number,
    windowMs: number,
    member: string,
  ): Promise<unknown>;
}

function budgetCommands(redis: Redis): BudgetCommands {
  const commands = redis as unknown as Partial<BudgetCommands>;
  if (!commands.driftwatchTakeToken) {
    redis.defineCommand('driftwatchTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
    redis.defineCommand('driftwatchTakeSlot', { numberOfKeys: 1, lua: TAKE_SLOT });
  }
  return redis as unknown as BudgetCommands;
}

/** Options of {@link createRedisBudget}. */
export interface RedisBudgetOptions {
  redis: Redis;
  /** Who the buckets belong to: a client id, an object id. */
  principal: string;
  armReads: BucketShape;
  graphQuota?: GraphQuotaShape;
  /** Key prefix (tests use a fresh one). */
  prefix?: string;
  /**
   * Slack added to the Graph window: a query stamped here reaches the service a little later,
   * and network jitter must not put two windows' worth into one of the server's.
   */
  graphSlackMs?: number;
}

/**
 * The shared budget over Redis (atomic Lua on Redis' own clock): ARM reads as a token bucket of
 * the documented shape less its margin, per `subscription|principal`, each take reserving its
 * token (a take aborted while it waits leaves its token unused: the safe side); Resource Graph as
 * at most `queries` starts in any window, per principal. Every worker and replica with the same Redis and
 * principal draws from the same budget, so adding workers never multiplies the rate.
 *
 * @example
 * const budget = createRedisBudget({ redis, principal: clientId, armReads: ARM_READ_BUCKET });
 * await budget.take('arm', subscriptionId);
 */
export function createRedisBudget(options: RedisBudgetOptions): SharedBudget {
  const prefix = options.prefix ?? 'driftwatch:budget';
  const graph = options.graphQuota ?? GRAPH_USER_QUOTA;
  const slack = options.graphSlackMs ?? 500;
  const burst = Math.max(1, options.armReads.burst - (options.armReads.marginTokens ?? 0));
  const perMs = options.armReads.refillPerSecond / 1000;
  let seq = 0;
  const self = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const redis = budgetCommands(options.redis);
  const takeSlot = async (): Promise<number> => {
    seq += 1;
    return Number(
      await redis.driftwatchTakeSlot(
        `${prefix}:graph:${options.principal}`,
        graph.queries,
        graph.windowMs + slack,
        `${self}-${seq}`,
      ),
    );
  };
  return {
    principal: options.principal,
    async take(kind, key, signal) {
      signal?.throwIfAborted();
      if (kind === 'arm') {
        const wait = Number(
          await redis.driftwatchTakeToken(
            `${prefix}:arm:${options.principal}:${key.toLowerCase()}`,
            burst,
            perMs,
          ),
        );
        if (wait > 0) await abortableSleep(wait, signal);
        return wait;
      }
      let waited = 0;
      for (;;) {
        const wait = await takeSlot();
        if (wait <= 0) return waited;
        await abortableSleep(wait, signal);
        waited += wait;
      }
    },
  };
}

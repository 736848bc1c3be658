import Bottleneck from 'bottleneck';
import { type Clock, systemClock } from '../clock.js';
import { abortableSleep, type Sleep } from '../resilience/abortable-sleep.js';

/** Azure DevOps' documented budget is 200 TSTUs per sliding 5 minutes; 200 requests/min is ours. */
export const DEFAULT_REQUESTS_PER_MINUTE = 200;

/** Budget, cluster and clock of {@link createDevOpsLimiter}. */
export interface DevOpsLimiterOptions {
  requestsPerMinute?: number;
  /** When set, the budget is shared through Redis by every process using the same `id`. */
  redisUrl?: string;
  /** Cluster key: every replica and pipeline task with the same identity uses the same id. */
  id: string;
  /** Requests in flight at once in this process (latency hiding; the rate is still the budget). */
  maxConcurrent?: number;
  clock?: Clock;
  sleep?: Sleep;
}

/** The one gate every Azure DevOps request passes. */
export interface DevOpsLimiter {
  /** Runs `send` when the budget allows (after any pause a server asked for). */
  schedule<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Holds every request (in every clustered process) until `until`; later pauses extend it. */
  pauseUntil(until: Date): void;
  /** Milliseconds between request starts that the budget imposes. */
  readonly spacingMs: number;
  readonly clustered: boolean;
  stop(): Promise<void>;
}

/**
 * Creates the Azure DevOps rate limiter over bottleneck: requests start just over
 * `60 000 / requestsPerMinute` ms apart (`minTime`), so no sliding 60 s window ever holds more
 * than the budget — a refilled reservoir would allow two bursts across a refresh. A request is
 * sent only at the moment bottleneck starts its job; a job started during a pause queues again,
 * so the spacing also holds right after a pause. With `redisUrl`
 * the limiter is clustered (`datastore: 'ioredis'`), so `minTime` is enforced across processes,
 * and a server's `Retry-After` pause is published to every limiter in the cluster.
 *
 * @example
 * const limiter = createDevOpsLimiter({ id: 'driftwatch:devops:contoso', redisUrl: env.REDIS_URL });
 * const page = await limiter.schedule(() => fetchPage());
 */
export function createDevOpsLimiter(options: DevOpsLimiterOptions): DevOpsLimiter {
  const rpm = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? abortableSleep;
  // One millisecond over 60 000 / rpm: exactly 60 000 / rpm would let budget + 1 starts fit in a
  // closed 60 s window (the first and the last on its edges).
  const spacingMs = Math.floor(60_000 / rpm) + 1;
  const clustered = Boolean(options.redisUrl);
  const bottleneck = new Bottleneck({
    id: options.id,
    minTime: spacingMs,
    maxConcurrent: options.maxConcurrent ?? 8,
    ...(clustered
      ? {
          datastore: 'ioredis',
          clientOptions: redisClientOptions(options.redisUrl as string),
          // Idle cluster keys expire; a 1 s heartbeat keeps waiting limiters responsive.
          timeout: 10 * 60_000,
          heartbeatInterval: 1_000,
        }
      : {}),
  });
  if (clustered) {
    // The first limiter of a cluster stores its settings in Redis and later ones adopt them; push
    // ours so a changed requestsPerMinute takes effect without waiting for idle keys to expire.
    // Typed as returning the limiter; at runtime it is a promise (bottleneck 2.19.5 Bottleneck.js).
    Promise.resolve(
      bottleneck.updateSettings({ minTime: spacingMs, maxConcurrent: options.maxConcurrent ?? 8 }),
    ).catch(() => undefined);
  }
  let resumeAt = 0;
  bottleneck.on('error', () => {
    // Redis hiccups surface as failed jobs (schedule rejects); nothing else to do here.
  });
  bottleneck.on('message', (message: string) => {
    const at = Number(/^pause:(\d+)$/.exec(message)?.[1]);
    if (at > resumeAt) resumeAt = at;
  });
  const waitForResume = async (signal?: AbortSignal) => {
    for (let wait = resumeAt - clock.now().getTime(); wait > 0; ) {
      await sleep(wait, signal);
      wait = resumeAt - clock.now().getTime();
    }
  };
  // Returned by a job that found a pause in force when bottleneck started it: it gives its slot
  // back and queues again once the pause is over.
  const requeue = Symbol('requeue');
  return {
    spacingMs,
    clustered,
    async schedule(send, signal) {
      for (;;) {
        // Wait out a pause before queueing, so a long pause neither holds a slot nor expires the job.
        await waitForResume(signal);
        const outcome = await bottleneck.schedule({ expiration: 5 * 60_000 }, async () => {
          // A job that starts while a pause is in force must not send when the pause ends: every
          // job held that way would go at once, a burst over the budget. It waits its turn again.
          if (resumeAt > clock.now().getTime()) return requeue;
          return { value: await send() };
        });
        if (outcome !== requeue) return outcome.value;
      }
    },
    pauseUntil(until) {
      const at = until.getTime();
      if (at <= resumeAt) return;
      resumeAt = at;
      if (clustered) void bottleneck.publish(`pause:${at}`).catch(() => undefined);
    },
    async stop() {
      await bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
      if (clustered) await bottleneck.disconnect(false).catch(() => undefined);
    },
  };
}

function redisClientOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

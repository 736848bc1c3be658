import { redactSecrets } from '../redact/redact-secrets.js';

/** Anything that emits `error` events: an ioredis connection, a BullMQ queue or worker. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Options of {@link reportRedisErrors}. */
export interface ReportRedisErrorsOptions {
  /** What the connections are for, named in each line ("shard queue", "summary schedules"). */
  purpose: string;
  /** Where a line goes (default: stderr). */
  report?: (line: string) => void;
  /** The same error is reported at most once per this long (default 60 s). */
  quietMs?: number;
  now?: () => number;
}

/**
 * Listens for `error` on Redis connections and the BullMQ objects built on them, and reports
 * each distinct error once per `quietMs`. Without a listener, ioredis prints "Unhandled error
 * event" with a stack for every reconnect attempt (every 2 s for as long as Redis is away) and
 * BullMQ prints each lost job lock the same way: an outage buried the log in stack traces. The
 * clients go on reconnecting by themselves; this only decides what is said. Messages pass the
 * secret sanitiser (a connection error can carry the URL, password included).
 *
 * @example
 * const connection = new Redis(url, { maxRetriesPerRequest: null });
 * reportRedisErrors([connection, queue, worker], { purpose: 'shard queue' });
 */
export function reportRedisErrors(
  emitters: readonly ErrorEmitter[],
  options: ReportRedisErrorsOptions,
): void {
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  const quietMs = options.quietMs ?? 60_000;
  const now = options.now ?? Date.now;
  const lastSaid = new Map<string, number>();
  const listener = (error: Error) => {
    const message = redactSecrets(error?.message || String(error)).replace(/\.$/, '');
    const said = lastSaid.get(message);
    if (said !== undefined && now() - said < quietMs) return;
    lastSaid.set(message, now());
    report(
      `driftwatch: Redis (${options.purpose}): ${message} (retrying; repeated at most once a minute)`,
    );
  };
  for (const emitter of emitters) emitter.on('error', listener);
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger, pino } from 'pino';
import { redactSecrets } from '../core/redact/redact-secrets.js';

/**
 * Structured JSON logs. Every string passes the one sanitiser before it is written, so a token in
 * an error message never reaches the log.
 */
export function createBotLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'driftwatch-bot' },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) =>
            typeof a === 'string'
              ? redactSecrets(a)
              : a instanceof Error
                ? redactSecrets(a.message)
                : a,
          );
          method.apply(this, clean as Parameters<typeof method>);
        },
      },
      formatters: {
        log: (object) =>
          JSON.parse(redactSecrets(JSON.stringify(object))) as Record<string, unknown>,
      },
    },
    options.destination,
  );
}

const correlation = new AsyncLocalStorage<{ correlationId: string }>();

/**
 * Runs `work` under a correlation id (a new one unless given): {@link correlationIdNow} returns it
 * anywhere inside, across awaits and timers, so lines Bolt logs while handling a request carry
 * the same id as the listener's own.
 */
export function withCorrelation<T>(work: () => T, correlationId: string = randomUUID()): T {
  return correlation.run({ correlationId }, work);
}

/** The correlation id of the request being handled, if any. */
export function correlationIdNow(): string | undefined {
  return correlation.getStore()?.correlationId;
}

/**
 * Bolt's logger interface over pino, so Bolt's own lines are JSON too and carry the correlation
 * id of the request they were written for.
 */
export function boltLogger(log: Logger): BoltLogger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      const text = msg
        .map((m) =>
          typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m),
        )
        .join(' ');
      const correlationId = correlationIdNow();
      if (correlationId) log[level]({ correlationId }, text);
      else log[level](text);
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    // LOG_LEVEL decides; Bolt sets its default level at start-up and must not override it.
    setLevel: () => undefined,
    getLevel: () => log.level as LogLevel,
    setName: () => undefined,
  };
}

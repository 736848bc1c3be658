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

/** Bolt's logger interface over pino, so Bolt's own lines are JSON too. */
export function boltLogger(log: Logger): BoltLogger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      log[level](
        msg
          .map((m) =>
            typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m),
          )
          .join(' '),
      );
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

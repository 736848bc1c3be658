import type { TerminalStream } from '../cli-context.js';

/** One progress sample: work done, work expected (if known) and named counters to show. */
export interface ProgressUpdate {
  done: number;
  total?: number;
  /**
   * Numbers show as `name N×` when non-zero (`{ throttled: 3 }` → `throttled 3×`); strings show
   * as `name value` (`{ paced: '12s' }` → `paced 12s`).
   */
  counters?: Record<string, number | string>;
}

export interface ProgressReporter {
  update(update: ProgressUpdate): void;
  /** Clears the TTY line (or logs a last line) and stops. */
  finish(): void;
}

export interface ProgressOptions {
  stream: TerminalStream;
  /** What is being done: `collecting`, `discovering`. */
  label: string;
  /** Milliseconds clock (tests pass a fake). */
  now?: () => number;
  /** Non-TTY: at most one log line per interval (default 5 s). TTY redraws at most every 100 ms. */
  logIntervalMs?: number;
  /** Force a mode; default: a redrawn line on a TTY, structured log lines otherwise. */
  tty?: boolean;
}

const BAR_WIDTH = 12;
const n = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * A small progress reporter for long operations. On a TTY it redraws one line:
 * `collecting ▕████░░▏ 812/1,214 · 41/s · throttled 3× · ETA 10s`; otherwise it writes a JSON
 * log line every few seconds (`{"msg":"progress","label":"collecting","done":812,…}`) so CI
 * logs stay readable.
 *
 * @example
 * const progress = createProgressReporter({ stream: process.stderr, label: 'collecting' });
 * progress.update({ done: 812, total: 1214, counters: { throttled: 3 } });
 * progress.finish();
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const tty = options.tty ?? Boolean(options.stream.isTTY);
  const interval = tty ? 100 : (options.logIntervalMs ?? 5_000);
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let latest: ProgressUpdate = { done: 0 };
  let drawn = false;
  let updated = false;
  const write = (force: boolean) => {
    const t = now();
    if (!force && t - last < interval) return;
    last = t;
    const elapsed = Math.max(0.001, (t - started) / 1000);
    const rate = latest.done / elapsed;
    const eta =
      latest.total !== undefined && rate > 0
        ? Math.max(0, (latest.total - latest.done) / rate)
        : undefined;
    if (tty) {
      options.stream.write(
        `\r${formatProgressLine(options.label, latest, rate, eta, options.stream.columns)}\x1b[K`,
      );
      drawn = true;
    } else {
      const counters = Object.fromEntries(
        Object.entries(latest.counters ?? {}).filter(([, v]) => v !== 0 && v !== ''),
      );
      options.stream.write(
        `${JSON.stringify({ msg: 'progress', label: options.label, done: latest.done, ...(latest.total !== undefined ? { total: latest.total } : {}), ratePerSecond: Math.round(rate * 10) / 10, ...(eta !== undefined ? { etaSeconds: Math.round(eta) } : {}), ...counters })}\n`,
      );
    }
  };
  return {
    update(update) {
      latest = update;
      updated = true;
      write(false);
    },
    finish() {
      if (tty) {
        if (drawn) options.stream.write('\r\x1b[K');
      } else if (updated) write(true);
    },
  };
}

/** The TTY line, without control characters (exported for tests and other renderers). */
export function formatProgressLine(
  label: string,
  update: ProgressUpdate,
  ratePerSecond: number,
  etaSeconds: number | undefined,
  columns?: number,
): string {
  const parts: string[] = [];
  if (update.total !== undefined && update.total > 0) {
    const filled = Math.min(BAR_WIDTH, Math.round((update.done / update.total) * BAR_WIDTH));
    parts.push(
      `${label} ▕${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}▏ ${n(update.done)}/${n(update.total)}`,
    );
  } else parts.push(`${label} ${n(update.done)}`);
  parts.push(`${n(ratePerSecond)}/s`);
  for (const [name, value] of Object.entries(update.counters ?? {})) {
    if (typeof value === 'string' && value) parts.push(`${name} ${value}`);
    if (typeof value === 'number' && value > 0) parts.push(`${name} ${n(value)}×`);
  }
  if (etaSeconds !== undefined) parts.push(`ETA ${formatSeconds(etaSeconds)}`);
  const line = parts.join(' · ');
  return columns && line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

function formatSeconds(seconds: number): string {
  const s = Math.ceil(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

import { Cron } from 'croner';
import { UsageError } from '../errors.js';

/** A validated schedule: what the person typed, the cron pattern it means, and its time zone. */
export interface Schedule {
  text: string;
  cron: string;
  timezone: string;
}

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;
/** Scans call Azure; more often than every 5 minutes would spend the rate budget on repeats. */
const MIN_EVERY_MINUTES = 5;

/**
 * Parses `hourly`, `daily 09:00`, `weekdays 08:30`, `every 3h`, `every 30m` or a five-field cron
 * pattern, in `timezone` (an IANA name). Throws a {@link UsageError} saying what would be valid.
 *
 * @example
 * parseSchedule('weekdays 08:30', 'Europe/Berlin') // { cron: '30 8 * * 1-5', timezone: 'Europe/Berlin', … }
 */
export function parseSchedule(text: string, timezone: string): Schedule {
  checkTimezone(timezone);
  const cron = toCron(text.trim().replace(/\s+/g, ' '));
  try {
    new Cron(cron, { paused: true, timezone, mode: '5-part' }).stop();
  } catch (error) {
    throw bad(text, `${(error as Error).message}`);
  }
  const gap = shortestGapMinutes(cron);
  if (gap < MIN_EVERY_MINUTES) {
    throw bad(
      text,
      `runs ${gap} minute${gap === 1 ? '' : 's'} apart; schedules run at most every ${MIN_EVERY_MINUTES} minutes`,
    );
  }
  return { text: text.trim(), cron, timezone };
}

/** The first run strictly after `from`, or undefined for a pattern that never fires again. */
export function nextRun(schedule: Schedule, from: Date): Date | undefined {
  const job = new Cron(schedule.cron, {
    paused: true,
    timezone: schedule.timezone,
    mode: '5-part',
  });
  const next = job.nextRun(from);
  job.stop();
  return next ?? undefined;
}

function toCron(text: string): string {
  const lower = text.toLowerCase();
  if (lower === 'hourly') return '0 * * * *';
  const daily = /^(daily|weekdays) (\S+)$/.exec(lower);
  if (daily) {
    const time = HHMM.exec(daily[2] as string);
    if (!time) throw bad(text, `"${daily[2]}" is not a time such as 09:00`);
    const days = daily[1] === 'weekdays' ? '1-5' : '*';
    return `${Number(time[2])} ${Number(time[1])} * * ${days}`;
  }
  const every = /^every (\d+) ?(m|min|minutes?|h|hours?)$/.exec(lower);
  if (every) {
    const n = Number(every[1]);
    if ((every[2] as string).startsWith('h')) {
      if (n < 1 || n > 23) throw bad(text, 'every Nh takes 1 to 23 hours (use daily HH:MM for 24)');
      return `0 */${n} * * *`;
    }
    if (n < MIN_EVERY_MINUTES || n > 59) {
      throw bad(text, `every Nm takes ${MIN_EVERY_MINUTES} to 59 minutes`);
    }
    return `*/${n} * * * *`;
  }
  if (text.split(' ').length === 5) return text;
  throw bad(
    text,
    'expected daily 09:00, weekdays 08:30, every 3h, hourly or a five-field cron pattern',
  );
}

/**
 * The shortest time between two runs of a valid five-field pattern, from its minute and hour
 * fields: between listed minutes within an hour, and across the hour when two consecutive hours
 * both run (day fields only ever widen gaps, so they are left out).
 */
function shortestGapMinutes(cron: string): number {
  const [minuteField, hourField] = cron.split(' ') as [string, string];
  const minutes = expandField(minuteField, 0, 59);
  const hours = new Set(expandField(hourField, 0, 23));
  if (minutes.length === 0) return Number.POSITIVE_INFINITY;
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < minutes.length; i += 1) {
    gap = Math.min(gap, (minutes[i] as number) - (minutes[i - 1] as number));
  }
  const consecutiveHours = [...hours].some((h) => hours.has((h + 1) % 24));
  if (consecutiveHours) {
    gap = Math.min(gap, 60 - (minutes.at(-1) as number) + (minutes[0] as number));
  }
  return gap;
}

/** The sorted values a cron field (`*`, `a`, `a-b`, each with `/step`, comma-separated) selects. */
function expandField(field: string, min: number, max: number): number[] {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [given = '*', stepText] = part.split('/');
    // croner reads `?` as `*`.
    const range = given === '?' ? '*' : given;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!(step >= 1)) continue;
    const [from, to] =
      range === '*'
        ? [min, max]
        : range.includes('-')
          ? (range.split('-').map(Number) as [number, number])
          : [Number(range), stepText === undefined ? Number(range) : max];
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new UsageError(
      'usage.bad-timezone',
      `"${timezone}" is not a time zone; use an IANA name such as Europe/Berlin or UTC`,
    );
  }
}

function bad(text: string, why: string): UsageError {
  return new UsageError('usage.bad-schedule', `schedule "${text}": ${why}`);
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** Ignores from chat last at most a year: anything longer belongs in the config file. */
const MAX_MS = 366 * UNIT_MS.d;

/** What {@link parseDuration} accepts, for error messages. */
export const DURATION_FORMS =
  'use a number of minutes, hours, days or weeks such as 30m, 12h, 7d or 2w, at most 366 days';

/**
 * Parses `30m`, `12h`, `7d`, `2w` (also `7days`) into milliseconds; undefined when it is not one
 * or exceeds a year.
 *
 * @example
 * parseDuration('7d') // 604800000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,4})\s*(m|min|mins|h|hours?|d|days?|w|weeks?)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] as string).toLowerCase()[0] as keyof typeof UNIT_MS;
  const ms = Number(match[1]) * UNIT_MS[unit];
  return ms > 0 && ms <= MAX_MS ? ms : undefined;
}

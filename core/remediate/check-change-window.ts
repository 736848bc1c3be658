import {
  type ChangeWindow,
  WEEKDAYS,
  type Weekday,
} from '../config/sections/remediation-config.js';

/** Whether `at` falls in a window, and if not, when the next one opens (within 8 days). */
export type WindowCheck = { open: true } | { open: false; opensAt?: Date };

const SHORT: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

function localParts(at: Date, format: Intl.DateTimeFormat): { day: Weekday; time: string } {
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const hour = parts.hour === '24' ? '00' : parts.hour;
  return { day: SHORT[parts.weekday as string] ?? WEEKDAYS[0], time: `${hour}:${parts.minute}` };
}

/**
 * Checks change windows in their time zone. No windows means always open. The next opening is
 * found minute by minute (a week is 10,080 steps), which is exact across daylight-saving changes.
 *
 * @example
 * checkChangeWindow([{ days: ['sat'], from: '02:00', to: '04:00' }], 'Europe/Berlin', now)
 */
export function checkChangeWindow(
  windows: readonly ChangeWindow[],
  timezone: string,
  at: Date,
): WindowCheck {
  if (windows.length === 0) return { open: true };
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const inside = (when: Date) => {
    const { day, time } = localParts(when, format);
    return windows.some((w) => w.days.includes(day) && time >= w.from && time < w.to);
  };
  if (inside(at)) return { open: true };
  const start = Math.floor(at.getTime() / 60_000) * 60_000 + 60_000;
  for (let t = start; t < start + 8 * 86_400_000; t += 60_000) {
    const when = new Date(t);
    if (inside(when)) return { open: false, opensAt: when };
  }
  return { open: false };
}

/** `2026-11-30 09:00 Europe/Berlin`. */
export function formatLocalTime(at: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timezone}`;
}

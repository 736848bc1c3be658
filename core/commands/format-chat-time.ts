/**
 * A time as chat shows it in `timezone`: `09:00` today, `Nov 21 09:00` on another day, with the
 * zone's short name when asked (`15:00 UTC`).
 */
export function formatChatTime(
  at: Date,
  options: { timezone: string; now: Date; zoneName?: boolean },
): string {
  const part = (date: Date, opts: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: options.timezone, ...opts }).format(date);
  const time = part(at, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = (d: Date) => part(d, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const date =
    day(at) === day(options.now)
      ? ''
      : `${new Intl.DateTimeFormat('en-US', { timeZone: options.timezone, month: 'short', day: 'numeric' }).format(at)} `;
  const zone = options.zoneName
    ? ` ${
        new Intl.DateTimeFormat('en-US', { timeZone: options.timezone, timeZoneName: 'short' })
          .formatToParts(at)
          .find((p) => p.type === 'timeZoneName')?.value ?? options.timezone
      }`
    : '';
  return `${date}${time}${zone}`;
}

/** `1,214` */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

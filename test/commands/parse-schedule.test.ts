import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import { nextRun, parseSchedule } from '../../core/schedule/parse-schedule.js';

// core/schedule has no test folder of its own in this paths; its tests live here.
describe('parseSchedule', () => {
  it.each([
    ['hourly', 'UTC', '0 * * * *'],
    ['daily 09:00', 'Europe/Berlin', '0 9 * * *'],
    ['Daily  7:05', 'UTC', '5 7 * * *'],
    ['weekdays 08:30', 'UTC', '30 8 * * 1-5'],
    ['every 3h', 'UTC', '0 */3 * * *'],
    ['every 30m', 'UTC', '*/30 * * * *'],
    ['0 9 * * 1-5', 'America/New_York', '0 9 * * 1-5'],
    ['*/5 * * * *', 'UTC', '*/5 * * * *'],
    ['0,5,10 9 * * *', 'UTC', '0,5,10 9 * * *'],
    ['58 9 * * *', 'UTC', '58 9 * * *'],
    ['0,58 9,11 * * *', 'UTC', '0,58 9,11 * * *'],
  ])('%s in %s is cron %s', (text, timezone, cron) => {
    expect(parseSchedule(text, timezone)).toEqual({ text: text.trim(), cron, timezone });
  });

  it.each([
    ['daily 25:00', 'UTC', 'schedule "daily 25:00": "25:00" is not a time such as 09:00'],
    ['every 2m', 'UTC', 'schedule "every 2m": every Nm takes 5 to 59 minutes'],
    ['every 24h', 'UTC', 'every Nh takes 1 to 23 hours'],
    [
      'sometimes',
      'UTC',
      'expected daily 09:00, weekdays 08:30, every 3h, hourly or a five-field cron pattern',
    ],
    ['61 * * * *', 'UTC', 'schedule "61 * * * *": '],
    [
      '* * * * *',
      'UTC',
      'schedule "* * * * *": runs 1 minute apart; schedules run at most every 5 minutes',
    ],
    ['*/2 * * * *', 'UTC', 'schedule "*/2 * * * *": runs 2 minutes apart'],
    ['0,3 9 * * 1-5', 'UTC', 'schedule "0,3 9 * * 1-5": runs 3 minutes apart'],
    ['10-12 9 * * *', 'UTC', 'schedule "10-12 9 * * *": runs 1 minute apart'],
    ['58,0 * * * *', 'UTC', 'schedule "58,0 * * * *": runs 2 minutes apart'],
    ['0,58 9-10 * * *', 'UTC', 'schedule "0,58 9-10 * * *": runs 2 minutes apart'],
    ['0-10/2 9 * * *', 'UTC', 'runs 2 minutes apart'],
    [
      'daily 09:00',
      'Mars/Olympus',
      '"Mars/Olympus" is not a time zone; use an IANA name such as Europe/Berlin or UTC',
    ],
  ])('rejects %s (%s)', (text, timezone, message) => {
    const attempt = () => parseSchedule(text, timezone);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it('computes the next run in the schedule time zone', () => {
    const schedule = parseSchedule('daily 09:00', 'Europe/Berlin');

    const next = nextRun(schedule, new Date('2026-11-21T09:00:00Z'));

    expect(next?.toISOString()).toBe('2026-11-22T08:00:00.000Z');
  });
});

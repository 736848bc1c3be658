import { describe, expect, it } from 'vitest';
import type { ChangeWindow } from '../../core/config/sections/remediation-config.js';
import { checkChangeWindow } from '../../core/remediate/check-change-window.js';

const weekdays: ChangeWindow[] = [
  { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
];
const saturdayNight: ChangeWindow[] = [{ days: ['sat'], from: '02:00', to: '04:00' }];

describe('checkChangeWindow', () => {
  it.each([
    ['no windows: always open', [], 'UTC', '2026-11-29T03:00:00Z', { open: true }],
    [
      'inside, in the zone’s local time',
      weekdays,
      'Europe/Berlin',
      '2026-11-27T08:00:00Z',
      { open: true },
    ],
    [
      'the end is exclusive',
      weekdays,
      'Europe/Berlin',
      '2026-11-27T16:00:00Z',
      { open: false, opensAt: new Date('2026-11-30T08:00:00Z') },
    ],
    [
      'before the start the same day',
      weekdays,
      'Europe/Berlin',
      '2026-11-27T07:59:30Z',
      { open: false, opensAt: new Date('2026-11-27T08:00:00Z') },
    ],
    [
      'a weekend waits for Monday',
      weekdays,
      'America/New_York',
      '2026-11-28T15:00:00Z',
      { open: false, opensAt: new Date('2026-11-30T14:00:00Z') },
    ],
    [
      'across a daylight-saving change (Berlin, last Sunday of March)',
      saturdayNight,
      'Europe/Berlin',
      '2027-03-21T12:00:00Z',
      { open: false, opensAt: new Date('2027-03-27T01:00:00Z') },
    ],
  ] as const)('%s', (_name, windows, zone, at, expected) => {
    expect(checkChangeWindow(windows as ChangeWindow[], zone, new Date(at))).toEqual(expected);
  });
});

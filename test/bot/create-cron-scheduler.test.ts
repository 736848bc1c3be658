import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCronScheduler } from '../../bot/schedule/create-cron-scheduler.js';
import type { ChatSubscription } from '../../core/schedule/chat-subscriptions.js';
import { parseSchedule } from '../../core/schedule/parse-schedule.js';

const subscription = (id: string, text: string, timezone: string): ChatSubscription => ({
  id,
  chat: 'slack',
  conversation: 'C1',
  scope: 'prod',
  schedule: parseSchedule(text, timezone),
  minSeverity: 'low',
  allClear: false,
  createdBy: 'U1',
  createdAt: '2026-11-21T00:00:00Z',
});

describe('createCronScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-21T07:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('fires each subscription at its time in its time zone, and stops removed ones', async () => {
    const fired: string[] = [];
    const scheduler = createCronScheduler(async (id) => {
      fired.push(`${id} ${new Date().toISOString()}`);
    });
    await scheduler.sync([
      subscription('berlin', 'daily 09:00', 'Europe/Berlin'),
      subscription('utc', 'daily 09:00', 'UTC'),
    ]);

    await vi.advanceTimersByTimeAsync(3 * 3_600_000);
    await scheduler.remove('berlin');
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    await scheduler.close();

    expect(fired).toEqual([
      'berlin 2026-11-21T08:00:00.000Z',
      'utc 2026-11-21T09:00:00.000Z',
      'utc 2026-11-22T09:00:00.000Z',
    ]);
  });
});

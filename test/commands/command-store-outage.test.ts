import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import type { CommandDeps } from '../../core/commands/command-ports.js';
import { runCommand } from '../../core/commands/run-command.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import {
  type PrivateRedis,
  redisServerPresent,
  startPrivateRedis,
} from '../support/private-redis.js';
import { fakeConfig, fakeReport, fakeScanner } from './fake-drift.js';

/**
 * A chat command while the Redis store is away: the store waits for the reconnect (for as long as
 * the process runs), so without a deadline the command hung until Redis came back, with no answer
 * in the channel. It is refused in seconds instead, with nothing read or changed.
 */
describe.skipIf(!redisServerPresent)('chat commands while the Redis store is away', () => {
  let redis: PrivateRedis;
  let store: DriftStore;
  let deps: CommandDeps;
  let scans: string[];

  beforeAll(async () => {
    redis = await startPrivateRedis({ fromPort: 6481 });
    store = await openStore({ redisUrl: redis.url, namespace: 'command-outage' });
    const { scan, calls } = fakeScanner(store, { prod: [fakeReport('prod', [])] });
    scans = calls;
    deps = {
      store,
      config: fakeConfig(),
      clock: fixedClock('2026-11-27T12:00:00Z'),
      scan,
      actor: { id: 'UADMIN1', name: 'ada' },
      conversation: { chat: 'slack', id: 'C0PROD' },
      storeAnswerMs: 500,
    };
    await redis.stop();
    // Past a call in flight when the connection dropped (that one fails at once, on its own):
    // from here on the client is reconnecting and calls wait.
    await new Promise((r) => setTimeout(r, 1_000));
  });
  afterAll(async () => {
    await store?.close();
    await redis?.close();
  });

  it.each(['status prod', 'scan prod', 'subscribe prod daily 09:00'])(
    '%s is refused within the deadline, naming the store, and runs nothing',
    async (text) => {
      const started = Date.now();

      const reply = await runCommand(text, deps);

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(reply.outcome).toBe('failed');
      expect(reply.message.visibility).toBe('ephemeral');
      expect(reply.message.text).toBe(
        `Could not run ${text.split(' ')[0]}: the store cannot be reached, so nothing was read or changed; try again in a minute: it did not answer within 0.5 s`,
      );
      expect(scans).toEqual([]);
    },
  );

  it('help still answers: it needs no store', async () => {
    const reply = await runCommand('help', deps);

    expect(reply.outcome).toBe('ok');
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBotLogger } from '../../bot/bot-logger.js';
import type { RunningBot } from '../../bot/start-bot.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { fakeReport, fakeScanner, fakeStore } from '../commands/fake-drift.js';
import { sendSignedRequest } from '../sim/slack/sign-slack-request.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { startSlackBot } from '../support/start-slack-bot.js';

const TOKEN = 'xoxb-sim-0000000000007';
const SECRET = 'sim-signing-secret-correlation-0123';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Line = { level: number; msg: string; component?: string; correlationId?: string };

describe("Bolt's own log lines", () => {
  let sim: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  const lines: Line[] = [];

  beforeAll(async () => {
    sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    store = await fakeStore();
    const { scan } = fakeScanner(store, { prod: [fakeReport('prod', [])] });
    bot = await startSlackBot({
      sim,
      token: TOKEN,
      secret: SECRET,
      store,
      scan,
      log: createBotLogger({
        level: 'debug',
        destination: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
      }),
      processBeforeResponse: true,
    });
    // The client's start-up token check belongs to no request; let it finish first.
    await vi.waitFor(() => expect(lines.map((l) => l.msg)).toContain("apiCall('auth.test') end"));
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    await sim.close();
  });

  const slash = (signature?: string) =>
    sendSignedRequest({
      url: `${bot.url}/slack/events`,
      secret: SECRET,
      nowSeconds: Math.floor(Date.now() / 1000),
      ...(signature ? { signature } : {}),
      form: {
        command: '/drift',
        text: 'help',
        team_id: 'T0SIM',
        channel_id: 'C0PROD',
        user_id: 'UREADER',
        user_name: 'ureader',
        response_url: sim.responseUrl('help'),
        trigger_id: '1.2.3',
        api_app_id: 'A0SIM',
      },
    });

  it("carry the correlation id of the request they were written for, the listener's own", async () => {
    const before = lines.length;

    await slash();

    const handled = lines.slice(before).find((l) => l.msg === 'command handled');
    expect(handled?.correlationId).toMatch(UUID);
    const bolt = lines.slice(before).filter((l) => l.component === 'bolt');
    expect(bolt.map((l) => [l.correlationId, l.msg])).toEqual([
      [handled?.correlationId, 'initialized'],
      [handled?.correlationId, 'ack() call begins (body: undefined)'],
      [handled?.correlationId, 'ack() response stored (body: undefined)'],
      [handled?.correlationId, 'stored response sent'],
    ]);
  });

  it('carry one for a forged request that never reaches a listener', async () => {
    const before = lines.length;

    const result = await slash(`v0=${'0'.repeat(64)}`);

    expect(result.status).toBe(401);
    const warned = lines.slice(before).filter((l) => l.component === 'bolt');
    expect(warned.map((l) => [l.level, l.msg])).toEqual([
      [
        40,
        'Failed to parse and verify the request data: Failed to verify authenticity: signature mismatch',
      ],
    ]);
    expect(warned[0]?.correlationId).toMatch(UUID);
    const earlier = new Set(lines.slice(0, before).map((l) => l.correlationId));
    expect(earlier.has(warned[0]?.correlationId)).toBe(false);
  });
});

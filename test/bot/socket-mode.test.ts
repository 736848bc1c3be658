import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { fakeReport, fakeScanner, fakeStore } from '../commands/fake-drift.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { startSlackBot } from '../support/start-slack-bot.js';

const TOKEN = 'xoxb-sim-0000000000031';
const APP_TOKEN = 'xapp-1-A0SIM-0000000000031-socketmode';
const SECRET = 'sim-signing-secret-socket-mode-01';

describe('Slack over Socket Mode on the bot host', () => {
  let sim: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;

  beforeAll(async () => {
    sim = await startSlackSimulator({ token: TOKEN, appToken: APP_TOKEN, channelIntervalMs: 0 });
    store = await fakeStore();
    const { scan } = fakeScanner(store, { prod: [fakeReport('prod', [])] });
    bot = await startSlackBot({
      sim,
      token: TOKEN,
      secret: SECRET,
      env: { SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: APP_TOKEN },
      store,
      scan,
    });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    await sim.close();
  });

  it('is connected once start resolves, through apps.connections.open with the app-level token', () => {
    expect(sim.socket.connections()).toBe(1);
    expect(sim.callsTo('apps.connections.open').map((c) => c.response.ok)).toEqual([true]);
  });

  it('serves health, readiness and metrics on its own server, and no Slack HTTP route', async () => {
    const statuses = await Promise.all(
      ['/healthz', '/readyz', '/metrics'].map(
        async (path) => (await fetch(`${bot.url}${path}`)).status,
      ),
    );
    const events = await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '' });

    expect(statuses).toEqual([200, 200, 200]);
    expect(events.status).toBe(404);
  });

  it('acks a slash command envelope and answers it through its response_url', async () => {
    const sent = sim.socket.send({
      envelope_id: 'env-help-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        command: '/drift',
        text: 'help',
        team_id: 'T0SIM',
        channel_id: 'C0PROD',
        user_id: 'UADMIN1',
        user_name: 'ada',
        response_url: sim.responseUrl('socket-help'),
        trigger_id: '1.2.3',
        api_app_id: 'A0SIM',
      },
    });

    await vi.waitFor(() => expect(sim.callsTo('response_url:socket-help')).toHaveLength(1));
    expect(sent).toBe(1);
    expect(sim.socket.acks.map((a) => a.envelope_id)).toEqual(['env-help-1']);
    expect(String(sim.callsTo('response_url:socket-help')[0]?.args.text)).toBe(
      'driftwatch commands',
    );
    expect(sim.unexpected).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import type { ScanResult } from '../../core/commands/command-ports.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { fakeFinding, fakeReport, fakeStore } from '../commands/fake-drift.js';
import { sendSignedRequest } from '../sim/slack/sign-slack-request.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { startSlackBot } from '../support/start-slack-bot.js';

const TOKEN = 'xoxb-sim-0000000000004';
const SECRET = 'sim-signing-secret-ack-first-0123456789';

describe('Slack listeners ack before slow work', () => {
  let sim: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  let release: () => void = () => undefined;
  let scanStarted = false;

  beforeAll(async () => {
    sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    store = await fakeStore();
    const gate = new Promise<void>((done) => {
      release = done;
    });
    // A scan that takes as long as the test says: the HTTP answer must not wait for it.
    const scan = async (): Promise<ScanResult> => {
      scanStarted = true;
      await gate;
      const report = fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical')]);
      return { report, reportId: (await store.saveReport(report)).id };
    };
    bot = await startSlackBot({ sim, token: TOKEN, secret: SECRET, store, scan });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    await sim.close();
  });

  it('answers the slash command at once and posts the summary when the scan finishes', async () => {
    const response = await sendSignedRequest({
      url: `${bot.url}/slack/events`,
      secret: SECRET,
      nowSeconds: Math.floor(Date.now() / 1000),
      form: {
        command: '/drift',
        text: 'scan prod',
        team_id: 'T0SIM',
        channel_id: 'C0PROD',
        user_id: 'UADMIN1',
        user_name: 'ada',
        response_url: sim.responseUrl('scan'),
        trigger_id: '1',
        api_app_id: 'A0SIM',
      },
    });

    expect(response).toEqual({ status: 200, body: 'Scanning prod…' });
    expect(scanStarted).toBe(true);
    expect(sim.callsTo('chat.postMessage')).toEqual([]);

    release();
    const deadline = Date.now() + 5000;
    while (sim.callsTo('chat.postMessage').length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(sim.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual([
      'Drift in prod · 1 critical',
    ]);
  });
});

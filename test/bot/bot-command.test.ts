import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';

const TOKEN = 'xoxb-sim-0000000000003';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

describe('driftwatch bot', () => {
  let cwd: string;
  let sim: SlackSimulator;

  beforeEach(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'driftwatch-bot-'));
    writeFileSync(
      join(cwd, 'driftwatch.config.yaml'),
      'scopes:\n  prod:\n    subscriptions: [00000000-0000-0000-0000-000000000001]\nchat:\n  access:\n    admins: [UADMIN1]\n',
    );
    sim = await startSlackSimulator({ token: TOKEN });
  });
  afterEach(async () => {
    await sim.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('refuses to start without Slack credentials and says what to set', async () => {
    const err = capture();

    const code = await main(['bot'], {
      env: {},
      cwd,
      stdout: capture().stream,
      stderr: err.stream,
      signal: new AbortController().signal,
    });

    expect(code).toBe(1);
    expect(err.text()).toBe(
      [
        'driftwatch: the bot cannot start:',
        "  SLACK_BOT_TOKEN is not set: set it to the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page",
        "  SLACK_SIGNING_SECRET is not set: set it to the Signing Secret under App Credentials in your app's settings (api.slack.com/apps)",
        '',
      ].join('\n'),
    );
  });

  it('asks for an app-level token in Socket Mode', async () => {
    const err = capture();

    const code = await main(['bot'], {
      env: {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: 'x'.repeat(32),
        SLACK_SOCKET_MODE: 'true',
      },
      cwd,
      stdout: capture().stream,
      stderr: err.stream,
      signal: new AbortController().signal,
    });

    expect(code).toBe(1);
    expect(err.text()).toContain(
      'SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…)',
    );
  });

  it('refuses a chat.defaultSchedule more frequent than every 5 minutes before starting, naming the key', async () => {
    writeFileSync(join(cwd, 'driftwatch.config.yaml'), 'chat:\n  defaultSchedule: "*/2 * * * *"\n');
    const err = capture();

    const code = await main(['bot', '--port', '0'], {
      env: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'x'.repeat(32) },
      cwd,
      stdout: capture().stream,
      stderr: err.stream,
      signal: new AbortController().signal,
    });

    expect([code, err.text()]).toEqual([
      1,
      'driftwatch: config key "chat.defaultSchedule" in driftwatch.config.yaml: schedule "*/2 * * * *": runs 2 minutes apart; schedules run at most every 5 minutes\n',
    ]);
  });

  it('serves health and readiness until interrupted, then exits 0', async () => {
    const err = capture();
    const abort = new AbortController();
    const running = main(['bot', '--port', '0'], {
      env: {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: 'y'.repeat(32),
        SLACK_API_URL: sim.apiUrl,
        LOG_LEVEL: 'fatal',
      },
      cwd,
      stdout: capture().stream,
      stderr: err.stream,
      signal: abort.signal,
    });
    const deadline = Date.now() + 10_000;
    while (!/on (http:\S+)/.test(err.text()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const url = /on (http:\S+)/.exec(err.text())?.[1];

    const health = await fetch(`${url}/healthz`);
    const ready = await fetch(`${url}/readyz`);
    abort.abort();

    expect([health.status, ready.status]).toEqual([200, 200]);
    expect(await running).toBe(0);
    expect(err.text()).toMatch(
      /^driftwatch bot: Slack events at \/slack\/events on http:\/\/127\.0\.0\.1:\d+\n$/,
    );
  });
});

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../../cli/run-cli.js';
import { ALICE } from '../../sim/teams/sim-people.js';
import { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';
import type { TeamsSimulator } from './teams-bot-harness.js';

const CHANNEL = '19:cli@thread.tacv2';

async function until<T>(read: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `driftwatch bot` as a user runs it, Teams only (no Slack credentials), as a UserAssignedMSI bot:
 * botbuilder's own credential factory takes its token from the managed-identity endpoint (the
 * simulator's, through App Service's IDENTITY_ENDPOINT), the inbound JWTs are checked against the
 * simulator's OpenID metadata.
 */
describe('driftwatch bot with Teams configured from the environment', () => {
  let sim: TeamsSimulator;
  let cwd: string;
  let bot: ChildProcess;
  let stderr = '';
  let url = '';

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    sim.addConversation({ id: CHANNEL, conversationType: 'channel', members: [ALICE] });
    cwd = mkdtempSync(join(tmpdir(), 'dw-teams-cli-'));
    writeFileSync(join(cwd, 'ca.pem'), sim.caPem);
    writeFileSync(
      join(cwd, 'driftwatch.config.yaml'),
      `scopes:\n  prod:\n    subscriptions: [00000000-0000-0000-0000-000000000001]\nchat:\n  access:\n    teams:\n      admins: [${ALICE.aadObjectId}]\n`,
    );
    const auth = sim.botFrameworkAuthConfig();
    bot = startCli(['bot', '--port', '0'], {
      cwd,
      env: {
        MicrosoftAppId: sim.botAppId,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: sim.tenantId,
        ...sim.managedIdentityEnv,
        ToBotFromChannelOpenIdMetadataUrl: auth.ToBotFromChannelOpenIdMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: auth.ToBotFromEmulatorOpenIdMetadataUrl,
        ToBotFromChannelTokenIssuer: auth.ToBotFromChannelTokenIssuer,
        ToChannelFromBotLoginUrl: auth.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: auth.ToChannelFromBotOAuthScope,
        OAuthUrl: auth.OAuthUrl,
        NODE_EXTRA_CA_CERTS: join(cwd, 'ca.pem'),
        LOG_LEVEL: 'fatal',
      },
    });
    bot.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    url = await until(() => /on (http:\S+)/.exec(stderr)?.[1], 50_000);
    // A child process that loads botbuilder can take a while on a busy machine.
  }, 60_000);
  afterAll(async () => {
    if (bot.exitCode === null) {
      bot.kill('SIGTERM');
      await new Promise((r) => bot.once('close', r));
    }
    await sim?.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('serves /api/messages without Slack, and says which app it is in /readyz', async () => {
    const ready = await fetch(`${url}/readyz`);

    expect(stderr).toMatch(/^driftwatch bot: Teams activities at \/api\/messages on http:\S+\n$/);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.teams).toBe(
      `ok (UserAssignedMSI app ${sim.botAppId})`,
    );
    expect((await fetch(`${url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses an unsigned request and answers a signed one with a token from the managed identity', async () => {
    const refused = await sim.deliver(
      `${url}/api/messages`,
      sim.message(CHANNEL, ALICE.aadObjectId, 'help'),
      { token: null },
    );
    const answered = await sim.deliver(
      `${url}/api/messages`,
      sim.message(CHANNEL, ALICE.aadObjectId, 'help'),
    );

    expect(refused.status).toBe(401);
    expect(answered.status).toBe(200);
    // The reply follows the HTTP answer: the bot runs commands in the background.
    const reply = await until(() => sim.callsTo('sendToConversation')[0]);
    expect(reply.status).toBe(201);
    expect(JSON.stringify(reply.body)).toContain('@driftwatch scan');
    expect(sim.unexpected).toEqual([]);
  }, 30_000);
});

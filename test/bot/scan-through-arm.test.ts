import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBotEnv } from '../../bot/bot-env.js';
import { createBotLogger } from '../../bot/bot-logger.js';
import { createScanPort } from '../../bot/create-ports.js';
import { type RunningBot, startBot } from '../../bot/start-bot.js';
import { systemClock } from '../../core/clock.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { ArmResource } from '../../core/model/resource.js';
import { runScan } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { openStore } from '../../core/store/open-store.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../sim/arm/sim-authority.js';
import { type ArmSimulator, startArmSimulator } from '../sim/arm/start-arm-simulator.js';
import { sendSignedRequest } from '../sim/slack/sign-slack-request.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { SUB } from '../task/task-agent-env.js';
import { NSG_ID, taskEstate } from '../task/task-estate.js';

const TOKEN = 'xoxb-sim-0000000000005';
const SECRET = 'sim-signing-secret-arm-e2e-0123456789';

describe('/drift scan through the ARM simulator', () => {
  let arm: ArmSimulator;
  let slack: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;

  beforeAll(async () => {
    arm = await startArmSimulator({ resources: taskEstate() });
    slack = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    store = await openStore({ memory: true });
    const config = parseConfig(
      {
        scopes: { prod: { subscriptions: [SUB] } },
        azure: {
          credential: { kind: 'client-secret', tenantId: arm.tenantId, clientId: SIM_CLIENT_ID },
        },
        chat: { access: { admins: ['UADMIN1'] } },
      },
      'test config',
    );
    const env = {
      AZURE_CLIENT_SECRET: SIM_CLIENT_SECRET,
      AZURE_AUTHORITY_HOST: arm.url,
      DRIFTWATCH_ARM_ENDPOINT: arm.url,
      DRIFTWATCH_RESOURCE_GRAPH_ENDPOINT: arm.url,
    };
    const ports = {
      config,
      env,
      cwd: '/nonexistent',
      store,
      clock: systemClock,
      scanOptions: { caPem: arm.caPem },
    };
    await runScan({
      scope: 'prod',
      config,
      env,
      cwd: '/nonexistent',
      store,
      caPem: arm.caPem,
      saveBaseline: true,
    });
    bot = await startBot({
      env: readBotEnv({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
      }),
      config,
      store,
      clock: systemClock,
      scan: createScanPort(ports),
      log: createBotLogger({ level: 'silent' }),
      host: '127.0.0.1',
      processBeforeResponse: true,
      poster: { minIntervalMs: 0 },
    });
  });
  afterAll(async () => {
    await bot?.close();
    await store?.close();
    await slack?.close();
    await arm?.close();
  });

  const post = (form: Record<string, string>) =>
    sendSignedRequest({
      url: `${bot.url}/slack/events`,
      secret: SECRET,
      nowSeconds: Math.floor(Date.now() / 1000),
      form,
    });
  const slash = (text: string) =>
    post({
      command: '/drift',
      text,
      team_id: 'T0SIM',
      channel_id: 'C0PROD',
      user_id: 'UADMIN1',
      user_name: 'ada',
      response_url: slack.responseUrl(text),
      trigger_id: '1',
      api_app_id: 'A0SIM',
    });

  it('reports a portal change, and an Ignore 7 days click keeps it out of the next scan', async () => {
    // Someone opens SSH to any source in the portal.
    const nsg = taskEstate().find((r) => r.id === NSG_ID) as ArmResource;
    const [rule] = (nsg.properties?.securityRules ?? []) as Array<{
      properties: Record<string, unknown>;
    }>;
    if (rule) rule.properties.sourceAddressPrefix = '*';
    arm.estate.put(nsg);

    await slash('scan prod');
    const [summary] = slack.callsTo('chat.postMessage');
    const blocks = summary?.args.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string; value: string }>;
    }>;
    const ignore = blocks
      .find((b) => b.type === 'actions')
      ?.elements?.find((e) => e.action_id === 'drift_ignore_7d');
    await post({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: 'UADMIN1', username: 'ada', name: 'ada', team_id: 'T0SIM' },
        api_app_id: 'A0SIM',
        team: { id: 'T0SIM', domain: 'sim' },
        container: {
          type: 'message',
          message_ts: summary?.response.ts,
          channel_id: 'C0PROD',
          is_ephemeral: false,
        },
        channel: { id: 'C0PROD', name: 'prod' },
        message: { type: 'message', ts: summary?.response.ts, text: summary?.args.text, blocks },
        response_url: slack.responseUrl('click'),
        trigger_id: '2',
        actions: [
          {
            type: 'button',
            action_id: 'drift_ignore_7d',
            block_id: 'b',
            value: ignore?.value,
            action_ts: '1',
          },
        ],
      }),
    });
    await slash('scan prod');

    const texts = slack.callsTo('chat.postMessage').map((c) => String(c.args.text));
    expect(texts[0]).toMatch(/^Drift in prod · 1 (critical|high)$/);
    expect(JSON.stringify(blocks)).toContain('`nsg-web-prod`');
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    expect(texts[1]).toBe('No drift in prod');
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/driftwatch_azure_requests_total\{outcome="sent"\} [1-9]/);
  });

  it('keeps reporting a later change to another property of the resource ignored for 7 days', async () => {
    // The SSH rule stays open to any source (ignored above); now its port is widened too.
    const nsg = taskEstate().find((r) => r.id === NSG_ID) as ArmResource;
    const [rule] = (nsg.properties?.securityRules ?? []) as Array<{
      properties: Record<string, unknown>;
    }>;
    if (rule) {
      rule.properties.sourceAddressPrefix = '*';
      rule.properties.destinationPortRange = '*';
    }
    arm.estate.put(nsg);

    await slash('scan prod');

    const [latest] = slack.callsTo('chat.postMessage').slice(-1);
    expect(String(latest?.args.text)).toMatch(/^Drift in prod · 1 (critical|high|medium)$/);
    const changes = (await store.listReports({ scope: 'prod', limit: 1 }))[0];
    const report = changes ? await store.getReport(changes.id) : undefined;
    expect(report?.report.findings.flatMap((f) => f.changes.map((c) => c.path))).toEqual([
      'properties.securityRules[allow-ssh].properties.destinationPortRange',
    ]);
    expect(report?.report.summary.suppressed.byRule).toMatchObject({
      'ignore[0]: ignored from chat by ada': 1,
    });
    expect(arm.unexpected).toEqual([]);
    expect(slack.unexpected).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import { buildTeamsCards } from '../../bot/teams/build-card.js';
import { hashApiKey } from '../../core/api/api-key.js';
import type { ChatMessage } from '../../core/commands/chat-message.js';
import { parseConfig } from '../../core/config/load-config.js';
import type { Notifier, PostedMessage } from '../../core/notify/notifier.js';
import {
  type ChatSubscription,
  saveSubscription,
  subscriptionId,
} from '../../core/schedule/chat-subscriptions.js';
import { parseSchedule } from '../../core/schedule/parse-schedule.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import { fakeFinding, fakeReport, fakeScanner, fakeStore, NOW } from '../commands/fake-drift.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { startSlackBot } from '../support/start-slack-bot.js';

const TOKEN = 'xoxb-sim-0000000000031';
const SIGNING = 'sim-signing-secret-report-links-01';
const LINK_SECRET = 'report-link-secret-0123456789abcdefghij';
const API_KEY = 'dwk_reportLinksTestKey0123456789abcdefghijklmnop';
const PUBLIC = 'https://driftwatch.contoso.com/reports';
const TEAMS_CHANNEL = '19:c3d5e0c8a1f94c3e@thread.tacv2';
const SUB = '00000000-0000-0000-0000-000000000001';

/** A Teams notifier that records the neutral messages it is asked to post. */
function fakeTeamsNotifier() {
  const posts: ChatMessage[] = [];
  const notifier: Notifier = {
    chat: 'teams',
    invocation: '@driftwatch',
    async post(conversation, message): Promise<PostedMessage> {
      posts.push(message);
      return { conversation, id: `activity-${posts.length}` };
    },
    update: async () => undefined,
    reply: async (posted) => posted,
  };
  return { notifier, posts };
}

const subscription = (chat: 'slack' | 'teams', conversation: string) =>
  ({
    id: subscriptionId(chat, conversation, 'prod'),
    chat,
    conversation,
    scope: 'prod',
    schedule: parseSchedule('daily 09:00', 'UTC'),
    minSeverity: 'low',
    allClear: false,
    createdBy: 'UADMIN1',
    createdAt: NOW,
  }) satisfies ChatSubscription;

describe('"View full report" links from chat summaries to the served page', () => {
  let sim: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  const teams = fakeTeamsNotifier();

  beforeAll(async () => {
    sim = await startSlackSimulator({ token: TOKEN, channelIntervalMs: 0 });
    store = await fakeStore();
    const { scan } = fakeScanner(store, {
      prod: [fakeReport('prod', [fakeFinding('nsg-web-prod', 'critical')])],
    });
    bot = await startSlackBot({
      sim,
      token: TOKEN,
      secret: SIGNING,
      env: { DRIFTWATCH_LINK_SECRET: LINK_SECRET },
      config: parseConfig(
        {
          scopes: { prod: { subscriptions: [SUB] } },
          chat: { reportUrl: PUBLIC },
          api: { keys: [{ name: 'ci', sha256: hashApiKey(API_KEY), read: ['prod'] }] },
        },
        'test config',
      ),
      store,
      scan,
      adapters: [() => ({ notifier: teams.notifier })],
    });
    await saveSubscription(store, subscription('slack', 'C0PROD'));
    await saveSubscription(store, subscription('teams', TEAMS_CHANNEL));
    await bot.runTick(subscriptionId('slack', 'C0PROD', 'prod'));
    await bot.runTick(subscriptionId('teams', TEAMS_CHANNEL, 'prod'));
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    await sim.close();
  });

  /** The link as the bot's own server answers it (the public host replaced by the test server). */
  const local = (link: string) => link.replace(PUBLIC, `${bot.url}/reports`);

  it('puts a signed link in the Slack summary that opens the page, and nobody without it can', async () => {
    const [post] = sim.callsTo('chat.postMessage');
    const text = JSON.stringify(post?.args.blocks);
    const link = /<(https:\/\/driftwatch\.contoso\.com\/reports\/[^|>]+)\|View full report/.exec(
      text,
    )?.[1];
    // Each tick scanned once: the Slack summary is of the first (older) report.
    const ref = (await store.listReports({ scope: 'prod' })).at(-1);
    expect(link).toMatch(new RegExp(`^${PUBLIC}/${ref?.id}\\?token=dwl1\\.[\\w-]+\\.[\\w-]+$`));

    const page = await fetch(local(link ?? ''));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; script-src 'nonce-/,
    );
    expect(await page.text()).toContain('nsg-web-prod');
    expect((await fetch(`${bot.url}/reports/${ref?.id}`)).status).toBe(401);
  });

  it('gives Teams the same signed link in the neutral message', async () => {
    const [message] = teams.posts;
    const [ref] = await store.listReports({ scope: 'prod' });
    expect(message?.reportUrl).toMatch(new RegExp(`^${PUBLIC}/${ref?.id}\\?token=dwl1\\.`));
    expect((await fetch(local(message?.reportUrl ?? ''))).status).toBe(200);
    const card = JSON.stringify(buildTeamsCards(message as ChatMessage));
    expect(card).toContain(
      JSON.stringify({
        type: 'Action.OpenUrl',
        title: 'View full report ↗',
        url: message?.reportUrl,
      }),
    );
  });

  it('serves the results API on the same server, with the same data as the page', async () => {
    const [ref] = await store.listReports({ scope: 'prod' });
    const response = await fetch(`${bot.url}/api/v1/drift/results/${ref?.id}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      findings: { resourceName: string; severity: string }[];
    };
    expect(body.findings.map((f) => [f.resourceName, f.severity])).toEqual([
      ['nsg-web-prod', 'critical'],
    ]);
    expect((await fetch(`${bot.url}/api/v1/openapi.json`)).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBot } from '../../bot/start-bot.js';
import { listSubscriptions } from '../../core/schedule/chat-subscriptions.js';
import { listChatIgnoreRules } from '../../core/store/chat-ignore-rules.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import {
  fakeFinding,
  fakeIds,
  fakeReport,
  fakeScanner,
  fakeStore,
} from '../commands/fake-drift.js';
import { sendSignedRequest } from '../sim/slack/sign-slack-request.js';
import { type SlackSimulator, startSlackSimulator } from '../sim/slack/slack-simulator.js';
import { startSlackBot } from '../support/start-slack-bot.js';

const TOKEN = 'xoxb-sim-0000000000001';
const SECRET = 'sim-signing-secret-0123456789abcdef';
const CHANNEL = 'C0PROD';

describe('Slack app through the simulator', () => {
  let sim: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    sim = await startSlackSimulator({
      token: TOKEN,
      usergroups: { SADMINS: ['UGROUPADMIN'] },
      channelIntervalMs: 0,
      archivedChannels: ['C0ARCHIVED'],
    });
    store = await fakeStore();
    const findings = [
      fakeFinding('nsg-web-prod', 'critical'),
      fakeFinding('stprodlogs01', 'high'),
      ...Array.from({ length: 6 }, (_, i) => fakeFinding(`vm-${i}`, 'low')),
    ];
    const { scan } = fakeScanner(store, {
      prod: [fakeReport('prod', findings)],
      dev: [fakeReport('dev', [])],
    });
    bot = await startSlackBot({
      sim,
      token: TOKEN,
      secret: SECRET,
      store,
      scan,
      processBeforeResponse: true,
      newId: fakeIds('btn'),
    });
  });
  afterAll(async () => {
    await bot.close();
    await store.close();
    await sim.close();
  });

  const slash = (
    text: string,
    user = 'UADMIN1',
    extra: { timestamp?: number; signature?: string; channel?: string } = {},
  ) =>
    sendSignedRequest({
      url: `${bot.url}/slack/events`,
      secret: SECRET,
      nowSeconds: extra.timestamp ?? nowSeconds(),
      ...(extra.signature ? { signature: extra.signature } : {}),
      form: {
        command: '/drift',
        text,
        team_id: 'T0SIM',
        channel_id: extra.channel ?? CHANNEL,
        user_id: user,
        user_name: user.toLowerCase(),
        response_url: sim.responseUrl(`cmd-${text.replace(/\W+/g, '-')}`),
        trigger_id: '1.2.3',
        api_app_id: 'A0SIM',
      },
    });

  const click = (
    actionId: string,
    value: string,
    message: { ts: string; text: string; blocks: unknown[] },
    user: string,
  ) =>
    sendSignedRequest({
      url: `${bot.url}/slack/events`,
      secret: SECRET,
      nowSeconds: nowSeconds(),
      form: {
        payload: JSON.stringify({
          type: 'block_actions',
          user: {
            id: user,
            username: user.toLowerCase(),
            name: user.toLowerCase(),
            team_id: 'T0SIM',
          },
          api_app_id: 'A0SIM',
          team: { id: 'T0SIM', domain: 'sim' },
          container: {
            type: 'message',
            message_ts: message.ts,
            channel_id: CHANNEL,
            is_ephemeral: false,
          },
          channel: { id: CHANNEL, name: 'prod-alerts' },
          message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
          response_url: sim.responseUrl(`click-${actionId}-${user}`),
          trigger_id: '1.2.4',
          actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
        }),
      },
    });

  // auth.test is the client's own start-up check; everything else is work done for a request.
  const work = () => sim.calls.filter((c) => c.method !== 'auth.test').length;
  const responses = (id: string) => sim.callsTo(`response_url:${id}`).map((c) => c.args);

  it('rejects a forged signature with 401 and runs nothing', async () => {
    const before = work();

    const result = await slash('help', 'UADMIN1', { signature: `v0=${'0'.repeat(64)}` });

    expect(result.status).toBe(401);
    expect(work()).toBe(before);
  });

  it('rejects a request signed more than five minutes ago with 401', async () => {
    const before = work();

    const result = await slash('help', 'UADMIN1', { timestamp: nowSeconds() - 301 });

    expect(result.status).toBe(401);
    expect(work()).toBe(before);
  });

  it("rejects a request that was fresh when signed but is stale by the verifier's clock", async () => {
    const signedAt = nowSeconds();
    const before = work();
    // Only Date is faked: Bolt's verifier reads Date.now(); sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((signedAt + 301) * 1000);

    try {
      const result = await slash('help', 'UADMIN1', { timestamp: signedAt });

      expect(result.status).toBe(401);
      expect(work()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers /drift help ephemerally through response_url', async () => {
    const result = await slash('help');

    expect(result.status).toBe(200);
    const [reply] = responses('cmd-help');
    expect(reply?.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply?.blocks)).toContain('scan [scope]');
  });

  it('answers an unknown verb with a short usage line, not a stack trace', async () => {
    await slash('deploy prod');

    expect(responses('cmd-deploy-prod')).toEqual([
      {
        response_type: 'ephemeral',
        text: 'unknown command "deploy"; try /drift help',
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: 'unknown command "deploy"; try /drift help' },
          },
        ],
      },
    ]);
  });

  it('scans, acks at once, and posts the summary with its thread; buttons accept in place', async () => {
    const result = await slash('scan prod');

    expect(result.body).toBe('Scanning prod…');
    const posts = sim.callsTo('chat.postMessage').filter((c) => c.status === 200);
    expect(posts).toHaveLength(2);
    const main = posts[0] as (typeof posts)[0];
    const ts = String(main.response.ts);
    expect(posts[1]?.args.thread_ts).toBe(ts);
    expect(main.args.text).toBe('Drift in prod · 1 critical, 1 high, 6 low');
    const message = { ts, text: String(main.args.text), blocks: main.args.blocks as unknown[] };

    await click('drift_accept', 'btn1', message, 'UNOBODY');
    await click('drift_accept', 'btn1', message, 'UADMIN1');

    expect(responses('click-drift_accept-UNOBODY')[0]?.text).toBe(
      'You are not a driftwatch admin, so you cannot run accept. Admins: @UADMIN1, @SADMINS.',
    );
    const [update] = sim.callsTo('chat.update');
    expect(update?.status).toBe(200);
    const blocks = update?.args.blocks as Array<{
      type: string;
      elements?: Array<{ text?: string }>;
    }>;
    expect(blocks.filter((b) => b.type === 'actions')).toHaveLength(4);
    expect(blocks[3]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: ':white_check_mark: Accepted nsg-web-prod (critical, id nsg-web-) in prod · by <@UADMIN1> · "accepted from a Slack summary" · 09:00 UTC',
        },
      ],
    });
    expect((await store.listAccepted('prod')).map((a) => [a.fingerprint, a.by])).toEqual([
      ['nsg-web-prod-0123456789abcdef', 'uadmin1'],
    ]);
  });

  it('lets a member of an admin user group ignore for 7 days, and shows diffs to anyone', async () => {
    const main = sim.callsTo('chat.postMessage').find((c) => c.status === 200 && !c.args.thread_ts);
    const message = {
      ts: String(main?.response.ts),
      text: 'summary',
      blocks: main?.args.blocks as unknown[],
    };

    await click('drift_ignore_7d', 'btn2', message, 'UGROUPADMIN');
    await click('drift_show_diff', 'btn2', message, 'UREADER');

    expect(sim.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['SADMINS']);
    expect(JSON.stringify(sim.callsTo('chat.update').at(-1)?.args.blocks)).toContain(
      'Ignoring changes to properties.securityRules[allow-ssh].properties.sourceAddressPrefix of stprodlogs01 (id stprodlo)',
    );
    const [diff] = responses('click-drift_show_diff-UREADER');
    expect(diff?.response_type).toBe('ephemeral');
    expect(JSON.stringify(diff?.blocks)).toContain('10.10.0.4/32 → *');
  });

  it('answers status only to the asker, without the finding accepted since the scan', async () => {
    const posts = sim.callsTo('chat.postMessage').length;

    await slash('status prod', 'UREADER');

    expect(sim.callsTo('chat.postMessage')).toHaveLength(posts);
    const [main, ...rest] = responses('cmd-status-prod');
    expect(rest.map((r) => r.response_type)).toEqual(rest.map(() => 'ephemeral'));
    expect(main?.response_type).toBe('ephemeral');
    expect(main?.text).toBe('Drift in prod · 1 high, 6 low');
    const everything = JSON.stringify(responses('cmd-status-prod'));
    expect(everything).not.toContain('nsg-web-prod');
    expect(everything).toContain('1 accepted');
  });

  it('posts status in the channel when asked to share it', async () => {
    await slash('status prod --share', 'UREADER');

    const [main] = sim
      .callsTo('chat.postMessage')
      .filter((c) => !c.args.thread_ts)
      .slice(-1);
    expect(main?.args.text).toBe('Drift in prod · 1 high, 6 low');
    expect(responses('cmd-status-prod-share')).toEqual([]);
  });

  it('says a button is too old when its id is unknown', async () => {
    await click('drift_accept', 'no-such-id', { ts: '1.1', text: 't', blocks: [] }, 'UADMIN1');

    expect(responses('click-drift_accept-UADMIN1').at(-1)?.text).toBe(
      'This summary is too old for its buttons. Run /drift status to get a fresh one.',
    );
  });

  it('refuses subscribe to a non-admin and accepts it from an admin', async () => {
    await slash('subscribe prod every 3h', 'UNOBODY');
    await slash('subscribe prod every 3h');

    expect(responses('cmd-subscribe-prod-every-3h').map((r) => r.text)).toEqual([
      'You are not a driftwatch admin, so you cannot run subscribe. Admins: @UADMIN1, @SADMINS.',
    ]);
    const posted = sim.callsTo('chat.postMessage').at(-1);
    expect(posted?.args.text).toMatch(/^Subscribed this channel to prod: every 3h \(UTC\), next /);
  });

  it('serves /healthz, /readyz and Prometheus /metrics on the same server', async () => {
    const health = await fetch(`${bot.url}/healthz`);
    const ready = await fetch(`${bot.url}/readyz`);
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();

    expect([health.status, ready.status]).toEqual([200, 200]);
    expect(metrics).toContain('driftwatch_chat_commands_total{verb="accept",outcome="denied"} 1');
    expect(metrics).toContain('driftwatch_scans_total{scope="prod",outcome="complete"} 1');
    expect(metrics).toContain('driftwatch_findings{scope="prod",severity="critical"} 1');
    expect(metrics).toContain(
      'driftwatch_slack_api_calls_total{method="chat.postMessage",outcome="ok"}',
    );
  });

  it.each([
    ['help', 'UNOBODY', 'scan [scope]'],
    ['scan dev', 'UNOBODY', 'No drift in dev'],
    // nsg-web-prod (critical) was accepted from its button above.
    ['status prod', 'UNOBODY', 'Drift in prod · 1 high, 6 low'],
    ['status', 'UNOBODY', 'prod: 7 findings (max high)'],
    ['show vm-0', 'UNOBODY', 'vm-0 · low'],
    ['history prod', 'UNOBODY', 'prod · 8 findings (max critical)'],
    ['subscriptions', 'UNOBODY', 'prod: every 3h (UTC)'],
    ['devops', 'UNOBODY', 'Azure DevOps is not configured'],
    ['accept vm-1', 'UNOBODY', 'You are not a driftwatch admin, so you cannot run accept.'],
    ['accept vm-1 known', 'UADMIN1', 'Accepted vm-1 (low, id vm-1-012) in prod'],
    ['ignore vm-2 for 2d', 'UNOBODY', 'You are not a driftwatch admin, so you cannot run ignore.'],
    [
      'ignore vm-2 for 2d',
      'UGROUPADMIN',
      'Ignoring changes to properties.securityRules[allow-ssh].properties.sourceAddressPrefix of vm-2 (id vm-2-012) in prod until',
    ],
    [
      'subscribe dev daily 07:00',
      'UNOBODY',
      'You are not a driftwatch admin, so you cannot run subscribe.',
    ],
    [
      'unsubscribe all',
      'UNOBODY',
      'You are not a driftwatch admin, so you cannot run unsubscribe.',
    ],
    ['unsubscribe all', 'UADMIN1', 'Unsubscribed this channel from prod.'],
    // Slack parses the message text as mrkdwn: data in it is escaped (&lt; reads as <).
    ['show', 'UNOBODY', 'missing a finding id. usage: /drift show &lt;finding&gt;'],
  ])('/drift %s by %s answers "%s"', async (text, user, expected) => {
    const before = sim.calls.length;

    const result = await slash(text, user);

    expect(result.status).toBe(200);
    const replies = sim.calls
      .slice(before)
      .filter((c) => c.method.startsWith('response_url:') || c.method === 'chat.postMessage')
      .map((c) => JSON.stringify(c.args));
    expect(replies.join('\n')).toContain(JSON.stringify(expected).slice(1, -1));
  });

  it('tells the user when it cannot post in a channel, and drops subscriptions of an archived channel', async () => {
    await slash('subscribe prod hourly', 'UADMIN1', { channel: 'C0ARCHIVED' });

    expect(responses('cmd-subscribe-prod-hourly').map((r) => r.text)).toEqual([
      'I cannot post in this channel (is_archived): invite me with /invite @driftwatch, then try again.',
    ]);
    expect(
      (await listSubscriptions(store, { conversation: 'C0ARCHIVED' })).map((s) => s.id),
    ).toEqual(['slack:C0ARCHIVED:prod']);

    await bot.runTick('slack:C0ARCHIVED:prod');

    expect(await listSubscriptions(store, { conversation: 'C0ARCHIVED' })).toEqual([]);
  });

  it('refuses an ignore duration it cannot read, naming the valid forms, and stores no rule', async () => {
    await slash('ignore vm-3 for 1y', 'UADMIN1');

    expect(responses('cmd-ignore-vm-3-for-1y').map((r) => r.text)).toEqual([
      '"1y" is not a duration: use a number of minutes, hours, days or weeks such as 30m, 12h, 7d or 2w, at most 366 days. usage: /drift ignore &lt;finding|path&gt; [for 7d] [--scope S] [reason]',
    ]);
    expect(
      (await listChatIgnoreRules(store, 'prod')).filter((r) => r.id?.endsWith('/vm-3')),
    ).toEqual([]);
  });

  it('refuses a cron schedule more frequent than every five minutes', async () => {
    await slash('subscribe dev */2 * * * *', 'UADMIN1');

    expect(responses('cmd-subscribe-dev-2-').map((r) => r.text)).toEqual([
      'schedule "*/2 * * * *": runs 2 minutes apart; schedules run at most every 5 minutes',
    ]);
    expect(
      (await listSubscriptions(store, { conversation: CHANNEL })).map((s) => s.id),
    ).not.toContain('slack:C0PROD:dev');
  });

  it('made no request the simulator did not understand', () => {
    expect(sim.unexpected).toEqual([]);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../../bot/start-bot.js';
import type { AdaptiveCard } from '../../../bot/teams/adaptive-card.js';
import type { MountedTeams } from '../../../bot/teams/mount-teams.js';
import { getConversation } from '../../../bot/teams/teams-conversations.js';
import { fixedClock } from '../../../core/clock.js';
import { isConversationGone } from '../../../core/notify/notifier.js';
import { listSubscriptions } from '../../../core/schedule/chat-subscriptions.js';
import type { DriftStore } from '../../../core/store/drift-store.js';
import {
  fakeConfig,
  fakeFinding,
  fakeIds,
  fakeReport,
  fakeScanner,
  fakeStore,
  NOW,
} from '../../commands/fake-drift.js';
import { type SlackSimulator, startSlackSimulator } from '../../sim/slack/slack-simulator.js';
import type { SimMember } from '../../sim/teams/sim-conversations.js';
import { ALICE, BOB, CAROL } from '../../sim/teams/sim-people.js';
import { startTeamsSimulator } from '../../sim/teams/start-teams-simulator.js';
import { SLACK_TOKEN, startTeamsBot, type TeamsSimulator } from './teams-bot-harness.js';

const TEAM = '19:team-platform@thread.tacv2';
const CHANNEL = '19:ops@thread.tacv2';
const PERSONAL = 'a:1alice-personal';
const GROUP = '19:group-chat@thread.v2';

describe('Teams bot through the Bot Framework simulator', () => {
  let sim: TeamsSimulator;
  let slack: SlackSimulator;
  let store: DriftStore;
  let bot: RunningBot;
  let teams: MountedTeams;
  let waits: number[];
  let url: string;

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    slack = await startSlackSimulator({ token: SLACK_TOKEN, channelIntervalMs: 0 });
    sim.addConversation({
      id: CHANNEL,
      conversationType: 'channel',
      name: 'ops',
      teamId: TEAM,
      members: [ALICE, BOB, CAROL],
    });
    sim.addConversation({ id: PERSONAL, conversationType: 'personal', members: [ALICE] });
    sim.addConversation({ id: GROUP, conversationType: 'groupChat', members: [ALICE, BOB] });
    store = await fakeStore();
    const { scan } = fakeScanner(store, {
      prod: [
        fakeReport('prod', [
          fakeFinding('nsg-web-prod', 'critical'),
          fakeFinding('stprodlogs01', 'high'),
          ...Array.from({ length: 6 }, (_, i) => fakeFinding(`vm-${i}`, 'low')),
        ]),
      ],
    });
    ({
      bot,
      teams,
      waits,
      messagesUrl: url,
    } = await startTeamsBot(sim, {
      config: fakeConfig({
        access: {
          admins: ['UADMIN1'],
          teams: { admins: [ALICE.aadObjectId, CAROL.aadObjectId] },
        },
      }),
      store,
      clock: fixedClock(NOW),
      scan,
      newId: fakeIds('k'),
      slackApiUrl: slack.apiUrl,
    }));
  });
  afterAll(async () => {
    await bot?.close();
    await store?.close();
    await sim?.close();
    await slack?.close();
  });
  beforeEach(() => {
    sim.calls.length = 0;
    sim.clearFaults();
    waits.length = 0;
  });

  const deliver = async (activity: Parameters<TeamsSimulator['deliver']>[1]) => {
    const res = await sim.deliver(url, activity);
    await teams.idle();
    return res;
  };
  const say = (text: string, user = ALICE, conversation = CHANNEL) =>
    deliver(sim.message(conversation, user.aadObjectId, text));
  const cardsIn = (conversation: string) =>
    sim
      .posted(conversation)
      .flatMap((a) => (a.attachments as { content: AdaptiveCard }[] | undefined) ?? [])
      .map((a) => a.content);
  const lastCard = (conversation = CHANNEL) => cardsIn(conversation).at(-1) as AdaptiveCard;
  /** The summary card the scan test posted, as it stands now (after updates). */
  let summaryId = '';
  /** The opaque id the n-th finding's buttons carry (read from its Show diff button). */
  const findingId = (n: number) =>
    [...JSON.stringify(summary().body).matchAll(/"verb":"show-diff","data":\{"id":"([^"]+)"/g)][
      n
    ]?.[1] ?? '';
  const summary = () => {
    const activity = sim.activity(CHANNEL, summaryId) as {
      attachments: { content: AdaptiveCard }[];
    };
    return activity.attachments[0]?.content as AdaptiveCard;
  };
  const click = (user: SimMember, verb: string, data: Record<string, string>, replyToId?: string) =>
    deliver(
      sim.invoke(CHANNEL, user.aadObjectId, { verb, data, ...(replyToId ? { replyToId } : {}) }),
    );
  const executes = (card: unknown) =>
    [
      ...JSON.stringify(card).matchAll(
        /"type":"Action\.Execute","title":"([^"]+)","verb":"([^"]+)"/g,
      ),
    ].map((m) => `${m[2]}:${m[1]}`);

  it('remembers a channel when the app is installed in its team', async () => {
    const res = await deliver(sim.installationUpdate(CHANNEL, ALICE.aadObjectId, 'add'));

    expect(res.status).toBe(200);
    expect((await getConversation(store, CHANNEL))?.type).toBe('channel');
    expect(sim.unexpected).toEqual([]);
  });

  it('answers @driftwatch help in the post’s thread and names commands the Teams way', async () => {
    const res = await say('help');

    expect(res.status).toBe(200);
    const [call] = sim.callsTo('sendToConversation');
    expect(call?.conversationId).toBe(`${CHANNEL};messageid=${res.activity.id}`);
    const text = JSON.stringify(lastCard());
    expect(text).toContain('@driftwatch scan');
    expect(text).not.toContain('/drift');
    expect(sim.unexpected).toEqual([]);
  });

  it('runs scan as the Entra user and shows everyone a read-only card with a refresh for the admins', async () => {
    await say('scan prod');

    const [main] = sim.callsTo('sendToConversation');
    summaryId = main?.activityId ?? '';
    const card = summary();
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: '🔴 Drift in prod · 1 critical, 1 high, 6 low',
    });
    expect(executes(card.body)).toEqual([
      'show-diff:Show diff',
      'show-diff:Show diff',
      'show-diff:Show diff',
      'show-diff:Show diff',
      'show-diff:Show diff',
    ]);
    expect(card.refresh?.userIds).toEqual([ALICE.id, CAROL.id]);
    expect(
      sim.callsTo('getConversationMember').map((c) => [c.path.split('/members/')[1], c.status]),
    ).toEqual([[CAROL.aadObjectId, 200]]);
    expect(card.actions?.map((a) => a.title)).toEqual(['My buttons']);
    expect(sim.callsTo('updateActivity')).toEqual([]);
    expect(sim.unexpected).toEqual([]);
  });

  it('refreshes to live buttons for an admin and to the read-only view for others', async () => {
    const data = summary().refresh?.action.data ?? {};

    const alice = await click(ALICE, 'refresh', data);
    const bob = await click(BOB, 'refresh', data);

    const aliceCard = (alice.body as { value: AdaptiveCard }).value;
    const bobCard = (bob.body as { value: AdaptiveCard }).value;
    expect(executes(aliceCard.body).slice(0, 3)).toEqual([
      'show-diff:Show diff',
      'accept:Accept',
      'ignore-7d:Ignore 7 days',
    ]);
    expect(executes(bobCard.body).filter((e) => !e.startsWith('show-diff'))).toEqual([]);
    expect(sim.unexpected).toEqual([]);
  });

  it('as Teams shows it: the admin’s client refreshes to live buttons, others see the card as posted', async () => {
    const alice = await sim.seenBy(url, CHANNEL, summaryId, ALICE.aadObjectId);
    const bob = await sim.seenBy(url, CHANNEL, summaryId, BOB.aadObjectId);

    expect(alice.source).toBe('refreshed');
    expect(executes(alice.card?.body)).toContain('accept:Accept');
    expect(bob.source).toBe('posted');
    expect(executes(bob.card?.body)).not.toContain('accept:Accept');
    expect(sim.unexpected).toEqual([]);
  });

  it('refuses an accept from a non-admin to them alone and changes nothing', async () => {
    const cardId = String(summary().refresh?.action.data.card);

    const res = await click(BOB, 'accept', { id: findingId(0), card: cardId }, summaryId);

    const view = (res.body as { value: AdaptiveCard }).value;
    expect(JSON.stringify(view)).toContain(
      'You are not a driftwatch admin, so you cannot run accept',
    );
    expect(view.actions?.map((a) => a.title)).toEqual(['Back']);
    expect(sim.callsTo('updateActivity')).toEqual([]);
    expect(await store.listAccepted('prod')).toEqual([]);
  });

  it('accepts for an admin and updates the card in place for the clicker and for everyone', async () => {
    const cardId = String(summary().refresh?.action.data.card);

    const res = await click(ALICE, 'accept', { id: findingId(0), card: cardId }, summaryId);

    const mine = (res.body as { value: AdaptiveCard }).value;
    expect(JSON.stringify(mine)).toContain('<at>Alice Ops</at>');
    expect(mine.msteams?.entities).toEqual([
      {
        type: 'mention',
        text: '<at>Alice Ops</at>',
        mentioned: { id: ALICE.aadObjectId, name: 'Alice Ops' },
      },
    ]);
    const [update] = sim.callsTo('updateActivity');
    expect(update?.activityId).toBe(summaryId);
    const everyone = summary();
    expect(JSON.stringify(everyone)).toContain('Accepted');
    expect(executes(everyone.body)).toHaveLength(4);
    expect((await store.listAccepted('prod')).map((a) => a.fingerprint)).toEqual([
      'nsg-web-prod-0123456789abcdef',
    ]);
    expect(sim.unexpected).toEqual([]);
  });

  it('shows a diff to the clicker alone, with Back to the summary', async () => {
    const cardId = String(summary().refresh?.action.data.card);

    // nsg-web-prod was accepted above, so its buttons are gone: the first now is stprodlogs01's.
    const res = await click(BOB, 'show-diff', { id: findingId(0), card: cardId }, summaryId);

    const view = (res.body as { value: AdaptiveCard }).value;
    expect(JSON.stringify(view)).toContain('stprodlogs01');
    expect(view.actions?.[0]).toEqual({
      type: 'Action.Execute',
      title: 'Back',
      verb: 'refresh',
      data: { card: cardId },
    });
    expect(sim.callsTo('updateActivity')).toEqual([]);
  });

  it('answers in a 1:1 chat without a mention', async () => {
    await deliver(sim.installationUpdate(PERSONAL, ALICE.aadObjectId, 'add'));

    await say('status prod', ALICE, PERSONAL);

    expect(JSON.stringify(lastCard(PERSONAL))).toContain('prod');
    expect(new Set(sim.callsTo('sendToConversation').map((c) => c.conversationId))).toEqual(
      new Set([PERSONAL]),
    );
  });

  it.each([
    ['no token', null],
    ['an expired token', 'expired'],
    ['a forged token', 'forged'],
    ['a token for another bot', 'wrongAudience'],
    ['a token from another issuer', 'wrongIssuer'],
    ['an unsigned token', 'unsigned'],
  ] as const)('refuses a request with %s (401) and runs nothing', async (_name, kind) => {
    const token = kind === null ? null : await sim.tokens[kind]();

    const res = await sim.deliver(url, sim.message(CHANNEL, ALICE.aadObjectId, 'scan prod'), {
      token,
    });
    await teams.idle();

    expect(res.status).toBe(401);
    expect(sim.calls).toEqual([]);
  });

  it('posts a subscription’s summary proactively at the top of the channel, the rest in its thread', async () => {
    await say('subscribe prod daily 09:00');
    const [subscription] = await listSubscriptions(store, { chat: 'teams' });
    expect(subscription?.conversation).toBe(CHANNEL);
    sim.calls.length = 0;

    await bot.runTick(subscription?.id ?? '');

    const [main, ...thread] = sim.callsTo('sendToConversation');
    expect(main?.conversationId).toBe(CHANNEL);
    expect(thread.map((c) => c.conversationId)).toEqual([
      `${CHANNEL};messageid=${main?.activityId}`,
    ]);
    expect(sim.unexpected).toEqual([]);
  });

  it('as the host’s notifier: posts, replies in the post’s thread and updates the post in place', async () => {
    const message = (text: string) => ({
      visibility: 'channel' as const,
      text,
      blocks: [{ kind: 'text' as const, text }],
    });

    const posted = await teams.notifier.post(CHANNEL, message('Drift in prod'));
    const reply = await teams.notifier.reply(posted, message('3 more findings'));
    await teams.notifier.update(posted, message('Drift in prod · resolved'));

    const sends = sim.callsTo('sendToConversation');
    expect(sends.map((c) => c.conversationId)).toEqual([
      CHANNEL,
      `${CHANNEL};messageid=${posted.id}`,
    ]);
    expect(reply).toEqual({
      conversation: `${CHANNEL};messageid=${posted.id}`,
      id: sends[1]?.activityId,
    });
    expect(sim.callsTo('updateActivity').map((c) => c.activityId)).toEqual([posted.id]);
    expect(JSON.stringify(sim.activity(CHANNEL, posted.id))).toContain('Drift in prod · resolved');
    expect(sim.unexpected).toEqual([]);
  });

  it.each([
    [403, 'BotNotInConversationRoster'],
    [404, 'ConversationNotFound'],
  ])(
    'reports a conversation answering %i as gone, so its subscriptions end',
    async (status, code) => {
      sim.inject(status, { times: 1 });

      const error = await teams.notifier
        .post(CHANNEL, { visibility: 'channel', text: 'x', blocks: [{ kind: 'text', text: 'x' }] })
        .catch((e: unknown) => e);

      expect(isConversationGone(error)).toBe(true);
      expect((error as Error).message).toBe(
        `the bot can no longer post to teams conversation ${CHANNEL} (${code})`,
      );
    },
  );

  it('retries a 429 after its Retry-After and a 412 with backoff, then posts once', async () => {
    sim.inject(429, { times: 2, retryAfterSeconds: 2 });
    sim.inject(412, { times: 1 });

    await say('status prod');

    expect(sim.calls.slice(0, 4).map((c) => [c.status, c.note ?? c.operation])).toEqual([
      [429, 'fault'],
      [429, 'fault'],
      [412, 'fault'],
      [201, 'sendToConversation'],
    ]);
    // Retry-After twice, then full jitter (0.5 here) of 500 ms · 2^2.
    expect(waits).toEqual([2000, 2000, 1000]);
  });

  it('remembers a group chat the bot is added to and forgets it when removed (conversationUpdate)', async () => {
    const bot = `28:${sim.botAppId}`;

    await deliver(sim.conversationUpdate(GROUP, ALICE.aadObjectId, { membersAdded: [bot] }));
    const added = await getConversation(store, GROUP);
    await deliver(sim.conversationUpdate(GROUP, ALICE.aadObjectId, { membersRemoved: [bot] }));

    expect(added?.type).toBe('groupChat');
    expect(await getConversation(store, GROUP)).toBeUndefined();
    expect(sim.unexpected).toEqual([]);
  });

  it('forgets the team’s channels and ends their subscriptions when the app is removed', async () => {
    await deliver(sim.installationUpdate(CHANNEL, ALICE.aadObjectId, 'remove'));

    expect(await getConversation(store, CHANNEL)).toBeUndefined();
    expect(await listSubscriptions(store, { chat: 'teams' })).toEqual([]);
  });
});

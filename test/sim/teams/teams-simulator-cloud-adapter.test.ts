import {
  ActivityTypes,
  CardFactory,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCloudAdapterBot } from './cloud-adapter-harness.js';
import { ALICE, BOB } from './sim-people.js';
import { startTeamsSimulator, type TeamsSimulator } from './start-teams-simulator.js';

const CHANNEL = '19:ops@thread.tacv2';
const CARD = 'application/vnd.microsoft.card.adaptive';
const card = (title: string) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: title }],
  actions: [{ type: 'Action.Execute', title: 'Ignore', verb: 'ignore', data: { id: 'f1' } }],
});

describe('Teams simulator with the real botbuilder CloudAdapter', () => {
  let sim: TeamsSimulator;
  let bot: Awaited<ReturnType<typeof startCloudAdapterBot>>;
  let turns: TurnContext['activity'][];

  beforeAll(async () => {
    sim = await startTeamsSimulator({ threadLimits: false });
    sim.addConversation({
      id: CHANNEL,
      conversationType: 'channel',
      name: 'ops',
      members: [ALICE, BOB],
    });
    bot = await startCloudAdapterBot(sim, async (context) => {
      turns.push(context.activity);
      const text = context.activity.text?.replace(/^<at>[^<]*<\/at>\s*/, '') ?? '';
      if (context.activity.type === ActivityTypes.Invoke) {
        const verb = (context.activity.value as { action: { verb: string } }).action.verb;
        // 'nothing' answers 200 without the Universal Actions body, which Teams cannot render.
        const body =
          verb === 'nothing' ? {} : { statusCode: 200, type: CARD, value: card(`done: ${verb}`) };
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: { status: 200, body },
        });
      } else if (text === 'live card') {
        const live = {
          ...card('read-only'),
          actions: [],
          refresh: {
            action: { type: 'Action.Execute', verb: 'refresh', data: { id: 'f1' } },
            userIds: [ALICE.id],
          },
        };
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(live)] });
      } else if (text === 'card') {
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card('drift'))] });
      } else if (text === 'big card') {
        await context.sendActivity({
          attachments: [CardFactory.adaptiveCard(card('x'.repeat(29 * 1024)))],
        });
      } else if (text.startsWith('edit ')) {
        const [, id, ...words] = text.split(' ');
        await context.updateActivity({ id, type: 'message', text: words.join(' ') });
      } else if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity(`you said: ${context.activity.text}`);
      }
    });
  });
  afterAll(async () => {
    await bot?.close();
    await sim?.close();
  });
  beforeEach(() => {
    turns = [];
    sim.calls.length = 0;
    bot.errors.length = 0;
    sim.clearFaults();
  });
  const say = (text: string) => sim.deliver(bot.url, sim.message(CHANNEL, ALICE.aadObjectId, text));

  it('delivers a signed message, and records the reply the bot sends with the token it issued', async () => {
    const res = await sim.deliver(bot.url, sim.message(CHANNEL, ALICE.aadObjectId, 'scan prod'));

    expect(res.status).toBe(200);
    expect(turns.map((a) => a.text)).toEqual(['<at>driftwatch</at> scan prod']);
    expect(sim.calls.map((c) => [c.operation, c.status])).toEqual([['replyToActivity', 201]]);
    expect(sim.posted(CHANNEL).map((a) => a.text)).toEqual([
      'you said: <at>driftwatch</at> scan prod',
    ]);
    expect(sim.unexpected).toEqual([]);
    expect(bot.errors).toEqual([]);
  });

  it('answers an Action.Execute invoke with the card the bot returns in the HTTP response', async () => {
    await say('card');
    const [posted] = sim.posted(CHANNEL);

    const res = await sim.deliver(
      bot.url,
      sim.invoke(CHANNEL, ALICE.aadObjectId, { verb: 'ignore', replyToId: String(posted?.id) }),
    );

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ statusCode: 200, type: CARD, value: card('done: ignore') });
    expect(sim.unexpected).toEqual([]);
    expect(turns.at(-1)?.value).toEqual({
      action: { type: 'Action.Execute', verb: 'ignore', data: {} },
      trigger: 'manual',
    });
  });

  it('flags an invoke answer Teams could not use (no card in the body)', async () => {
    const res = await sim.deliver(
      bot.url,
      sim.invoke(CHANNEL, ALICE.aadObjectId, { verb: 'nothing' }),
    );

    expect(res.status).toBe(200);
    expect(sim.unexpected).toEqual([
      `adaptiveCard/action ${String(res.activity.id)}: invoke response: statusCode must be a number`,
      `adaptiveCard/action ${String(res.activity.id)}: invoke response: unknown type undefined`,
    ]);
    sim.unexpected.length = 0;
  });

  it('shows the refreshed card to a user in refresh.userIds and the posted card to others', async () => {
    await say('live card');
    const id = String(sim.posted(CHANNEL).at(-1)?.id);

    const alice = await sim.seenBy(bot.url, CHANNEL, id, ALICE.aadObjectId);
    const bob = await sim.seenBy(bot.url, CHANNEL, id, BOB.aadObjectId);

    expect([alice.source, alice.status, alice.card]).toEqual([
      'refreshed',
      200,
      card('done: refresh'),
    ]);
    expect([
      bob.source,
      (bob.card?.body as Array<{ text: string }> | undefined)?.[0]?.text,
    ]).toEqual(['posted', 'read-only']);
    expect(turns.at(-1)?.value).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh', data: { id: 'f1' } },
      trigger: 'automatic',
    });
    expect(sim.unexpected).toEqual([]);
  });

  it('records updateActivity and shows the message as updated', async () => {
    await say('card');
    const id = String(sim.posted(CHANNEL).at(-1)?.id);

    await say(`edit ${id} resolved`);

    expect(sim.callsTo('updateActivity').map((c) => [c.activityId, c.status])).toEqual([[id, 200]]);
    expect(sim.activity(CHANNEL, id)?.text).toBe('resolved');
    expect(sim.unexpected).toEqual([]);
  });

  it('refuses a card message over 28 KB with 413 MessageSizeTooBig, which the SDK surfaces as an error', async () => {
    await say('big card');

    expect(sim.calls.map((c) => [c.operation, c.status, c.response])).toEqual([
      [
        'replyToActivity',
        413,
        { error: { code: 'MessageSizeTooBig', message: 'Message size too large.' } },
      ],
    ]);
    expect(bot.errors.map((e) => (e as { statusCode?: number }).statusCode)).toEqual([413]);
  });

  it.each([429, 502, 504])(
    "injects %i with Teams' body; the SDK's own pipeline retries it",
    async (status) => {
      sim.inject(status, { retryAfterSeconds: 0 });

      await say('hello');

      expect(sim.calls.map((c) => [c.status, c.note])).toEqual([
        [status, 'fault'],
        [201, undefined],
      ]);
      expect(bot.errors).toEqual([]);
    },
  );

  it('injects 412, which the SDK does not retry (the bot must)', async () => {
    sim.inject(412);

    await say('hello');

    expect(sim.calls.map((c) => [c.status, c.response])).toEqual([
      [
        412,
        {
          error: { code: 'PreconditionFailed', message: 'Precondition failed, please try again.' },
        },
      ],
    ]);
    expect(bot.errors.map((e) => (e as { statusCode?: number }).statusCode)).toEqual([412]);
  });

  it("gives up after the SDK's 3 retries of a persistent 429", async () => {
    sim.inject(429, { times: 10, retryAfterSeconds: 0 });

    await say('hello');

    expect(sim.calls.map((c) => c.status)).toEqual([429, 429, 429, 429]);
    expect(bot.errors.map((e) => (e as { statusCode?: number }).statusCode)).toEqual([429]);
  });

  it('posts proactively to a channel with continueConversationAsync and the stored reference', async () => {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: sim.url,
      conversation: {
        id: CHANNEL,
        name: 'ops',
        isGroup: true,
        conversationType: 'channel',
        tenantId: sim.tenantId,
      },
      bot: { id: `28:${sim.botAppId}`, name: sim.botName },
    };

    await bot.adapter.continueConversationAsync(sim.botAppId, reference, async (context) => {
      await context.sendActivity('scheduled summary');
    });

    // The SDK replies to the continuation activity's random id; Teams posts it in the channel.
    expect(sim.calls.map((c) => [c.operation, c.conversationId, c.status])).toEqual([
      ['replyToActivity', CHANNEL, 201],
    ]);
    expect(sim.posted(CHANNEL).at(-1)?.text).toBe('scheduled summary');
  });

  it('opens a 1:1 chat with createConversationAsync and posts in it', async () => {
    let conversationId = '';

    await bot.adapter.createConversationAsync(
      sim.botAppId,
      'msteams',
      sim.url,
      sim.oauthScope,
      {
        isGroup: false,
        bot: { id: `28:${sim.botAppId}`, name: sim.botName },
        members: [{ id: ALICE.id, name: ALICE.name }],
        tenantId: sim.tenantId,
      } as never,
      async (context) => {
        conversationId = String(context.activity.conversation.id);
        await context.sendActivity('hello Alice');
      },
    );

    expect(conversationId).toBe(`a:personal-${ALICE.aadObjectId}`);
    expect(sim.posted(conversationId).map((a) => a.text)).toEqual(['hello Alice']);
  });

  it.each([
    ['no token', null],
    ['forged', 'forged'],
    ['unknownKey', 'unknownKey'],
    ['expired', 'expired'],
    ['wrongAudience', 'wrongAudience'],
    ['wrongIssuer', 'wrongIssuer'],
    ['wrongServiceUrl', 'wrongServiceUrl'],
    ['notYetValid', 'notYetValid'],
    ['unsigned', 'unsigned'],
  ] as const)('the adapter refuses a %s token', async (_name, kind) => {
    const token = kind === null ? null : await sim.tokens[kind]();
    const res = await sim.deliver(bot.url, sim.message(CHANNEL, ALICE.aadObjectId, 'scan prod'), {
      token,
    });

    expect([res.status, res.body]).toEqual([401, undefined]);
    expect(turns).toEqual([]);
    expect(sim.calls).toEqual([]);
  });
});

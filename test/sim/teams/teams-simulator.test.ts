import { execFile } from 'node:child_process';
import { Agent, request } from 'node:https';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../support/requirements.js';
import { BOB } from './sim-people.js';
import { startTeamsSimulator, type TeamsSimulator } from './start-teams-simulator.js';

const CHANNEL = '19:ops@thread.tacv2';
const run = promisify(execFile);

describe('startTeamsSimulator (wire level)', () => {
  let sim: TeamsSimulator;
  let clock = 1_764_250_000_000;
  let token: string;

  beforeAll(async () => {
    sim = await startTeamsSimulator({ now: () => clock });
    sim.addConversation({ id: CHANNEL, conversationType: 'channel', name: 'ops', members: [BOB] });
  });
  afterAll(() => sim?.close());
  beforeEach(() => {
    clock += 3_600_000; // a fresh hour: thread limits never carry over between tests
    sim.calls.length = 0;
    sim.unexpected.length = 0;
    sim.clearFaults();
    token = sim.authority.issue(sim.botAppId);
  });

  const connector = (method: string, path: string, body?: unknown, auth = `Bearer ${token}`) =>
    fetch(`${sim.url}/v3/${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (res) => ({
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.text().then((t) => (t ? JSON.parse(t) : undefined))) as unknown,
    }));
  const send = (body: unknown, conversation = CHANNEL) =>
    connector('POST', `conversations/${encodeURIComponent(conversation)}/activities`, body);
  const message = (text: string) => ({ type: 'message', text });

  it('publishes OpenID metadata whose JWKS key is endorsed for msteams', async () => {
    const config = (await (await fetch(sim.openIdMetadataUrl)).json()) as Record<string, string>;
    const jwks = (await (await fetch(String(config.jwks_uri))).json()) as {
      keys: Array<Record<string, unknown>>;
    };

    expect(config.issuer).toBe('https://api.botframework.com');
    expect(jwks.keys.map((k) => [k.kty, k.use, k.endorsements])).toEqual([
      ['RSA', 'sig', ['msteams']],
    ]);
  });

  it.each([
    ['no token', ''],
    ['a token it did not issue', 'Bearer eyJhbGciOiJub25lIn0.e30.'],
  ])('refuses a connector call with %s: 401 and nothing posted', async (_case, auth) => {
    const res = await connector('POST', `conversations/${CHANNEL}/activities`, message('hi'), auth);

    expect([res.status, res.body]).toEqual([
      401,
      { message: 'Authorization has been denied for this request.' },
    ]);
    expect(sim.posted(CHANNEL)).toEqual([]);
  });

  it('answers 404 ConversationNotFound for a conversation it does not know', async () => {
    const res = await send(message('hi'), '19:nowhere@thread.tacv2');

    expect([res.status, res.body]).toEqual([
      404,
      { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } },
    ]);
  });

  it('records a request it does not understand as unexpected', async () => {
    const res = await connector('GET', 'teams/19:team/conversations');

    expect(res.status).toBe(404);
    expect(sim.unexpected).toEqual([
      'GET /v3/teams/19:team/conversations: unknown connector request GET /v3/teams/19:team/conversations',
    ]);
  });

  it.each([
    [{ type: 'message' }, 'a message needs text or attachments'],
    [{ type: 'event', text: 'x' }, 'type: Invalid option: expected one of "message"|"typing"'],
    [
      {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: { type: 'AdaptiveCard', version: '1.6', body: [] },
          },
        ],
      },
      'attachments.0.content.version: Teams renders Adaptive Cards 1.0–1.5, got 1.6',
    ],
    [
      {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              type: 'AdaptiveCard',
              version: '1.5',
              refresh: { action: { type: 'Action.Submit' }, userIds: ['29:1bob'] },
              actions: [{ type: 'Action.Http' }],
            },
          },
        ],
      },
      'attachments.0.content.actions.0.type: unknown action type Action.Http; attachments.0.content.refresh.action: must be an Action.Execute',
    ],
  ])('refuses a malformed activity with 400 BadArgument and flags it: %j', async (body, error) => {
    const res = await send(body);

    expect([res.status, res.body]).toEqual([
      400,
      { error: { code: 'BadArgument', message: error } },
    ]);
    expect(sim.unexpected).toHaveLength(1);
  });

  it('refuses a message over 28 KB with 413 MessageSizeTooBig, and takes one just under', async () => {
    const envelope = JSON.stringify(message('')).length;
    const under = await send(message('x'.repeat(28 * 1024 - envelope)));
    const over = await send(message('x'.repeat(28 * 1024 - envelope + 1)));

    expect([under.status, over.status, over.body]).toEqual([
      201,
      413,
      { error: { code: 'MessageSizeTooBig', message: 'Message size too large.' } },
    ]);
  });

  it("throttles the 8th send within a second to one conversation (Teams' per-thread limit)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await send(message(`m${i}`))).status);
    clock += 1000;
    const afterASecond = await send(message('later'));

    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 429]);
    expect(sim.calls.at(-2)?.note).toBe('throttled');
    // 8 per 2 s: a second later the window still holds 7 sends.
    expect(afterASecond.status).toBe(201);
  });

  it('injects faults with Teams bodies and Retry-After, only on matching requests', async () => {
    sim.inject(429, { retryAfterSeconds: 3, match: /^PUT / });
    sim.inject(502, { times: 2 });
    const first = await send(message('a'));
    const second = await send(message('b'));
    const third = await send(message('c'));
    const id = String((third.body as { id: string }).id);
    const update = await connector(
      'PUT',
      `conversations/${CHANNEL}/activities/${id}`,
      message('c2'),
    );

    expect([first.status, second.status, third.status]).toEqual([502, 502, 201]);
    expect([update.status, update.retryAfter, update.body]).toEqual([
      429,
      '3',
      { error: { code: 'Throttled', message: 'Too many requests.' } },
    ]);
    expect(sim.activity(CHANNEL, id)?.text).toBe('c');
  });

  it('starts a channel thread and a 1:1 chat with createConversation', async () => {
    const thread = await connector('POST', 'conversations', {
      isGroup: true,
      channelData: { channel: { id: CHANNEL }, tenant: { id: sim.tenantId } },
      activity: message('summary'),
    });
    const personal = await connector('POST', 'conversations', {
      members: [{ id: BOB.id }],
      tenantId: sim.tenantId,
    });

    const { id, activityId } = thread.body as { id: string; activityId: string };
    expect(id).toBe(`${CHANNEL};messageid=${activityId}`);
    expect(sim.activity(CHANNEL, activityId)?.text).toBe('summary');
    expect(personal.body).toEqual({ id: `a:personal-${BOB.aadObjectId}` });
    expect(sim.unexpected).toEqual([]);
  });

  it('answers 403 BotNotInConversationRoster once the app is removed from a conversation', async () => {
    sim.addConversation({
      id: '19:gone@thread.tacv2',
      conversationType: 'channel',
      members: [BOB],
    });
    sim.removeBot('19:gone@thread.tacv2');

    const res = await send(message('hi'), '19:gone@thread.tacv2');

    expect([res.status, res.body]).toEqual([
      403,
      {
        error: {
          code: 'BotNotInConversationRoster',
          message: "The bot isn't part of the conversation roster.",
        },
      },
    ]);
  });

  it('issues client-credential tokens only for the app secret and the Bot Framework scope', async () => {
    const agent = new Agent({ ca: sim.caPem });
    const ask = (secret: string, scope: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const form = new URLSearchParams({
          client_id: sim.botAppId,
          client_secret: secret,
          scope,
          grant_type: 'client_credentials',
        }).toString();
        const req = agentRequest(
          agent,
          `${sim.loginUrl}/${sim.tenantId}/oauth2/v2.0/token`,
          form,
          resolve,
        );
        req.on('error', reject);
      });

    const ok = await ask(sim.botAppPassword, 'https://api.botframework.com/.default');
    const badSecret = await ask('wrong', 'https://api.botframework.com/.default');
    const badScope = await ask(sim.botAppPassword, 'https://graph.microsoft.com/.default');

    expect([ok.status, ok.body.token_type]).toEqual([200, 'Bearer']);
    expect([badSecret.status, badSecret.body.error]).toEqual([401, 'invalid_client']);
    expect([badScope.status, badScope.body.error]).toEqual([400, 'invalid_scope']);
  });

  it("gives a UserAssignedMSI bot its token through the App Service managed identity endpoint (botbuilder's own factory, child process)", async () => {
    const script = `
      import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
      const f = new ConfigurationServiceClientCredentialFactory({
        MicrosoftAppId: '${sim.botAppId}', MicrosoftAppType: 'UserAssignedMsi', MicrosoftAppTenantId: '${sim.tenantId}',
      });
      const c = await f.createCredentials('${sim.botAppId}', 'https://api.botframework.com');
      process.stdout.write(await c.getToken());`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, ...sim.managedIdentityEnv },
      cwd: PROJECT_ROOT,
    });

    const res = await connector(
      'POST',
      `conversations/${CHANNEL}/activities`,
      message('hi'),
      `Bearer ${stdout}`,
    );
    expect(res.status).toBe(201);
  });
});

function agentRequest(
  agent: Agent,
  url: string,
  form: string,
  resolve: (value: { status: number; body: Record<string, unknown> }) => void,
) {
  const req = request(url, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  req.on('response', (res) => {
    let text = '';
    res.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
  });
  req.end(form);
  return req;
}

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createSelfSignedCert } from '../arm/create-self-signed-cert.js';
import { SimAuthority } from '../arm/sim-authority.js';
import { SimUnknownRequest } from '../arm/sim-context.js';
import {
  adaptiveCardInvoke,
  conversationUpdateActivity,
  type InboundActivity,
  type InboundContext,
  installationUpdateActivity,
  messageActivity,
} from './build-inbound-activity.js';
import { createChannelTokenMinter } from './channel-token-minter.js';
import { type ConnectorOperation, handleConnectorRequest } from './handle-connector-request.js';
import { channelJwks, createChannelKey } from './sim-channel-keys.js';
import { type SimConversation, SimConversations, type SimMember } from './sim-conversations.js';
import { SimThreadLimits, TEAMS_THREAD_LIMITS, type ThreadLimit } from './sim-thread-limits.js';
import { type TeamsSimReply, teamsFault, UNAUTHORIZED } from './teams-errors.js';
import { validateAdaptiveCardInvokeResponse } from './validate-outbound-activity.js';

export interface TeamsSimulatorOptions {
  /** The bot's Microsoft App ID (a GUID). */
  botAppId?: string;
  /** The app's client secret, checked by the token endpoint. */
  botAppPassword?: string;
  /** The bot's Entra tenant (SingleTenant). */
  tenantId?: string;
  botName?: string;
  /** `iss` of channel tokens; the real service uses `https://api.botframework.com`. */
  issuer?: string;
  /** The audience the bot must request tokens for (`ToChannelFromBotOAuthScope`). */
  oauthScope?: string;
  /** Accept connector calls without a token (a bot running with authentication off). */
  allowAnonymous?: boolean;
  /** Per-conversation send limits; `false` turns them off. Default Teams' documented ones. */
  threadLimits?: ThreadLimit[] | false;
  /** Seconds in Retry-After when a thread limit is hit. */
  retryAfterSeconds?: number;
  /** `X-IDENTITY-HEADER` the App Service managed identity endpoint expects. */
  identityHeader?: string;
  now?: () => number;
}

/** One connector call the bot made, as the simulator answered it. */
export interface ConnectorCall {
  operation?: ConnectorOperation;
  method: string;
  path: string;
  conversationId?: string;
  /** The activity id created, updated or deleted. */
  activityId?: string;
  /** For replyToActivity: the id in the URL. */
  replyToId?: string;
  body: unknown;
  bytes: number;
  status: number;
  response: unknown;
  /** `fault` when injected, `throttled` by a thread limit. */
  note?: 'fault' | 'throttled';
}

interface FaultRule {
  match: RegExp;
  status: number;
  retryAfterSeconds?: number;
  left: number;
}

const DEFAULT_APP_ID = '7d1f0a2e-5b3c-4e8f-9a61-0c2b4d6e8f10';
const DEFAULT_TENANT = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';

/**
 * A local Bot Framework service for the real `botbuilder` client. Over HTTP (`url`): the
 * connector API at `/v3/…` (the activities' `serviceUrl`), the channel's OpenID metadata and signing
 * keys, and an App Service managed identity endpoint. Over HTTPS (`loginUrl`, self-signed `caPem`):
 * an Entra authority issuing the bot's outbound tokens. It signs what it delivers to the bot,
 * validates and records what the bot sends, enforces Teams' size and thread limits, injects faults,
 * and lists every request it did not understand in `unexpected`.
 *
 * @example
 * const sim = await startTeamsSimulator();
 * sim.addConversation({ id: '19:c@thread.tacv2', conversationType: 'channel', members: [alice] });
 * const res = await sim.deliver(botUrl, sim.message('19:c@thread.tacv2', alice.aadObjectId, 'scan prod'));
 */
export async function startTeamsSimulator(options: TeamsSimulatorOptions = {}) {
  const now = options.now ?? Date.now;
  const botAppId = options.botAppId ?? DEFAULT_APP_ID;
  const botAppPassword = options.botAppPassword ?? 'sim-bot-password';
  const tenantId = options.tenantId ?? DEFAULT_TENANT;
  const botName = options.botName ?? 'driftwatch';
  const issuer = options.issuer ?? 'https://api.botframework.com';
  const oauthScope = options.oauthScope ?? 'https://api.botframework.com';
  const identityHeader = options.identityHeader ?? 'sim-identity-header';
  const retryAfter = options.retryAfterSeconds ?? 1;
  const key = createChannelKey(['msteams']);
  const conversations = new SimConversations();
  const limits =
    options.threadLimits === false
      ? undefined
      : new SimThreadLimits(options.threadLimits ?? TEAMS_THREAD_LIMITS, now);
  const calls: ConnectorCall[] = [];
  const inbound: InboundActivity[] = [];
  const unexpected: string[] = [];
  const faults: FaultRule[] = [];
  const botPosted = new Set<string>();
  const sockets = new Set<Socket>();
  let url = '';
  let loginUrl = '';
  const authority = new SimAuthority(() => loginUrl, now);
  authority.clients.set(botAppId, botAppPassword);
  const tokens = createChannelTokenMinter({
    key,
    issuer,
    botAppId,
    serviceUrl: () => url,
    now,
  });

  const http = createHttpServer((req, res) => serve(req, res, handleHttp));
  const { keyPem, certPem } = createSelfSignedCert();
  const https = createHttpsServer({ key: keyPem, cert: certPem }, (req, res) =>
    serve(req, res, handleLogin),
  );

  function serve(
    req: IncomingMessage,
    res: ServerResponse,
    handler: (req: IncomingMessage, raw: Buffer) => Promise<TeamsSimReply> | TeamsSimReply,
  ) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let reply: TeamsSimReply;
        try {
          reply = await handler(req, Buffer.concat(chunks));
        } catch (error) {
          // A simulator bug is as loud as a request it does not understand.
          const known = error instanceof SimUnknownRequest;
          unexpected.push(
            `${req.method} ${req.url}: ${known ? '' : 'simulator error: '}${(error as Error).message}`,
          );
          reply = {
            status: 400,
            body: { error: { code: 'BadArgument', message: 'not understood' } },
          };
        }
        res.writeHead(reply.status, {
          'content-type': 'application/json; charset=utf-8',
          ...reply.headers,
        });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      })();
    });
  }

  function handleLogin(req: IncomingMessage, raw: Buffer): TeamsSimReply {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'https://sim').pathname;
    const form = method === 'POST' ? new URLSearchParams(raw.toString('utf8')) : undefined;
    const scope = form?.get('scope');
    if (form && scope !== `${oauthScope}/.default`) return invalidScope(scope);
    return authority.handle(method, path, form);
  }

  async function handleHttp(req: IncomingMessage, raw: Buffer): Promise<TeamsSimReply> {
    const method = req.method ?? 'GET';
    const parsed = new URL(req.url ?? '/', 'http://sim');
    const path = parsed.pathname;
    if (method === 'GET' && path === '/v1/.well-known/openidconfiguration')
      return { status: 200, body: openIdConfiguration() };
    if (method === 'GET' && path === '/v1/.well-known/keys')
      return { status: 200, body: await channelJwks([key]) };
    if (method === 'GET' && path === '/msi/token') return managedIdentityToken(req, parsed);
    if (!path.startsWith('/v3/')) throw new SimUnknownRequest(`no such endpoint ${method} ${path}`);
    return handleConnector(req, method, path, raw);
  }

  function handleConnector(
    req: IncomingMessage,
    method: string,
    path: string,
    raw: Buffer,
  ): TeamsSimReply {
    const text = raw.toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new SimUnknownRequest('request body is not JSON');
    }
    const record = (reply: TeamsSimReply, extra: Partial<ConnectorCall> = {}) => {
      calls.push({
        method,
        path,
        body,
        bytes: raw.length,
        status: reply.status,
        response: reply.body,
        ...extra,
      });
      return reply;
    };
    const verified = req.headers.authorization
      ? authority.verify(req.headers.authorization)
      : undefined;
    const authorised = verified
      ? !('status' in verified) && verified.principal === botAppId
      : options.allowAnonymous === true;
    if (!authorised) return record(UNAUTHORIZED);
    const rule = faults.find((f) => f.left > 0 && f.match.test(`${method} ${path}`));
    if (rule) {
      rule.left -= 1;
      return record(teamsFault(rule.status, rule.retryAfterSeconds), { note: 'fault' });
    }
    const segments = path.slice('/v3/'.length).split('/').map(decodeURIComponent);
    // Teams documents its per-thread limits for sending (new messages and replies); updates and
    // reads are not counted here.
    const sends = method === 'POST';
    const target = segments[0] === 'conversations' ? segments[1] : undefined;
    // A channel's reply chain (`19:…;messageid=N`) is its own thread, counted apart.
    const thread = target && conversations.get(target) ? target : undefined;
    if (sends && thread && limits && !limits.take(thread))
      return record(teamsFault(429, retryAfter), { note: 'throttled', conversationId: target });
    const outcome = handleConnectorRequest(
      conversations,
      { method, segments, body, bytes: raw.length, appId: botAppId },
      url,
    );
    if (outcome.problem) unexpected.push(`${method} ${path}: ${outcome.problem}`);
    if (outcome.activityId && outcome.reply.status < 300 && outcome.operation !== 'deleteActivity')
      botPosted.add(outcome.activityId);
    return record(outcome.reply, {
      ...(outcome.operation ? { operation: outcome.operation } : {}),
      ...(outcome.conversationId ? { conversationId: outcome.conversationId } : {}),
      ...(outcome.activityId ? { activityId: outcome.activityId } : {}),
      ...(outcome.replyToId ? { replyToId: outcome.replyToId } : {}),
    });
  }

  function managedIdentityToken(req: IncomingMessage, parsed: URL): TeamsSimReply {
    if (req.headers['x-identity-header'] !== identityHeader)
      return {
        status: 401,
        body: {
          error: 'invalid_request',
          error_description: 'X-IDENTITY-HEADER is missing or wrong',
        },
      };
    const resource = parsed.searchParams.get('resource');
    const clientId = parsed.searchParams.get('client_id');
    if (parsed.searchParams.get('api-version') !== '2019-08-01' || clientId !== botAppId)
      throw new SimUnknownRequest(`managed identity request ${parsed.search}`);
    if (resource !== oauthScope) return invalidScope(resource);
    return {
      status: 200,
      body: {
        access_token: authority.issue(botAppId),
        expires_on: String(Math.floor(now() / 1000) + 3599),
        resource,
        token_type: 'Bearer',
        client_id: botAppId,
      },
    };
  }

  function openIdConfiguration() {
    return {
      issuer,
      authorization_endpoint: `${url}/v1/.well-known/authorize`,
      jwks_uri: `${url}/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
  }

  function invalidScope(scope: string | null | undefined): TeamsSimReply {
    return {
      status: 400,
      body: {
        error: 'invalid_scope',
        error_description: `AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid; the Bot Framework accepts ${oauthScope}/.default.`,
        error_codes: [70011],
      },
    };
  }

  for (const server of [http, https]) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  const listen = (server: typeof http | typeof https) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  url = `http://127.0.0.1:${await listen(http)}`;
  loginUrl = `https://127.0.0.1:${await listen(https)}`;

  const conversationOf = (id: string): SimConversation => {
    const conversation = conversations.get(id);
    if (!conversation)
      throw new Error(`teams simulator: no conversation ${id}; addConversation first`);
    return conversation;
  };
  const context = (conversationId: string, user: string): InboundContext => {
    const conversation = conversationOf(conversationId);
    const from = conversation.members.find((m) => m.id === user || m.aadObjectId === user);
    if (!from) throw new Error(`teams simulator: ${user} is not a member of ${conversationId}`);
    return { conversation: { ...conversation, id: conversationId }, from, botAppId, botName };
  };

  return {
    /** `http://127.0.0.1:<port>`: the `serviceUrl` of every activity and the OpenID metadata host. */
    url,
    /** `https://127.0.0.1:<port>`: the Entra authority host (`authorityHost`) for the bot's tokens. */
    loginUrl,
    /** The login host's self-signed certificate (trust it via an agent's `ca` or NODE_EXTRA_CA_CERTS). */
    caPem: certPem,
    botAppId,
    botAppPassword,
    tenantId,
    botName,
    issuer,
    oauthScope,
    /** `ToBotFromChannelOpenIdMetadataUrl`. */
    openIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
    /** For ManagedIdentityCredential via App Service variables: `IDENTITY_ENDPOINT`, `IDENTITY_HEADER`. */
    managedIdentityEnv: { IDENTITY_ENDPOINT: `${url}/msi/token`, IDENTITY_HEADER: identityHeader },
    /**
     * Settings for botbuilder's `ConfigurationBotFrameworkAuthentication` (every parameterised key,
     * so the SDK uses none of its public-cloud defaults).
     */
    botFrameworkAuthConfig() {
      return {
        MicrosoftAppId: botAppId,
        MicrosoftAppPassword: botAppPassword,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: tenantId,
        ToChannelFromBotLoginUrl: `${loginUrl}/${tenantId}`,
        ToChannelFromBotOAuthScope: oauthScope,
        ToBotFromChannelTokenIssuer: issuer,
        ToBotFromChannelOpenIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
        ToBotFromEmulatorOpenIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
        OAuthUrl: url,
        CallerId: 'urn:botframework:azure',
        ValidateAuthority: true,
      };
    },
    conversations,
    addConversation(
      conversation: Omit<SimConversation, 'activities' | 'members' | 'tenantId'> & {
        members?: SimMember[];
        tenantId?: string;
      },
    ) {
      return conversations.add({ tenantId, ...conversation });
    },
    /** Who sends and where: the envelope for the builders in build-inbound-activity.ts. */
    context,
    message: (conversationId: string, user: string, text: string, opts?: { mention?: boolean }) =>
      messageActivity(context(conversationId, user), text, opts),
    invoke: (
      conversationId: string,
      user: string,
      action: Parameters<typeof adaptiveCardInvoke>[1],
    ) => adaptiveCardInvoke(context(conversationId, user), action),
    installationUpdate: (conversationId: string, user: string, action: 'add' | 'remove') =>
      installationUpdateActivity(context(conversationId, user), action),
    conversationUpdate: (
      conversationId: string,
      user: string,
      change: Parameters<typeof conversationUpdateActivity>[1],
    ) => conversationUpdateActivity(context(conversationId, user), change),
    /** Channel → bot tokens: the valid one and the kinds a bot must refuse. */
    tokens,
    /**
     * POSTs `activity` to the bot like the channel does: id, timestamp and serviceUrl filled in,
     * signed with a valid token unless `token` is given (`null` sends no Authorization header).
     * The answer to an `adaptiveCard/action` invoke is checked (200, `{ statusCode, type, value }`,
     * a valid card under 28 KB); problems go to `unexpected`.
     */
    async deliver(botUrl: string, activity: InboundActivity, opts: { token?: string | null } = {}) {
      const conversationId = (activity.conversation as { id?: string } | undefined)?.id;
      const full: InboundActivity = {
        id: conversations.nextActivityId(),
        timestamp: new Date(now()).toISOString(),
        serviceUrl: url,
        ...activity,
      };
      inbound.push(full);
      if (full.type === 'message' && conversationId)
        conversations.get(conversationId)?.activities.set(String(full.id), full);
      const token = opts.token === undefined ? await tokens.valid() : opts.token;
      const res = await fetch(botUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(full),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text (CloudAdapter answers auth failures with plain text)
      }
      // Teams reads the Universal Action's answer from the response; check it as Teams would.
      if (
        opts.token === undefined &&
        full.type === 'invoke' &&
        full.name === 'adaptiveCard/action'
      ) {
        for (const problem of validateAdaptiveCardInvokeResponse(res.status, body))
          unexpected.push(`adaptiveCard/action ${String(full.id)}: ${problem}`);
      }
      return { status: res.status, body, activity: full };
    },
    /** Every inbound activity delivered, in order. */
    inbound,
    /** Every connector call, in order. */
    calls,
    callsTo: (operation: ConnectorOperation) => calls.filter((c) => c.operation === operation),
    /** The bot's activities in a conversation (a channel includes its threads), as they stand now. */
    posted(conversationId: string) {
      return [...conversationOf(conversationId).activities.values()].filter((a) =>
        botPosted.has(String(a.id)),
      );
    },
    /** One activity as it stands now (after updateActivity), bot's or user's. */
    activity: (conversationId: string, activityId: string) =>
      conversationOf(conversationId).activities.get(activityId),
    /**
     * Makes the next `times` connector requests matching `match` (against `METHOD /v3/path`, default
     * any) fail with `status` and Teams' error body; 429s carry Retry-After.
     */
    inject(
      status: number,
      opts: { times?: number; match?: RegExp; retryAfterSeconds?: number } = {},
    ) {
      faults.push({
        match: opts.match ?? /./,
        status,
        left: opts.times ?? 1,
        ...(status === 429 || opts.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: opts.retryAfterSeconds ?? retryAfter }
          : {}),
      });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    /** Tokens the bot obtained (client credentials or managed identity). */
    authority,
    /** Requests not understood and malformed activities: tests assert this stays empty. */
    unexpected,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return Promise.all(
        [http, https].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined);
    },
  };
}

export type TeamsSimulator = Awaited<ReturnType<typeof startTeamsSimulator>>;

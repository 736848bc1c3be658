import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
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
import { cardSeenBy } from './card-seen-by.js';
import { createChannelTokenMinter } from './channel-token-minter.js';
import { type ConnectorCall, createConnectorFront } from './connector-front.js';
import { createDeliver } from './deliver-to-bot.js';
import type { ConnectorOperation } from './handle-connector-request.js';
import { serveSimRequest } from './serve-sim-request.js';
import { channelJwks, createChannelKey } from './sim-channel-keys.js';
import { type SimConversation, SimConversations, type SimMember } from './sim-conversations.js';
import { SimThreadLimits, TEAMS_THREAD_LIMITS, type ThreadLimit } from './sim-thread-limits.js';
import { createTokenEndpoints } from './sim-token-endpoints.js';
import type { TeamsSimReply } from './teams-errors.js';

export type { ConnectorCall } from './connector-front.js';

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
  const botPosted = new Set<string>();
  const sockets = new Set<Socket>();
  let url = '';
  let loginUrl = '';
  const authority = new SimAuthority(() => loginUrl, now);
  authority.clients.set(botAppId, botAppPassword);
  const connector = createConnectorFront({
    authority,
    botAppId,
    allowAnonymous: options.allowAnonymous,
    conversations,
    limits,
    retryAfterSeconds: retryAfter,
    serviceUrl: () => url,
    calls,
    unexpected,
    botPosted,
  });
  const endpoints = createTokenEndpoints({ authority, botAppId, oauthScope, identityHeader, now });
  const tokens = createChannelTokenMinter({
    key,
    issuer,
    botAppId,
    serviceUrl: () => url,
    now,
  });

  const http = createHttpServer((req, res) => serveSimRequest(req, res, handleHttp, unexpected));
  const { keyPem, certPem } = createSelfSignedCert();
  const https = createHttpsServer({ key: keyPem, cert: certPem }, (req, res) =>
    serveSimRequest(req, res, endpoints.login, unexpected),
  );

  async function handleHttp(req: IncomingMessage, raw: Buffer): Promise<TeamsSimReply> {
    const method = req.method ?? 'GET';
    const parsed = new URL(req.url ?? '/', 'http://sim');
    const path = parsed.pathname;
    if (method === 'GET' && path === '/v1/.well-known/openidconfiguration')
      return { status: 200, body: openIdConfiguration() };
    if (method === 'GET' && path === '/v1/.well-known/keys')
      return { status: 200, body: await channelJwks([key]) };
    if (method === 'GET' && path === '/msi/token') return endpoints.managedIdentity(req, parsed);
    if (!path.startsWith('/v3/')) throw new SimUnknownRequest(`no such endpoint ${method} ${path}`);
    return connector.handle(req, method, path, raw);
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

  const deliver = createDeliver({
    conversations,
    inbound,
    unexpected,
    tokens,
    now,
    serviceUrl: () => url,
  });

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
    /**
     * The app is uninstalled from the conversation (or the bot removed from the team): from now on
     * the connector answers the bot 403 BotNotInConversationRoster there, as Teams does. Deliver
     * `installationUpdate(…, 'remove')` too if the bot should hear about it.
     */
    removeBot(conversationId: string) {
      conversationOf(conversationId).botRemoved = true;
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
    deliver,
    /**
     * The card `user` (Teams id or object id) sees for the bot's card message `activityId`: with
     * `refresh` and the user in `refresh.userIds` (or no userIds), Teams asks the bot with an
     * automatic `adaptiveCard/action` invoke and shows its answer; otherwise the card as it stands.
     */
    async seenBy(botUrl: string, conversationId: string, activityId: string, user: string) {
      const viewer = context(conversationId, user);
      return cardSeenBy(
        conversationOf(conversationId).activities.get(activityId),
        viewer.from.id,
        (action) =>
          deliver(botUrl, adaptiveCardInvoke(viewer, { ...action, trigger: 'automatic' })),
      );
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
    inject: connector.inject,
    clearFaults: connector.clearFaults,
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

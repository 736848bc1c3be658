import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientSecretCredential } from '@azure/identity';
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationError,
  ManagedIdentityServiceClientCredentialsFactory,
} from 'botframework-connector';
import { createHttpClient } from '../../../core/collect/create-http-client.js';
import type { TeamsSimulator } from './start-teams-simulator.js';

/**
 * A minimal bot on node:http around the real `CloudAdapter`, configured against the simulator
 * the way a bot is configured against a sovereign cloud: every parameterised setting from
 * `sim.botFrameworkAuthConfig()`, and the outbound token from `@azure/identity`'s
 * `ClientSecretCredential` pointed at the simulator's authority (trusting its certificate). Used by
 * the simulator's own tests; driftwatch's bot wires the same settings from its config.
 */
export async function startCloudAdapterBot(
  sim: TeamsSimulator,
  logic: (context: TurnContext) => Promise<void>,
) {
  const httpClient = createHttpClient({ caPem: sim.caPem });
  const credentialsFactory = new ManagedIdentityServiceClientCredentialsFactory(sim.botAppId, {
    createAzureServiceTokenProvider: () =>
      // Typed as DefaultAzureCredential, but the SDK only calls getToken(scope) on it.
      new ClientSecretCredential(sim.tenantId, sim.botAppId, sim.botAppPassword, {
        authorityHost: sim.loginUrl,
        disableInstanceDiscovery: true,
        httpClient,
      }) as never,
  });
  const auth = new ConfigurationBotFrameworkAuthentication(
    sim.botFrameworkAuthConfig(),
    credentialsFactory,
  );
  const adapter = new HarnessAdapter(auth);
  const errors: unknown[] = [];
  adapter.onTurnError = async (_context, error) => {
    errors.push(error);
  };
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Activity;
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    try {
      const invoke = await adapter.run(req.headers.authorization ?? '', activity, logic);
      reply(invoke?.status ?? 200, invoke?.body);
    } catch (error) {
      reply(isAuthFailure(error) ? 401 : 500);
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  return {
    url,
    adapter,
    /** Errors the adapter's onTurnError saw. */
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Exposes the adapter's protected `processActivity`, which returns the invoke response. */
class HarnessAdapter extends CloudAdapter {
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * `CloudAdapter.process` answers 401 only for botframework-connector's `AuthenticationError`; a
 * token whose signature does not verify, or that is not valid yet, or unsigned, fails inside
 * `jsonwebtoken` and would come back as 500. A bot calls `processActivity` itself and maps both.
 */
function isAuthFailure(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return (
    error instanceof AuthenticationError ||
    name === 'JsonWebTokenError' ||
    name === 'NotBeforeError' ||
    name === 'TokenExpiredError'
  );
}

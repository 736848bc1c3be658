import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { TeamsEnv } from './teams-env.js';

/**
 * `CloudAdapter` with a narrow entry for the host's route: {@link TeamsAdapter.receive} runs one
 * inbound activity through the adapter's own authentication (the `Authorization` header's JWT
 * checked against the Bot Framework's OpenID metadata: issuer, audience = the app id, signing
 * key, expiry, and the `serviceurl` claim) and returns the invoke response, if any.
 */
export class TeamsAdapter extends CloudAdapter {
  /** True when no app id is configured: inbound requests are not authenticated (local only). */
  readonly authenticationOff: boolean;
  readonly appId: string;

  constructor(env: TeamsEnv, credentialsFactory?: TeamsCredentialsFactory) {
    const credentials = {
      ...(env.MicrosoftAppId ? { MicrosoftAppId: env.MicrosoftAppId } : {}),
      ...(env.MicrosoftAppType ? { MicrosoftAppType: env.MicrosoftAppType } : {}),
      ...(env.MicrosoftAppTenantId ? { MicrosoftAppTenantId: env.MicrosoftAppTenantId } : {}),
      ...(env.MicrosoftAppPassword ? { MicrosoftAppPassword: env.MicrosoftAppPassword } : {}),
    };
    const endpoints: ConfigurationBotFrameworkAuthenticationOptions = { ...credentials };
    for (const key of ENDPOINT_KEYS) {
      const value = env[key];
      if (value !== undefined) endpoints[key] = value;
    }
    super(
      new ConfigurationBotFrameworkAuthentication(
        endpoints,
        credentialsFactory ?? new ConfigurationServiceClientCredentialFactory(credentials),
      ),
    );
    this.appId = env.MicrosoftAppId ?? '';
    this.authenticationOff = !env.MicrosoftAppId;
  }

  /**
   * Authenticates and runs one inbound activity. Throws the SDK's `AuthenticationError` (status
   * 401) for a missing, forged, expired or wrong-audience token when an app id is configured.
   */
  receive(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** What makes the bot's outbound tokens (botframework-connector's `ServiceClientCredentialsFactory`). */
export type TeamsCredentialsFactory = NonNullable<
  ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]
>;

/**
 * Endpoint settings `ConfigurationBotFrameworkAuthentication` reads, under botbuilder's own names:
 * for sovereign clouds, and for the local connector simulator in tests.
 */
export const ENDPOINT_KEYS = [
  'ChannelService',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'CallerId',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ValidateAuthority',
  'OAuthUrl',
] as const;

/**
 * Removes the SDK's built-in retry policy from this turn's connector client, so that
 * `TeamsSender` alone decides retries (412 included, with the injected clock and the metrics)
 * instead of two layers compounding. The client is botbuilder's `ConnectorClient` over
 * `@azure/core-client`; if that shape changes, nothing is removed and the SDK retries as before.
 */
export function ownRetries(context: TurnContext): void {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy(options: { name: string }): unknown } } }
    | undefined;
  connector?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
}

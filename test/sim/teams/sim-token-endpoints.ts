import type { IncomingMessage } from 'node:http';
import type { SimAuthority } from '../arm/sim-authority.js';
import { SimUnknownRequest } from '../arm/sim-context.js';
import type { TeamsSimReply } from './teams-errors.js';

export interface TokenEndpointOptions {
  authority: SimAuthority;
  botAppId: string;
  /** The only audience the Bot Framework issues tokens for (`…/.default` as a scope). */
  oauthScope: string;
  identityHeader: string;
  now: () => number;
}

/**
 * Where the bot gets its outbound tokens: the Entra authority (client credentials, via the ARM
 * simulator's `SimAuthority`, limited to the Bot Framework scope) and the App Service managed
 * identity endpoint (`IDENTITY_ENDPOINT`, API version 2019-08-01, `X-IDENTITY-HEADER`), which
 * botbuilder's UserAssignedMsi credentials reach through `@azure/identity`.
 */
export function createTokenEndpoints(options: TokenEndpointOptions) {
  const { authority, botAppId, oauthScope, identityHeader, now } = options;

  function invalidScope(scope: string | null | undefined): TeamsSimReply {
    return {
      status: 400,
      body: {
        error: 'invalid_scope',
        error_description: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid; the Bot Framework accepts ${oauthScope}/.default.`,
        error_codes: [70011],
      },
    };
  }

  return {
    /** `GET /{tenant}/v2.0/.well-known/openid-configuration`, `POST /{tenant}/oauth2/v2.0/token`. */
    login(req: IncomingMessage, raw: Buffer): TeamsSimReply {
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'https://sim').pathname;
      const form = method === 'POST' ? new URLSearchParams(raw.toString('utf8')) : undefined;
      const scope = form?.get('scope');
      if (form && scope !== `${oauthScope}/.default`) return invalidScope(scope);
      return authority.handle(method, path, form);
    },

    /** `GET /msi/token?api-version=2019-08-01&resource=…&client_id=…`. */
    managedIdentity(req: IncomingMessage, url: URL): TeamsSimReply {
      if (req.headers['x-identity-header'] !== identityHeader)
        return {
          status: 401,
          body: {
            error: 'invalid_request',
            error_description: 'X-IDENTITY-HEADER is missing or wrong',
          },
        };
      const resource = url.searchParams.get('resource');
      const clientId = url.searchParams.get('client_id');
      if (url.searchParams.get('api-version') !== '2019-08-01' || clientId !== botAppId)
        throw new SimUnknownRequest(`managed identity request ${url.search}`);
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
    },
  };
}

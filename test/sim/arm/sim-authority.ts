import { randomBytes } from 'node:crypto';
import type { SimReply } from './sim-context.js';
import { SimUnknownRequest } from './sim-context.js';

/** A client registered by default (a GUID, as config validation wants). */
export const SIM_CLIENT_ID = '5e1c0000-0000-4000-8000-00000000c11e';
export const SIM_CLIENT_SECRET = 'sim-client-secret-value';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A fake Entra ID authority: OpenID discovery and the v2 token endpoint for the client-credentials
 * grant (secret or client assertion), enough for `@azure/identity` pointed at it with
 * `authorityHost` + `disableInstanceDiscovery`. It remembers the tokens it issued so the ARM side
 * can verify, expire and revoke them.
 */
export class SimAuthority {
  private readonly tokens = new Map<string, { principal: string; expiresAt: number }>();
  /** client id → secret; assertions (certificate, federated token) are accepted for any client. */
  readonly clients = new Map<string, string>([
    ['sim-client', 'sim-secret'],
    [SIM_CLIENT_ID, SIM_CLIENT_SECRET],
  ]);

  constructor(
    private readonly url: () => string,
    private readonly now: () => number,
  ) {}

  /** A JWT-shaped bearer token for `principal`, valid `ttlSeconds`. */
  issue(principal = 'sim-client', ttlSeconds = 3600): string {
    const expiresAt = this.now() + ttlSeconds * 1000;
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ appid: principal, oid: principal, exp: Math.floor(expiresAt / 1000) })}.${randomBytes(16).toString('base64url')}`;
    this.tokens.set(token, { principal, expiresAt });
    return token;
  }

  /** Makes every issued token expired (as if an hour passed). */
  expireAll(): void {
    for (const entry of this.tokens.values()) entry.expiresAt = this.now() - 1;
  }

  verify(
    header: string | undefined,
  ): { principal: string } | { status: 401; code: string; message: string } {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token)
      return {
        status: 401,
        code: 'AuthenticationFailed',
        message: "Authentication failed. The 'Authorization' header is missing.",
      };
    const entry = this.tokens.get(token);
    if (!entry)
      return {
        status: 401,
        code: 'InvalidAuthenticationToken',
        message: 'The access token is invalid.',
      };
    if (entry.expiresAt <= this.now()) {
      return {
        status: 401,
        code: 'ExpiredAuthenticationToken',
        message: `The access token expiry UTC time '${new Date(entry.expiresAt).toUTCString()}' is earlier than current UTC time '${new Date(this.now()).toUTCString()}'.`,
      };
    }
    return { principal: entry.principal };
  }

  handle(method: string, path: string, form: URLSearchParams | undefined): SimReply {
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (discovery && method === 'GET')
      return { status: 200, body: this.metadata(discovery[1] as string) };
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token && method === 'POST' && form) return this.token(form);
    throw new SimUnknownRequest(`authority ${method} ${path}`);
  }

  private metadata(tenant: string) {
    const base = `${this.url()}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.url()}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'simulator',
      cloud_graph_host_name: 'graph.simulator',
      msgraph_host: 'graph.simulator',
    };
  }

  private token(form: URLSearchParams): SimReply {
    const clientId = form.get('client_id') ?? '';
    if (form.get('grant_type') !== 'client_credentials')
      throw new SimUnknownRequest(`grant_type ${form.get('grant_type')}`);
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    const known = this.clients.get(clientId);
    const ok =
      secret !== null
        ? known !== undefined && known === secret
        : Boolean(assertion) &&
          form.get('client_assertion_type') ===
            'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    if (!ok) {
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
          error_codes: [7000215],
        },
      };
    }
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: this.issue(clientId),
      },
    };
  }
}

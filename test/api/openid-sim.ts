import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const AUDIENCE = 'api://driftwatch';

/**
 * A local Entra ID stand-in speaking the real OpenID discovery protocol: the tenant's
 * `openid-configuration` and its JWKS. Any other request fails the test (recorded in `unexpected`).
 */
export async function startOpenIdSim() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', use: 'sig', alg: 'RS256' };
  const unexpected: string[] = [];
  const requests: string[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.method === 'GET' && req.url === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer: `${url}/${TENANT}/v2.0`,
          jwks_uri: `${url}/${TENANT}/discovery/v2.0/keys`,
        }),
      );
      return;
    }
    if (req.method === 'GET' && req.url === `/${TENANT}/discovery/v2.0/keys`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    unexpected.push(`${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${url}/${TENANT}/v2.0`;

  /** A token as Entra issues it for the API; each field can be overridden to make a bad one. */
  async function token(
    claims: JWTPayload = {},
    options: {
      issuer?: string;
      audience?: string;
      expiresAt?: number;
      key?: Parameters<SignJWT['sign']>[0];
      kid?: string;
    } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ oid: '11111111-2222-3333-4444-555555555555', tid: TENANT, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1', typ: 'JWT' })
      .setSubject('subject-1')
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt(now - 60)
      .setExpirationTime(options.expiresAt ?? now + 3600)
      .sign(options.key ?? privateKey);
  }

  return {
    url,
    issuer,
    token,
    requests,
    unexpected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

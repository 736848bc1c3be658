import type { AccessToken, TokenCredential } from '@azure/identity';
import type { Clock } from '../clock.js';
import { AuthError } from '../errors.js';

/**
 * A credential for a bearer token the user already holds (`az account get-access-token` in a CI
 * step). It cannot refresh: once the token expires, every request fails with `auth.expired`.
 */
export class AccessTokenCredential implements TokenCredential {
  constructor(
    private readonly token: string,
    private readonly expiresOn: Date | undefined,
    private readonly clock: Clock,
  ) {}

  async getToken(): Promise<AccessToken> {
    const expires = this.expiresOn?.getTime() ?? this.clock.now().getTime() + 3_600_000;
    if (expires <= this.clock.now().getTime()) {
      throw new AuthError(
        'auth.expired',
        `the access token expired at ${new Date(expires).toISOString()}; get a new one (az account get-access-token --resource https://management.azure.com) and run again`,
      );
    }
    return { token: this.token, expiresOnTimestamp: expires };
  }
}

/** The `exp` claim of a JWT, if the token is one. */
export function jwtExpiry(token: string): Date | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }
    ).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

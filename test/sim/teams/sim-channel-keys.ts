import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';

/** Claims of a Bot Framework channel → bot token (what `login.botframework.com` signs). */
export interface ChannelTokenClaims {
  iss: string;
  /** The bot's Microsoft App ID. */
  aud: string;
  /** The activity's `serviceUrl`; the adapter compares it with the activity it came with. */
  serviceurl?: string;
  /** Seconds since the epoch. */
  nbf: number;
  exp: number;
  [claim: string]: unknown;
}

/** One RSA signing key, as the Bot Framework publishes it: a JWK with `endorsements`. */
export interface ChannelKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Channel ids the key may sign for; the adapter refuses a token whose channel is not listed. */
  endorsements: string[];
}

/**
 * A fresh RSA-2048 signing key. Bot Framework keys carry `kid` and `x5t` (the same value) and an
 * `endorsements` list of channel ids; botframework-connector's `JwtTokenExtractor` checks that the
 * activity's `channelId` is endorsed by the key that signed its token.
 */
export function createChannelKey(endorsements: string[] = ['msteams']): ChannelKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha1').update(der).digest('base64url');
  return { kid, privateKey, publicKey, endorsements };
}

/** The JWKS document (`jwks_uri`) for `keys`, shaped like `login.botframework.com/v1/.well-known/keys`. */
export async function channelJwks(keys: ChannelKey[]): Promise<{ keys: unknown[] }> {
  return {
    keys: await Promise.all(
      keys.map(async (key) => {
        const { n, e } = await exportJWK(key.publicKey);
        return {
          kty: 'RSA',
          use: 'sig',
          kid: key.kid,
          x5t: key.kid,
          n,
          e,
          endorsements: key.endorsements,
        };
      }),
    ),
  };
}

/** Signs `claims` as a channel token with `key` (RS256, `kid` and `x5t` in the header). */
export function signChannelToken(key: ChannelKey, claims: ChannelTokenClaims): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid })
    .sign(key.privateKey);
}

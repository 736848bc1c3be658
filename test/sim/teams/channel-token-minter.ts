import { type ChannelKey, createChannelKey, signChannelToken } from './sim-channel-keys.js';

export interface ChannelTokenMinterOptions {
  key: ChannelKey;
  issuer: string;
  botAppId: string;
  serviceUrl: () => string;
  /** Milliseconds clock. */
  now: () => number;
}

/**
 * Mints channel → bot tokens for tests: the valid one the simulator attaches to every delivery, and
 * the kinds a bot must refuse. botframework-connector allows 5 minutes of clock skew, so the
 * expired token ended 10 minutes ago.
 */
export function createChannelTokenMinter(options: ChannelTokenMinterOptions) {
  const { key, issuer, botAppId } = options;
  const seconds = () => Math.floor(options.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: issuer,
    aud: botAppId,
    serviceurl: options.serviceUrl(),
    nbf: seconds() - 300,
    exp: seconds() + 3600,
    ...overrides,
  });
  let strangers: { sameKid: ChannelKey; ownKid: ChannelKey } | undefined;
  const stranger = () => {
    strangers ??= {
      // A key nobody published, claiming the simulator's key id: the signature cannot verify.
      sameKid: { ...createChannelKey(key.endorsements), kid: key.kid },
      ownKid: createChannelKey(key.endorsements),
    };
    return strangers;
  };
  return {
    /** A token the adapter accepts (claims may be overridden). */
    valid: (overrides?: Record<string, unknown>) => signChannelToken(key, claims(overrides)),
    /** Expired 10 minutes ago (beyond the adapter's 5-minute clock tolerance). */
    expired: () => signChannelToken(key, claims({ nbf: seconds() - 7200, exp: seconds() - 600 })),
    /** Not valid for another hour. */
    notYetValid: () =>
      signChannelToken(key, claims({ nbf: seconds() + 3600, exp: seconds() + 7200 })),
    /** Issued for another bot. */
    wrongAudience: (aud = '00000000-0000-4000-8000-0000000000aa') =>
      signChannelToken(key, claims({ aud })),
    /** Signed by the right key but claiming another issuer. */
    wrongIssuer: (iss = 'https://sts.forged.example/') => signChannelToken(key, claims({ iss })),
    /** For another service URL than the activity's. */
    wrongServiceUrl: (serviceurl = 'https://smba.forged.example/') =>
      signChannelToken(key, claims({ serviceurl })),
    /** Signed by an unpublished key under the simulator's key id (signature does not verify). */
    forged: () => signChannelToken(stranger().sameKid, claims()),
    /** Signed by an unpublished key with its own key id (no such signing key). */
    unknownKey: () => signChannelToken(stranger().ownKid, claims()),
    /** Well-formed JWT with `alg: none` and no signature. */
    unsigned: () => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return Promise.resolve(
        `${part({ alg: 'none', typ: 'JWT', kid: key.kid })}.${part(claims())}.`,
      );
    },
  };
}

export type ChannelTokenMinter = ReturnType<typeof createChannelTokenMinter>;

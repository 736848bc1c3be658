import { createHmac, timingSafeEqual } from 'node:crypto';

/** Prefix of every report link token; the log sanitiser masks anything that starts with it. */
export const LINK_TOKEN_PREFIX = 'dwl1';

/** What a link token grants: one report of one scope, until `expiresAt`. */
export interface ReportLinkGrant {
  reportId: string;
  scope: string;
  expiresAt: Date;
}

/** Why a token was refused; `missing` is 401, the others 403. */
export type LinkRefusal = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'other-report';

/** The outcome of {@link verifyReportLinkToken}. */
export type LinkVerdict =
  | { ok: true; grant: ReportLinkGrant }
  | { ok: false; refusal: LinkRefusal };

interface Payload {
  /** Report id. */
  r: string;
  /** Scope. */
  s: string;
  /** Expiry, seconds since the epoch. */
  e: number;
}

function sign(secret: string, body: string): string {
  // HMAC-SHA256 over the prefix and payload, so a token of another format or version never verifies.
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/**
 * A token for one report link: `dwl1.<payload>.<signature>`, the payload naming the report id,
 * its scope and the expiry, the signature an HMAC-SHA256 with the server's link secret.
 *
 * @example
 * const token = signReportLinkToken({ secret, reportId: '7f3a…', scope: 'prod', expiresAt });
 */
export function signReportLinkToken(options: ReportLinkGrant & { secret: string }): string {
  const payload: Payload = {
    r: options.reportId,
    s: options.scope,
    e: Math.floor(options.expiresAt.getTime() / 1000),
  };
  const body = `${LINK_TOKEN_PREFIX}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${sign(options.secret, body)}`;
}

/**
 * Checks a link token for the report being asked for: the signature (constant-time compare),
 * the expiry against `now`, and that it was issued for this very report id.
 *
 * @example
 * const verdict = verifyReportLinkToken({ secret, token, reportId, now: clock.now() });
 */
export function verifyReportLinkToken(options: {
  secret: string;
  token: string | undefined | null;
  reportId: string;
  now: Date;
}): LinkVerdict {
  const { token } = options;
  if (!token) return { ok: false, refusal: 'missing' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== LINK_TOKEN_PREFIX)
    return { ok: false, refusal: 'malformed' };
  const body = `${parts[0]}.${parts[1]}`;
  const given = Buffer.from(parts[2] ?? '', 'base64url');
  const expected = Buffer.from(sign(options.secret, body), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, refusal: 'bad-signature' };
  }
  const payload = parsePayload(parts[1] ?? '');
  if (!payload) return { ok: false, refusal: 'malformed' };
  if (payload.e * 1000 <= options.now.getTime()) return { ok: false, refusal: 'expired' };
  if (payload.r !== options.reportId) return { ok: false, refusal: 'other-report' };
  return {
    ok: true,
    grant: { reportId: payload.r, scope: payload.s, expiresAt: new Date(payload.e * 1000) },
  };
}

function parsePayload(encoded: string): Payload | undefined {
  try {
    const value = JSON.parse(
      Buffer.from(encoded, 'base64url').toString('utf8'),
    ) as Partial<Payload>;
    if (typeof value.r !== 'string' || typeof value.s !== 'string' || typeof value.e !== 'number') {
      return undefined;
    }
    return value as Payload;
  } catch {
    // A signed payload that is not JSON cannot come from us; treated as malformed, not thrown.
    return undefined;
  }
}

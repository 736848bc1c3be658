import { describe, expect, it } from 'vitest';
import { signReportLinkToken, verifyReportLinkToken } from '../../core/api/report-link-token.js';
import { createReportLinker, signReportLink } from '../../core/api/sign-report-link.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';

const SECRET = 'link-secret-0123456789abcdef0123456789';
const NOW = new Date('2026-11-21T10:00:00Z');
const LATER = new Date('2026-11-28T10:00:00Z');

describe('report link tokens', () => {
  const token = signReportLinkToken({
    secret: SECRET,
    reportId: 'a1b2c3d4',
    scope: 'prod',
    expiresAt: LATER,
  });

  it('verifies for its report until it expires, and says what it grants', () => {
    expect(
      verifyReportLinkToken({ secret: SECRET, token, reportId: 'a1b2c3d4', now: NOW }),
    ).toEqual({
      ok: true,
      grant: { reportId: 'a1b2c3d4', scope: 'prod', expiresAt: LATER },
    });
  });

  it.each([
    ['no token', undefined, 'a1b2c3d4', NOW, SECRET, 'missing'],
    ['an empty token', '', 'a1b2c3d4', NOW, SECRET, 'missing'],
    ['another report', token, 'ffff0000', NOW, SECRET, 'other-report'],
    ['the moment it expires', token, 'a1b2c3d4', LATER, SECRET, 'expired'],
    [
      'another secret',
      token,
      'a1b2c3d4',
      NOW,
      'another-secret-0123456789abcdef0123',
      'bad-signature',
    ],
    [
      'a changed payload',
      `dwl1.${Buffer.from('{"r":"ffff0000","s":"prod","e":9999999999}').toString('base64url')}.${token.split('.')[2]}`,
      'ffff0000',
      NOW,
      SECRET,
      'bad-signature',
    ],
    ['a cut signature', token.slice(0, -4), 'a1b2c3d4', NOW, SECRET, 'bad-signature'],
    ['another format', token.replace('dwl1', 'dwl2'), 'a1b2c3d4', NOW, SECRET, 'malformed'],
    ['two parts', 'dwl1.abc', 'a1b2c3d4', NOW, SECRET, 'malformed'],
  ] as const)('refuses %s', (_case, given, reportId, now, secret, refusal) => {
    expect(verifyReportLinkToken({ secret, token: given, reportId, now })).toEqual({
      ok: false,
      refusal,
    });
  });

  it('builds the page URL with the token under the query key the sanitiser masks', () => {
    const url = signReportLink({
      baseUrl: 'https://dw.contoso.com/reports/',
      secret: SECRET,
      ttlMs: 7 * 86_400_000,
      reportId: 'a1b2c3d4',
      scope: 'prod',
      now: NOW,
    });
    expect(url).toBe(`https://dw.contoso.com/reports/a1b2c3d4?token=${token}`);
    expect(redactSecrets(`GET ${url}`)).toBe(
      'GET https://dw.contoso.com/reports/a1b2c3d4?token=***',
    );
    expect(redactSecrets(`token ${token} refused`)).toBe('token *** refused');
    const linker = createReportLinker(
      { baseUrl: 'https://dw.contoso.com/reports', secret: SECRET, ttlMs: 7 * 86_400_000 },
      { now: () => NOW },
    );
    expect(linker('a1b2c3d4', 'prod')).toBe(url);
  });

  it('lets the sanitiser mask API keys too', () => {
    expect(redactSecrets('key dwk_abcdefghijklmnopqrstuvwxyz012345 unknown')).toBe(
      'key *** unknown',
    );
  });
});

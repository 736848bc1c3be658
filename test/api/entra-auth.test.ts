import { generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from './api-harness.js';
import { AUDIENCE, startOpenIdSim, TENANT } from './openid-sim.js';
import { reportFixture } from './report-fixture.js';

describe('Entra ID access tokens on the results API', () => {
  let sim: Awaited<ReturnType<typeof startOpenIdSim>>;
  let h: ApiHarness;
  let reportId: string;

  beforeAll(async () => {
    sim = await startOpenIdSim();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    h = await startApiHarness({
      config: {
        api: {
          entra: {
            tenantId: TENANT,
            audience: AUDIENCE,
            authority: sim.url,
            adminGroups: ['aaaaaaaa-0000-0000-0000-000000000001'],
            scopes: ['prod', 'staging'],
          },
        },
      },
    });
    reportId = (await h.store.saveReport(reportFixture('prod', '2026-11-21T09:00:00Z'))).id;
    await h.store.saveReport(reportFixture('dev', '2026-11-21T09:00:00Z'));
  });
  afterEach(async () => {
    await h.close();
    expect(sim.unexpected).toEqual([]);
  });

  it('accepts a token with the read role for the configured scopes only', async () => {
    const token = await sim.token({ roles: ['Driftwatch.Read'] });
    const { status, body } = await h.call('GET', '/api/v1/drift/summary', { key: token });
    expect(status).toBe(200);
    expect(body.scopes.map((s: { scope: string }) => s.scope)).toEqual(['prod']);
    const deleted = await h.call('DELETE', `/api/v1/drift/results/${reportId}`, { key: token });
    expect(deleted.status).toBe(403);
    expect(deleted.body.error.message).toBe(
      'entra:11111111-2222-3333-4444-555555555555 has read access only; DELETE /drift/results/{id} needs change (admin) access',
    );
  });

  it.each([
    ['the admin app role', { roles: ['Driftwatch.Admin'] }],
    ['an admin group', { groups: ['aaaaaaaa-0000-0000-0000-000000000001'] }],
  ])('lets %s change its scopes', async (_case, claims) => {
    const token = await sim.token(claims);
    const { status } = await h.call('DELETE', `/api/v1/drift/results/${reportId}`, { key: token });
    expect(status).toBe(204);
  });

  it('refuses a valid token that carries no driftwatch role or group with 403', async () => {
    const token = await sim.token({ roles: ['Something.Else'] });
    const { status, body } = await h.call('GET', '/api/v1/drift/summary', { key: token });
    expect(status).toBe(403);
    expect(body.error.message).toBe(
      'the access token carries none of the app roles Driftwatch.Read, Driftwatch.Admin or configured groups',
    );
  });

  it.each([
    [
      'expired',
      () =>
        sim.token(
          { roles: ['Driftwatch.Admin'] },
          { expiresAt: Math.floor(Date.now() / 1000) - 10 },
        ),
      'the access token has expired',
    ],
    [
      'for another audience',
      () => sim.token({ roles: ['Driftwatch.Admin'] }, { audience: 'api://other' }),
      "the access token's aud claim is not accepted here",
    ],
    [
      'from another issuer',
      () =>
        sim.token(
          { roles: ['Driftwatch.Admin'] },
          { issuer: 'https://login.microsoftonline.com/other/v2.0' },
        ),
      "the access token's iss claim is not accepted here",
    ],
    [
      'forged (signed by another key under the same kid)',
      async () =>
        sim.token(
          { roles: ['Driftwatch.Admin'] },
          { key: (await generateKeyPair('RS256')).privateKey },
        ),
      'the access token is not valid (signature or format)',
    ],
    [
      'signed with a key the tenant does not list',
      async () => sim.token({ roles: ['Driftwatch.Admin'] }, { kid: 'key-unknown' }),
      'the access token is not valid (signature or format)',
    ],
    [
      'unsigned (alg none)',
      async () => {
        const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
        const payload = Buffer.from(
          JSON.stringify({
            iss: sim.issuer,
            aud: AUDIENCE,
            exp: 9_999_999_999,
            iat: 1,
            sub: 's',
            roles: ['Driftwatch.Admin'],
          }),
        ).toString('base64url');
        return `${header}.${payload}.`;
      },
      'the access token is not valid (signature or format)',
    ],
  ])('refuses a token %s with 401', async (_case, make, message) => {
    const token = await make();
    const { status, body } = await h.call('GET', '/api/v1/drift/summary', { key: token });
    expect(status).toBe(401);
    expect(body.error).toMatchObject({
      code: 'unauthenticated',
      message,
      reason: expect.stringMatching(/^api\.token-/),
    });
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it('reads the tenant metadata once and the keys from the jwks_uri it names', async () => {
    sim.requests.length = 0;
    const token = await sim.token({ roles: ['Driftwatch.Read'] });
    for (let i = 0; i < 3; i++) {
      expect((await h.call('GET', '/api/v1/drift/summary', { key: token })).status).toBe(200);
    }
    expect(sim.requests).toEqual([
      `/${TENANT}/v2.0/.well-known/openid-configuration`,
      `/${TENANT}/discovery/v2.0/keys`,
    ]);
  });
});

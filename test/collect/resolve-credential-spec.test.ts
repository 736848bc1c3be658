import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCredentialSpec } from '../../core/collect/resolve-credential-spec.js';
import { ConfigError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '5e1c0000-0000-4000-8000-00000000c11e';
const dir = mkdtempSync(join(tmpdir(), 'dw-cred-'));
const jwt = (exp: number) =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2lnbmF0dXJl`;

describe('resolveCredentialSpec', () => {
  it.each([
    ['nothing configured', undefined, {}, { kind: 'default' }],
    [
      'default with tenant from env',
      undefined,
      { AZURE_TENANT_ID: TENANT },
      { kind: 'default', tenantId: TENANT },
    ],
    [
      'managed identity',
      { kind: 'managed-identity' as const, clientId: CLIENT },
      {},
      { kind: 'managed-identity', clientId: CLIENT },
    ],
    [
      'client secret from env',
      { kind: 'client-secret' as const },
      {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT,
        AZURE_CLIENT_SECRET: 'a-client-secret-value',
      },
      {
        kind: 'client-secret',
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: 'a-client-secret-value',
      },
    ],
    [
      'federated token file',
      { kind: 'federated-token' as const, tenantId: TENANT, clientId: CLIENT },
      { AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/token' },
      {
        kind: 'federated-token',
        tenantId: TENANT,
        clientId: CLIENT,
        tokenFile: '/var/run/secrets/token',
      },
    ],
    [
      'held token from env',
      undefined,
      { DRIFTWATCH_ACCESS_TOKEN: jwt(1_900_000_000) },
      { kind: 'access-token', token: jwt(1_900_000_000), expiresOn: new Date(1_900_000_000_000) },
    ],
  ])('%s', (_name, config, env, expected) => {
    expect(resolveCredentialSpec(config, env, dir)).toEqual(expected);
  });

  it('reads `az account get-access-token` JSON from a token file and masks the token', () => {
    const token = jwt(1_800_000_000);
    writeFileSync(
      join(dir, 'token.json'),
      JSON.stringify({
        accessToken: token,
        expiresOn: '2027-01-15 10:00:00.000000',
        expires_on: 1_800_000_000,
        tenant: TENANT,
        tokenType: 'Bearer',
      }),
    );

    const spec = resolveCredentialSpec(
      undefined,
      { DRIFTWATCH_ACCESS_TOKEN_FILE: 'token.json' },
      dir,
    );

    expect(spec).toEqual({ kind: 'access-token', token, expiresOn: new Date(1_800_000_000_000) });
    expect(redactSecrets(`sent ${token}`)).toBe('sent ***');
  });

  it('reads a certificate file for client-certificate', () => {
    writeFileSync(
      join(dir, 'cert.pem'),
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    );

    const spec = resolveCredentialSpec(
      {
        kind: 'client-certificate',
        tenantId: TENANT,
        clientId: CLIENT,
        certificatePath: 'cert.pem',
      },
      {},
      dir,
    );

    expect(spec).toEqual({
      kind: 'client-certificate',
      tenantId: TENANT,
      clientId: CLIENT,
      certificatePem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    });
  });

  it.each([
    [
      { kind: 'client-secret' as const },
      { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT },
      'azure.credential.kind "client-secret" needs the AZURE_CLIENT_SECRET environment variable',
    ],
    [
      { kind: 'client-secret' as const },
      { AZURE_CLIENT_SECRET: 'x-secret-value' },
      'azure.credential.kind "client-secret" needs azure.credential.tenantId or AZURE_TENANT_ID',
    ],
    [
      { kind: 'federated-token' as const, tenantId: TENANT, clientId: CLIENT },
      {},
      'azure.credential.kind "federated-token" needs azure.credential.tokenFile or AZURE_FEDERATED_TOKEN_FILE',
    ],
    [
      { kind: 'access-token' as const },
      {},
      'azure.credential.kind "access-token" needs DRIFTWATCH_ACCESS_TOKEN, DRIFTWATCH_ACCESS_TOKEN_FILE or azure.credential.accessTokenFile',
    ],
    [
      {
        kind: 'client-certificate' as const,
        tenantId: TENANT,
        clientId: CLIENT,
        certificatePath: 'missing.pem',
      },
      {},
      `cannot read the certificate file ${join(dir, 'missing.pem')}: ENOENT`,
    ],
  ])('%o with env %o fails: %s', (config, env, message) => {
    const thrown = (() => {
      try {
        resolveCredentialSpec(config, env, dir);
      } catch (error) {
        return error;
      }
      throw new Error('expected resolveCredentialSpec to throw');
    })();

    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toBe(message);
  });
});

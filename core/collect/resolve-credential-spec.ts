import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AzureCredentialConfig } from '../config/sections/azure-config.js';
import { ConfigError } from '../errors.js';
import { registerSecret } from '../redact/redact-secrets.js';
import { jwtExpiry } from './access-token-credential.js';
import type { CredentialSpec } from './credential-spec.js';

type Env = Record<string, string | undefined>;

/**
 * Builds the credential spec from the `azure.credential` config and the environment. Secrets
 * come only from the environment (AZURE_CLIENT_SECRET, DRIFTWATCH_ACCESS_TOKEN) or files; a held
 * token (DRIFTWATCH_ACCESS_TOKEN / _FILE) wins when no kind is configured.
 *
 * @example
 * const spec = resolveCredentialSpec(config.azure.credential, process.env, process.cwd());
 */
export function resolveCredentialSpec(
  config: AzureCredentialConfig | undefined,
  env: Env,
  cwd: string,
): CredentialSpec {
  const heldToken = env.DRIFTWATCH_ACCESS_TOKEN?.trim() || env.DRIFTWATCH_ACCESS_TOKEN_FILE?.trim();
  const kind = config?.kind ?? (heldToken ? 'access-token' : 'default');
  const tenantId = config?.tenantId ?? env.AZURE_TENANT_ID?.trim();
  const clientId = config?.clientId ?? env.AZURE_CLIENT_ID?.trim();
  const need = (value: string | undefined, what: string): string => {
    if (value) return value;
    throw new ConfigError(
      'config.credential-incomplete',
      `azure.credential.kind "${kind}" needs ${what}`,
    );
  };
  switch (kind) {
    case 'default':
      return { kind, ...(tenantId ? { tenantId } : {}), ...(clientId ? { clientId } : {}) };
    case 'managed-identity':
      return { kind, ...(clientId ? { clientId } : {}) };
    case 'client-secret': {
      const clientSecret = need(
        env.AZURE_CLIENT_SECRET,
        'the AZURE_CLIENT_SECRET environment variable',
      );
      registerSecret(clientSecret);
      return {
        kind,
        tenantId: need(tenantId, 'azure.credential.tenantId or AZURE_TENANT_ID'),
        clientId: need(clientId, 'azure.credential.clientId or AZURE_CLIENT_ID'),
        clientSecret,
      };
    }
    case 'client-certificate': {
      const path = need(
        config?.certificatePath ?? env.AZURE_CLIENT_CERTIFICATE_PATH,
        'azure.credential.certificatePath or AZURE_CLIENT_CERTIFICATE_PATH',
      );
      return {
        kind,
        tenantId: need(tenantId, 'azure.credential.tenantId or AZURE_TENANT_ID'),
        clientId: need(clientId, 'azure.credential.clientId or AZURE_CLIENT_ID'),
        certificatePem: readSecretFile(resolve(cwd, path), 'certificate'),
      };
    }
    case 'federated-token':
      return {
        kind,
        tenantId: need(tenantId, 'azure.credential.tenantId or AZURE_TENANT_ID'),
        clientId: need(clientId, 'azure.credential.clientId or AZURE_CLIENT_ID'),
        tokenFile: resolve(
          cwd,
          need(
            config?.tokenFile ?? env.AZURE_FEDERATED_TOKEN_FILE,
            'azure.credential.tokenFile or AZURE_FEDERATED_TOKEN_FILE',
          ),
        ),
      };
    case 'access-token':
      return heldAccessToken(config, env, cwd);
  }
}

function heldAccessToken(
  config: AzureCredentialConfig | undefined,
  env: Env,
  cwd: string,
): CredentialSpec {
  const inline = env.DRIFTWATCH_ACCESS_TOKEN?.trim();
  const file = config?.accessTokenFile ?? env.DRIFTWATCH_ACCESS_TOKEN_FILE?.trim();
  let text = inline;
  if (!text && file) text = readSecretFile(resolve(cwd, file), 'access token').trim();
  if (!text) {
    throw new ConfigError(
      'config.credential-incomplete',
      'azure.credential.kind "access-token" needs DRIFTWATCH_ACCESS_TOKEN, DRIFTWATCH_ACCESS_TOKEN_FILE or azure.credential.accessTokenFile',
    );
  }
  // `az account get-access-token` prints JSON: { accessToken, expiresOn, expires_on, … }.
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as {
        accessToken?: string;
        expires_on?: number;
        expiresOn?: string;
      };
      if (typeof json.accessToken === 'string') {
        registerSecret(json.accessToken);
        const expiresOn =
          typeof json.expires_on === 'number'
            ? new Date(json.expires_on * 1000)
            : (jwtExpiry(json.accessToken) ??
              (json.expiresOn ? new Date(json.expiresOn) : undefined));
        return {
          kind: 'access-token',
          token: json.accessToken,
          ...(expiresOn ? { expiresOn } : {}),
        };
      }
    } catch {
      // not JSON after all: treat as the raw token below
    }
  }
  registerSecret(text);
  const expiresOn = jwtExpiry(text);
  return { kind: 'access-token', token: text, ...(expiresOn ? { expiresOn } : {}) };
}

function readSecretFile(file: string, what: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    registerSecret(text.trim());
    return text;
  } catch (error) {
    throw new ConfigError(
      'config.unreadable',
      `cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
}

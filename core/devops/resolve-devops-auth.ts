import type { TokenCredential } from '@azure/identity';
import type { DevOpsConfig } from '../config/sections/devops-config.js';
import { ConfigError } from '../errors.js';
import { registerSecret } from '../redact/redact-secrets.js';
import type { DevOpsAuth } from './devops-client.js';

/** Environment variables a PAT is read from, in order. */
export const PAT_ENV_VARS = ['AZURE_DEVOPS_PAT', 'DRIFTWATCH_DEVOPS_PAT'] as const;

/**
 * Resolves how to sign in to Azure DevOps: a PAT from the environment (registered with the
 * sanitiser), else a pipeline job's `SYSTEM_ACCESSTOKEN` as a bearer token, or — for `auth.kind: entra` — the Azure credential the caller built from
 * `azure.credential` (service principal, workload identity, managed identity).
 */
export function resolveDevOpsAuth(
  config: DevOpsConfig,
  env: Record<string, string | undefined>,
  entraCredential?: () => TokenCredential,
): DevOpsAuth {
  if (config.auth.kind === 'entra') {
    if (!entraCredential) {
      throw new ConfigError(
        'devops.no-credential',
        'devops.auth.kind is "entra" but no Azure credential is available; configure azure.credential',
      );
    }
    return { kind: 'entra', credential: entraCredential() };
  }
  const token = PAT_ENV_VARS.map((name) => env[name]?.trim()).find(Boolean);
  // Inside Azure Pipelines the job's own token (mapped as SYSTEM_ACCESSTOKEN) reads its organization.
  const jobToken = env.SYSTEM_ACCESSTOKEN?.trim();
  if (!token && jobToken) {
    registerSecret(jobToken);
    return { kind: 'bearer', token: jobToken };
  }
  if (!token) {
    throw new ConfigError(
      'devops.no-pat',
      `no Azure DevOps personal access token: set ${PAT_ENV_VARS.join(' or ')} (scopes: Project and Team, Code, Build, Environment, Release — all Read), or use devops.auth.kind: entra`,
    );
  }
  registerSecret(token);
  return { kind: 'pat', token };
}

/** The configured section and its organization URL, or a clear error naming the key. */
export function requireDevOpsConfig(config: DevOpsConfig | undefined): {
  config: DevOpsConfig;
  orgUrl: string;
} {
  if (!config?.orgUrl) {
    throw new ConfigError(
      'devops.no-org-url',
      'Azure DevOps is not configured: set devops.orgUrl (e.g. https://dev.azure.com/contoso) in driftwatch.config.yaml',
    );
  }
  return { config, orgUrl: config.orgUrl };
}

import { readFileSync } from 'node:fs';
import type { HttpClient } from '@azure/core-rest-pipeline';
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { type Clock, systemClock } from '../clock.js';
import { AuthError } from '../errors.js';
import { registerSecret } from '../redact/redact-secrets.js';
import { AccessTokenCredential } from './access-token-credential.js';
import { isCustomAuthority } from './azure-clouds.js';
import type { CredentialSpec } from './credential-spec.js';

/** Where tokens come from and how they travel. */
export interface CreateCredentialOptions {
  /** Entra authority host; a custom one (private cloud, simulator) turns off instance discovery. */
  authorityHost?: string;
  /** The SDK HTTP client (e.g. one trusting a private CA; see `createHttpClient`). */
  httpClient?: HttpClient;
  clock?: Clock;
}

/**
 * Turns a host-neutral {@link CredentialSpec} into an `@azure/identity` credential. Secrets are
 * registered with the sanitiser as they pass through.
 *
 * @example
 * const credential = createCredential({ kind: 'default' }, { authorityHost: endpoints.authorityHost });
 */
export function createCredential(
  spec: CredentialSpec,
  options: CreateCredentialOptions = {},
): TokenCredential {
  const common = {
    ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
    ...(options.authorityHost && isCustomAuthority(options.authorityHost)
      ? { disableInstanceDiscovery: true }
      : {}),
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  };
  switch (spec.kind) {
    case 'default':
      return new DefaultAzureCredential({
        ...common,
        ...(spec.tenantId ? { tenantId: spec.tenantId } : {}),
        ...(spec.clientId ? { managedIdentityClientId: spec.clientId } : {}),
      });
    case 'client-secret':
      registerSecret(spec.clientSecret);
      return new ClientSecretCredential(spec.tenantId, spec.clientId, spec.clientSecret, common);
    case 'client-certificate':
      registerSecret(spec.certificatePem);
      return new ClientCertificateCredential(
        spec.tenantId,
        spec.clientId,
        { certificate: spec.certificatePem },
        { ...common, sendCertificateChain: spec.sendCertificateChain ?? false },
      );
    case 'federated-token': {
      const { tokenFile, getAssertion } = spec;
      const assertion =
        getAssertion ?? (tokenFile ? () => Promise.resolve(readTokenFile(tokenFile)) : undefined);
      if (!assertion) {
        throw new AuthError(
          'auth.missing-token-file',
          'a federated-token credential needs a token file: set AZURE_FEDERATED_TOKEN_FILE or azure.credential.tokenFile',
        );
      }
      return new ClientAssertionCredential(spec.tenantId, spec.clientId, assertion, common);
    }
    case 'managed-identity':
      return spec.clientId
        ? new ManagedIdentityCredential({ ...common, clientId: spec.clientId })
        : new ManagedIdentityCredential(common);
    case 'access-token':
      registerSecret(spec.token);
      return new AccessTokenCredential(spec.token, spec.expiresOn, options.clock ?? systemClock);
  }
}

/** Read at every token request: workload identity rotates the file. */
function readTokenFile(file: string): string {
  try {
    const token = readFileSync(file, 'utf8').trim();
    registerSecret(token);
    return token;
  } catch (error) {
    throw new AuthError(
      'auth.missing-token-file',
      `cannot read the federated token file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
}

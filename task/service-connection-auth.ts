import type { HttpClient } from '@azure/core-rest-pipeline';
import type { CredentialSpec } from '../core/collect/credential-spec.js';
import { AuthError } from '../core/errors.js';
import { requestOidcToken } from './request-oidc-token.js';
import type { TaskHost } from './task-host.js';
import { maskSecret } from './task-parameters.js';

/** What the task takes from a `connectedService:AzureRM` endpoint. */
export interface ServiceConnection {
  id: string;
  scheme: 'ServicePrincipal' | 'WorkloadIdentityFederation' | 'ManagedServiceIdentity';
  credential: CredentialSpec;
  tenantId?: string;
  subscriptionId?: string;
  subscriptionName?: string;
  /** `AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment`, `AzureStack`, … */
  environment: string;
  /** ARM endpoint with a trailing slash, e.g. https://management.azure.com/. */
  armEndpoint: string;
  /** Entra authority host with a trailing slash, e.g. https://login.microsoftonline.com/. */
  authorityHost: string;
  /** Token audience (`activeDirectoryServiceEndpointResourceId`), e.g. https://management.core.windows.net/. */
  audience: string;
}

const OIDC_REUSE_MS = 60_000;

const CLOUDS: Record<string, { arm: string; authority: string }> = {
  azurecloud: {
    arm: 'https://management.azure.com/',
    authority: 'https://login.microsoftonline.com/',
  },
  azurechinacloud: {
    arm: 'https://management.chinacloudapi.cn/',
    authority: 'https://login.chinacloudapi.cn/',
  },
  azureusgovernment: {
    arm: 'https://management.usgovcloudapi.net/',
    authority: 'https://login.microsoftonline.us/',
  },
};

/**
 * Maps an AzureRM service connection to a credential spec, the way the built-in Azure tasks read
 * it (azure-arm-rest's AzureRMEndpoint): ENDPOINT_AUTH_SCHEME_<id>, ENDPOINT_AUTH_PARAMETER_<id>_*
 * and ENDPOINT_DATA_<id>_*. Every secret is masked before use.
 *
 * @example
 * const connection = readServiceConnection(host, params.connection);
 */
export function readServiceConnection(
  host: TaskHost,
  id: string,
  options: { httpClient?: HttpClient; now?: () => number } = {},
): ServiceConnection {
  const scheme = host.endpointScheme(id);
  const environment = host.endpointDataParam(id, 'environment') ?? 'AzureCloud';
  const cloud = CLOUDS[environment.toLowerCase()] ?? CLOUDS.azurecloud!;
  const armEndpoint = withSlash(host.endpointUrl(id) ?? cloud.arm);
  const named = CLOUDS[environment.toLowerCase()] !== undefined;
  const common = {
    id,
    environment,
    armEndpoint,
    audience: withSlash(
      host.endpointDataParam(id, 'activeDirectoryServiceEndpointResourceId') ??
        (named ? cloud.arm : armEndpoint),
    ),
    authorityHost: withSlash(
      host.endpointDataParam(id, 'environmentAuthorityUrl') ??
        host.endpointDataParam(id, 'activeDirectoryAuthority') ??
        cloud.authority,
    ),
    ...optional('subscriptionId', host.endpointDataParam(id, 'subscriptionId')),
    ...optional('subscriptionName', host.endpointDataParam(id, 'subscriptionName')),
  };
  switch (scheme?.toLowerCase()) {
    case 'serviceprincipal': {
      const { tenantId, clientId } = principal(host, id, scheme);
      return {
        ...common,
        scheme: 'ServicePrincipal',
        tenantId,
        credential: servicePrincipalCredential(host, id, tenantId, clientId),
      };
    }
    case 'workloadidentityfederation': {
      const { tenantId, clientId } = principal(host, id, scheme);
      const requestUri = oidcRequestUri(host);
      // Tasks get the job's token through the SystemVssConnection endpoint, scripts as a variable.
      const accessToken =
        host.endpointAuthParam('SystemVssConnection', 'AccessToken') ??
        host.secretVariable('System.AccessToken');
      if (!requestUri) {
        throw missing(
          id,
          scheme,
          'the System.OidcRequestUri variable (or System.PlanId and System.JobId to build it)',
        );
      }
      if (!accessToken) {
        throw missing(
          id,
          scheme,
          "the job's access token (the SystemVssConnection endpoint or the System.AccessToken variable)",
        );
      }
      maskSecret(host, accessToken);
      const now = options.now ?? Date.now;
      // The SDK asks for an assertion per concurrent token request; one OIDC token serves them all
      // for a minute (Azure DevOps issues it for longer), and a failure is never cached.
      let cached: { token: Promise<string>; at: number } | undefined;
      const getAssertion = () => {
        if (cached && now() - cached.at < OIDC_REUSE_MS) return cached.token;
        const token = requestOidcToken({
          requestUri,
          accessToken,
          connectionId: id,
          ...(options.httpClient ? { httpClient: options.httpClient } : {}),
        }).then((value) => {
          maskSecret(host, value);
          return value;
        });
        cached = { token, at: now() };
        token.catch(() => {
          cached = undefined;
        });
        return token;
      };
      return {
        ...common,
        scheme: 'WorkloadIdentityFederation',
        tenantId,
        credential: { kind: 'federated-token', tenantId, clientId, getAssertion },
      };
    }
    case 'managedserviceidentity': {
      const clientId = host.endpointDataParam(id, 'msiclientId');
      const tenantId = host.endpointAuthParam(id, 'tenantid');
      return {
        ...common,
        scheme: 'ManagedServiceIdentity',
        ...optional('tenantId', tenantId),
        credential: { kind: 'managed-identity', ...optional('clientId', clientId) },
      };
    }
    default:
      throw new AuthError(
        'task.auth-scheme',
        `Service connection '${id}' uses the authorization scheme '${scheme ?? '(none)'}', which the drift gate does not support. Use ServicePrincipal (secret or certificate), WorkloadIdentityFederation or ManagedServiceIdentity.`,
        { details: { connection: id, scheme: scheme ?? '(none)' } },
      );
  }
}

/**
 * `System.OidcRequestUri` (agent 3.227+), else the same URL built from the job's ids as
 * azure-arm-rest's TaskApi.createOidcToken does:
 * `{collection}{projectId}/_apis/distributedtask/hubs/{hostType}/plans/{planId}/jobs/{jobId}/oidctoken`.
 */
function oidcRequestUri(host: TaskHost): string | undefined {
  const given = host.variable('System.OidcRequestUri');
  if (given) return given;
  const collection = host.variable('System.TeamFoundationCollectionUri');
  const project = host.variable('System.TeamProjectId');
  const hub = host.variable('System.HostType');
  const plan = host.variable('System.PlanId');
  const job = host.variable('System.JobId');
  if (!collection || !project || !hub || !plan || !job) return undefined;
  const base = collection.endsWith('/') ? collection : `${collection}/`;
  return `${base}${project}/_apis/distributedtask/hubs/${hub}/plans/${plan}/jobs/${job}/oidctoken`;
}

function servicePrincipalCredential(
  host: TaskHost,
  id: string,
  tenantId: string,
  clientId: string,
): CredentialSpec {
  const type = host.endpointAuthParam(id, 'authenticationType') ?? 'spnKey';
  if (type.toLowerCase() === 'spncertificate') {
    const certificatePem = host.endpointAuthParam(id, 'servicePrincipalCertificate');
    if (!certificatePem)
      throw missing(id, 'ServicePrincipal', 'the servicePrincipalCertificate parameter');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(certificatePem)) {
      throw missing(id, 'ServicePrincipal', 'a PEM certificate with its private key');
    }
    // The agent refuses multi-line secrets, so each line of the PEM body is masked.
    for (const line of certificatePem.split(/\r?\n/)) {
      if (line.length >= 8 && !line.startsWith('-----')) maskSecret(host, line.trim());
    }
    return { kind: 'client-certificate', tenantId, clientId, certificatePem };
  }
  if (type.toLowerCase() !== 'spnkey') {
    throw new AuthError(
      'task.auth-scheme',
      `Service connection '${id}' uses the service principal authentication type '${type}', which the drift gate does not support. Use spnKey (secret) or spnCertificate.`,
      { details: { connection: id, scheme: `ServicePrincipal/${type}` } },
    );
  }
  const clientSecret = host.endpointAuthParam(id, 'serviceprincipalkey');
  if (!clientSecret)
    throw missing(id, 'ServicePrincipal', 'the serviceprincipalkey parameter (the client secret)');
  maskSecret(host, clientSecret);
  return { kind: 'client-secret', tenantId, clientId, clientSecret };
}

function principal(host: TaskHost, id: string, scheme: string) {
  const clientId = host.endpointAuthParam(id, 'serviceprincipalid');
  const tenantId = host.endpointAuthParam(id, 'tenantid');
  if (!clientId) throw missing(id, scheme, 'the serviceprincipalid parameter');
  if (!tenantId) throw missing(id, scheme, 'the tenantid parameter');
  return { clientId, tenantId };
}

function missing(id: string, scheme: string, what: string): AuthError {
  return new AuthError(
    'task.auth-incomplete',
    `Service connection '${id}' (${scheme}) is missing ${what}.`,
    { details: { connection: id, scheme } },
  );
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

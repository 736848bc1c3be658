import type { HttpClient } from '@azure/core-rest-pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../core/collect/create-http-client.js';
import { readServiceConnection } from '../../task/service-connection-auth.js';
import { startFakeOidcEndpoint } from './fake-oidc-endpoint.js';
import { type FakeEndpoint, fakeTaskHost } from './fake-task-host.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-9999-000000000000';
const SUB = '00000000-0000-4000-8000-000000000001';
const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg',
  '-----END PRIVATE KEY-----',
  '-----BEGIN CERTIFICATE-----',
  'MIIBfzCCASWgAwIBAgIUQk9',
  '-----END CERTIFICATE-----',
].join('\n');

const spn = (auth: Record<string, string>, data: Record<string, string> = {}): FakeEndpoint => ({
  url: 'https://management.azure.com/',
  scheme: 'ServicePrincipal',
  auth: { serviceprincipalid: CLIENT, tenantid: TENANT, ...auth },
  data: { subscriptionId: SUB, subscriptionName: 'Prod', environment: 'AzureCloud', ...data },
});

describe('readServiceConnection', () => {
  it('maps a service principal with a secret and masks the secret', () => {
    const { host, secrets } = fakeTaskHost({
      endpoints: {
        c1: spn({ authenticationType: 'spnKey', serviceprincipalkey: 'sp-secret-value' }),
      },
    });

    const connection = readServiceConnection(host, 'c1');

    expect(connection).toEqual({
      id: 'c1',
      scheme: 'ServicePrincipal',
      tenantId: TENANT,
      subscriptionId: SUB,
      subscriptionName: 'Prod',
      environment: 'AzureCloud',
      armEndpoint: 'https://management.azure.com/',
      authorityHost: 'https://login.microsoftonline.com/',
      audience: 'https://management.azure.com/',
      credential: {
        kind: 'client-secret',
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: 'sp-secret-value',
      },
    });
    expect(secrets).toEqual(['sp-secret-value']);
  });

  it('maps a certificate connection and masks every line of the PEM body', () => {
    const { host, secrets } = fakeTaskHost({
      endpoints: {
        c1: spn({ authenticationType: 'spnCertificate', servicePrincipalCertificate: PEM }),
      },
    });

    const { credential } = readServiceConnection(host, 'c1');

    expect(credential).toEqual({
      kind: 'client-certificate',
      tenantId: TENANT,
      clientId: CLIENT,
      certificatePem: PEM,
    });
    expect(secrets).toEqual([
      'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg',
      'MIIBfzCCASWgAwIBAgIUQk9',
    ]);
  });

  it('takes the ARM endpoint and authority from the connection (sovereign clouds, simulators)', () => {
    const { host } = fakeTaskHost({
      endpoints: {
        c1: {
          ...spn({ serviceprincipalkey: 'sp-secret-value' }, { environment: 'AzureChinaCloud' }),
          url: 'https://127.0.0.1:8443',
          data: { environment: 'AzureStack', environmentAuthorityUrl: 'https://127.0.0.1:8443' },
        },
      },
    });

    expect(readServiceConnection(host, 'c1')).toMatchObject({
      environment: 'AzureStack',
      armEndpoint: 'https://127.0.0.1:8443/',
      authorityHost: 'https://127.0.0.1:8443/',
      audience: 'https://127.0.0.1:8443/',
    });
  });

  it('defaults endpoints by the named cloud', () => {
    const { host } = fakeTaskHost({
      endpoints: {
        c1: {
          ...spn({ serviceprincipalkey: 'sp-secret-value' }, { environment: 'AzureUSGovernment' }),
          url: undefined,
        },
      },
    });

    expect(readServiceConnection(host, 'c1')).toMatchObject({
      armEndpoint: 'https://management.usgovcloudapi.net/',
      authorityHost: 'https://login.microsoftonline.us/',
    });
  });

  it('maps a managed identity connection', () => {
    const { host } = fakeTaskHost({
      endpoints: {
        c1: {
          scheme: 'ManagedServiceIdentity',
          auth: { tenantid: TENANT },
          data: { subscriptionId: SUB, msiclientId: CLIENT },
        },
      },
    });

    expect(readServiceConnection(host, 'c1')).toMatchObject({
      scheme: 'ManagedServiceIdentity',
      tenantId: TENANT,
      credential: { kind: 'managed-identity', clientId: CLIENT },
    });
  });

  it.each([
    [
      { scheme: 'UsernamePassword' },
      "Service connection 'c1' uses the authorization scheme 'UsernamePassword', which the drift gate does not support. Use ServicePrincipal (secret or certificate), WorkloadIdentityFederation or ManagedServiceIdentity.",
    ],
    [{ scheme: undefined }, "Service connection 'c1' uses the authorization scheme '(none)'"],
    [
      { auth: { tenantid: TENANT, serviceprincipalkey: 'x-secret' } },
      "Service connection 'c1' (ServicePrincipal) is missing the serviceprincipalid parameter.",
    ],
    [
      { auth: { serviceprincipalid: CLIENT, serviceprincipalkey: 'x-secret' } },
      "Service connection 'c1' (ServicePrincipal) is missing the tenantid parameter.",
    ],
    [
      { auth: { serviceprincipalid: CLIENT, tenantid: TENANT } },
      "Service connection 'c1' (ServicePrincipal) is missing the serviceprincipalkey parameter (the client secret).",
    ],
    [
      {
        auth: {
          serviceprincipalid: CLIENT,
          tenantid: TENANT,
          authenticationType: 'spnCertificate',
        },
      },
      "Service connection 'c1' (ServicePrincipal) is missing the servicePrincipalCertificate parameter.",
    ],
    [
      {
        auth: {
          serviceprincipalid: CLIENT,
          tenantid: TENANT,
          authenticationType: 'spnCertificate',
          servicePrincipalCertificate: 'not a pem',
        },
      },
      "Service connection 'c1' (ServicePrincipal) is missing a PEM certificate with its private key.",
    ],
    [
      { auth: { serviceprincipalid: CLIENT, tenantid: TENANT, authenticationType: 'spnPassword' } },
      "uses the service principal authentication type 'spnPassword', which the drift gate does not support. Use spnKey (secret) or spnCertificate.",
    ],
    [
      { scheme: 'WorkloadIdentityFederation', auth: { serviceprincipalid: CLIENT } },
      "Service connection 'c1' (WorkloadIdentityFederation) is missing the tenantid parameter.",
    ],
    [
      {
        scheme: 'WorkloadIdentityFederation',
        auth: { serviceprincipalid: CLIENT, tenantid: TENANT },
      },
      "Service connection 'c1' (WorkloadIdentityFederation) is missing the System.OidcRequestUri variable",
    ],
  ])('rejects %j with a message naming the scheme or parameter', (override, message) => {
    const { host } = fakeTaskHost({ endpoints: { c1: { ...spn({}), ...override } } });

    expect(() => readServiceConnection(host, 'c1')).toThrow(message);
  });

  it('rejects workload identity federation without the job access token', () => {
    const { host } = fakeTaskHost({
      variables: { 'System.OidcRequestUri': 'http://127.0.0.1:1/oidc' },
      endpoints: {
        c1: {
          scheme: 'WorkloadIdentityFederation',
          auth: { serviceprincipalid: CLIENT, tenantid: TENANT },
        },
      },
    });

    expect(() => readServiceConnection(host, 'c1')).toThrow(
      "Service connection 'c1' (WorkloadIdentityFederation) is missing the job's access token (the SystemVssConnection endpoint or the System.AccessToken variable).",
    );
  });

  describe('workload identity federation', () => {
    let close: () => Promise<void> = async () => undefined;
    let httpClient: HttpClient | undefined;
    afterEach(() => close());

    async function fakeOidcEndpoint(reply: { status: number; body: string }) {
      const endpoint = await startFakeOidcEndpoint(reply);
      close = endpoint.close;
      httpClient = createHttpClient({ caPem: endpoint.caPem });
      return endpoint;
    }

    function wifHost(requestUri: string) {
      return fakeTaskHost({
        variables: {
          'System.OidcRequestUri': requestUri,
          'System.AccessToken': 'job-access-token',
        },
        endpoints: {
          c1: {
            scheme: 'WorkloadIdentityFederation',
            auth: { serviceprincipalid: CLIENT, tenantid: TENANT },
          },
        },
      });
    }

    it('asks Azure Pipelines for the OIDC token with the job token and masks both', async () => {
      const oidc = await fakeOidcEndpoint({
        status: 200,
        body: '{"oidcToken":"eyJoidc.token.value"}',
      });
      const { host, secrets } = wifHost(oidc.url);

      const { credential } = readServiceConnection(host, 'c1', { httpClient });
      if (credential.kind !== 'federated-token' || !credential.getAssertion)
        throw new Error('expected a federated-token spec');
      const token = await credential.getAssertion();

      expect(token).toBe('eyJoidc.token.value');
      expect(oidc.seen).toHaveLength(1);
      expect(oidc.seen[0]?.method).toBe('POST');
      expect(oidc.seen[0]?.url).toBe(
        '/org/proj/_apis/distributedtask/hubs/build/plans/p1/jobs/j1/oidctoken?api-version=7.1&serviceConnectionId=c1',
      );
      expect(oidc.seen[0]?.headers.authorization).toBe('Bearer job-access-token');
      expect(oidc.seen[0]?.headers['x-tfs-fedauthredirect']).toBe('Suppress');
      expect(secrets).toEqual(['job-access-token', 'eyJoidc.token.value']);
    });

    it('builds the request URL from the job ids and takes the token from SystemVssConnection', async () => {
      const oidc = await fakeOidcEndpoint({
        status: 200,
        body: '{"oidcToken":"eyJoidc.token.value"}',
      });
      const { host } = fakeTaskHost({
        variables: {
          'System.TeamFoundationCollectionUri': `${oidc.origin}/contoso`,
          'System.TeamProjectId': 'p-guid',
          'System.HostType': 'build',
          'System.PlanId': 'plan-guid',
          'System.JobId': 'job-guid',
        },
        endpoints: {
          c1: {
            scheme: 'WorkloadIdentityFederation',
            auth: { serviceprincipalid: CLIENT, tenantid: TENANT },
          },
          SystemVssConnection: { auth: { AccessToken: 'vss-connection-token' } },
        },
      });

      const { credential } = readServiceConnection(host, 'c1', { httpClient });
      if (credential.kind !== 'federated-token' || !credential.getAssertion)
        throw new Error('expected a federated-token spec');
      await credential.getAssertion();

      expect(oidc.seen.map((r) => [r.url, r.headers.authorization])).toEqual([
        [
          '/contoso/p-guid/_apis/distributedtask/hubs/build/plans/plan-guid/jobs/job-guid/oidctoken?api-version=7.1&serviceConnectionId=c1',
          'Bearer vss-connection-token',
        ],
      ]);
    });

    it('shares one OIDC token between concurrent token requests for a minute', async () => {
      const oidc = await fakeOidcEndpoint({
        status: 200,
        body: '{"oidcToken":"eyJoidc.token.value"}',
      });
      const { host } = wifHost(oidc.url);
      let now = 0;
      const { credential } = readServiceConnection(host, 'c1', { httpClient, now: () => now });
      if (credential.kind !== 'federated-token' || !credential.getAssertion)
        throw new Error('expected a federated-token spec');

      await Promise.all([credential.getAssertion(), credential.getAssertion()]);
      now = 59_999;
      await credential.getAssertion();
      const withinAMinute = oidc.seen.length;
      now = 60_000;
      await credential.getAssertion();

      expect(withinAMinute).toBe(1);
      expect(oidc.seen).toHaveLength(2);
    });

    it('fails with the status when the endpoint refuses', async () => {
      const oidc = await fakeOidcEndpoint({
        status: 401,
        body: '{"message":"TF400813: not authorized"}',
      });
      const { host } = wifHost(oidc.url);

      const { credential } = readServiceConnection(host, 'c1', { httpClient });
      if (credential.kind !== 'federated-token' || !credential.getAssertion)
        throw new Error('expected a federated-token spec');

      await expect(credential.getAssertion()).rejects.toThrow(
        'the OIDC endpoint answered 401 without an oidcToken ({"message":"TF400813: not authorized"})',
      );
    });
  });
});

import { describe, expect, it } from 'vitest';
import { isCustomAuthority, resolveEndpoints } from '../../core/collect/azure-clouds.js';

describe('resolveEndpoints', () => {
  it.each([
    [
      {},
      {},
      'https://management.azure.com',
      'https://management.azure.com',
      'https://login.microsoftonline.com',
      'https://management.azure.com',
    ],
    [
      { cloud: 'AzureChinaCloud' as const },
      {},
      'https://management.chinacloudapi.cn',
      'https://management.chinacloudapi.cn',
      'https://login.chinacloudapi.cn',
      'https://management.chinacloudapi.cn',
    ],
    [
      { cloud: 'AzureUSGovernment' as const },
      {},
      'https://management.usgovcloudapi.net',
      'https://management.usgovcloudapi.net',
      'https://login.microsoftonline.us',
      'https://management.usgovcloudapi.net',
    ],
    [
      { endpoints: { resourceManager: 'https://arm.proxy.local/' } },
      {},
      'https://arm.proxy.local',
      'https://arm.proxy.local',
      'https://login.microsoftonline.com',
      'https://management.azure.com',
    ],
    [
      { endpoints: { resourceManager: 'https://arm.proxy.local' } },
      {
        DRIFTWATCH_ARM_ENDPOINT: 'https://127.0.0.1:8443',
        DRIFTWATCH_RESOURCE_GRAPH_ENDPOINT: 'https://graph.local',
        AZURE_AUTHORITY_HOST: 'https://login.local',
      },
      'https://127.0.0.1:8443',
      'https://graph.local',
      'https://login.local',
      'https://management.azure.com',
    ],
  ])('%o with env %o', (config, env, resourceManager, resourceGraph, authorityHost, audience) => {
    expect(resolveEndpoints(config, env)).toEqual({
      resourceManager,
      resourceGraph,
      authorityHost,
      audience,
    });
  });
});

describe('isCustomAuthority', () => {
  it.each([
    ['https://login.microsoftonline.com', false],
    ['https://login.microsoftonline.us/', false],
    ['https://127.0.0.1:8443', true],
  ])('%s → %s', (host, expected) => {
    expect(isCustomAuthority(host)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { applyAgentProxy, bypassHost } from '../../task/apply-agent-proxy.js';
import { fakeTaskHost } from './fake-task-host.js';

describe('applyAgentProxy', () => {
  const withProxy = (proxy: ReturnType<ReturnType<typeof fakeTaskHost>['host']['proxy']>) => {
    const fake = fakeTaskHost();
    return { ...fake, host: { ...fake.host, proxy: () => proxy } };
  };

  it('routes HTTPS through the agent proxy, masks its password and maps plain bypass hosts', () => {
    const { host, secrets } = withProxy({
      url: 'http://build:s3cret-pass@proxy.contoso.com:8080',
      password: 's3cret-pass',
      bypass: ['dev\\.azure\\.com', '.*\\.internal\\.contoso\\.com', '^10\\.\\d+'],
    });
    const env: Record<string, string | undefined> = { NO_PROXY: 'localhost' };

    applyAgentProxy(host, env);

    expect(env).toEqual({
      HTTPS_PROXY: 'http://build:s3cret-pass@proxy.contoso.com:8080',
      HTTP_PROXY: 'http://build:s3cret-pass@proxy.contoso.com:8080',
      NO_PROXY: 'localhost,dev.azure.com,.internal.contoso.com',
    });
    expect(secrets).toEqual(['s3cret-pass']);
  });

  it('leaves a proxy the job set itself', () => {
    const { host } = withProxy({ url: 'http://proxy:8080', bypass: [] });
    const env: Record<string, string | undefined> = { https_proxy: 'http://other:3128' };

    applyAgentProxy(host, env);

    expect(env).toEqual({ https_proxy: 'http://other:3128' });
  });

  it.each([
    ['dev\\.azure\\.com', 'dev.azure.com'],
    ['^management\\.azure\\.com$', 'management.azure.com'],
    ['.*\\.contoso\\.com', '.contoso.com'],
    ['10\\.0\\..*', undefined],
    ['(a|b)\\.com', undefined],
  ])('bypassHost(%s) is %s', (pattern, host) => {
    expect(bypassHost(pattern)).toBe(host);
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/load-config.js';
import { resolveDevOpsAuth } from '../../core/devops/resolve-devops-auth.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';

describe('devops config section', () => {
  it('fills defaults and reads durations', () => {
    const config = parseConfig(
      { devops: { orgUrl: 'https://dev.azure.com/contoso', cacheTtl: '15m' } },
      'driftwatch.config.yaml',
    );

    expect(config.devops).toEqual({
      orgUrl: 'https://dev.azure.com/contoso',
      auth: { kind: 'pat' },
      requestsPerMinute: 200,
      cacheTtl: 900_000,
      buildsSinceDays: 30,
      maxBuilds: 5_000,
      applications: [],
      targets: [],
    });
  });

  it('defaults cacheTtl to 10 minutes in milliseconds', () => {
    const config = parseConfig(
      { devops: { orgUrl: 'https://dev.azure.com/contoso' } },
      'driftwatch.config.yaml',
    );

    expect(config.devops?.cacheTtl).toBe(600_000);
  });

  it.each([
    ['90s', 90_000],
    ['1h', 3_600_000],
    [120, 120_000],
  ])('reads cacheTtl %j as %d ms', (cacheTtl, ms) => {
    const config = parseConfig(
      { devops: { orgUrl: 'https://dev.azure.com/contoso', cacheTtl } },
      'driftwatch.config.yaml',
    );

    expect(config.devops?.cacheTtl).toBe(ms);
  });

  it.each([
    [
      { orgUrl: 'dev.azure.com/contoso' },
      'config key "devops.orgUrl" in f.yaml: expected an organization URL such as https://dev.azure.com/contoso',
    ],
    [{ pat: 'abc' }, 'unknown config key "devops.pat" in f.yaml'],
    [
      { cacheTtl: '10 minutes' },
      'config key "devops.cacheTtl" in f.yaml: expected a duration such as 30s, 10m or 1h',
    ],
    [
      { targets: [{ resourceGroups: ['rg'] }] },
      'config key "devops.targets[0]" in f.yaml: name a pipeline, an environment or both',
    ],
    [
      { targets: [{ pipeline: 'api-deploy' }] },
      'config key "devops.targets[0]" in f.yaml: list subscriptions, resourceGroups or scopes it deploys to',
    ],
    [{ auth: { kind: 'oauth' } }, 'config key "devops.auth.kind" in f.yaml'],
  ])('rejects %j naming the key', (devops, message) => {
    expect(() => parseConfig({ devops }, 'f.yaml')).toThrow(message);
  });

  it('reads the PAT from the environment only and masks it everywhere after', () => {
    const config = parseConfig(
      { devops: { orgUrl: 'https://dev.azure.com/contoso' } },
      'f.yaml',
    ).devops;
    if (!config) throw new Error('devops section missing');

    const auth = resolveDevOpsAuth(config, { DRIFTWATCH_DEVOPS_PAT: ' pat-value-0123456789 ' });

    expect(auth).toEqual({ kind: 'pat', token: 'pat-value-0123456789' });
    expect(redactSecrets('token pat-value-0123456789 refused')).toBe('token *** refused');
  });

  it('uses a pipeline job token when no PAT is set', () => {
    const config = parseConfig(
      { devops: { orgUrl: 'https://dev.azure.com/contoso' } },
      'f.yaml',
    ).devops;
    if (!config) throw new Error('devops section missing');

    expect(resolveDevOpsAuth(config, { SYSTEM_ACCESSTOKEN: 'job-token-0123456789' })).toEqual({
      kind: 'bearer',
      token: 'job-token-0123456789',
    });
    expect(
      resolveDevOpsAuth(config, {
        SYSTEM_ACCESSTOKEN: 'job-token-0123456789',
        AZURE_DEVOPS_PAT: 'pat-0123456789',
      }),
    ).toEqual({ kind: 'pat', token: 'pat-0123456789' });
  });
});

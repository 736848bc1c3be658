import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config/load-config.js';
import { ConfigError } from '../../core/errors.js';

let cwd: string;
const write = (name: string, text: string) => writeFileSync(join(cwd, name), text);
const SUB = '00000000-0000-0000-0000-000000000001';

describe('loadConfig', () => {
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'dw-config-'));
  });

  it('returns defaults when there is no config file', () => {
    const { config, file } = loadConfig({ cwd, env: {} });
    expect(file).toBeUndefined();
    expect(config).toMatchObject({
      store: {},
      scopes: {},
      ignore: [],
      severity: { rules: [], overrides: {} },
    });
  });

  it('finds driftwatch.config.yaml and reads scopes, ignore and severity sections', () => {
    write(
      'driftwatch.config.yaml',
      `scopes:\n  prod:\n    subscriptions: [${SUB}]\n    resourceGroups: [rg-web]\nignore:\n  - resourceType: Microsoft.Insights/*\n    reason: diagnostic settings churn\n    expires: 2027-01-01\nseverity:\n  overrides:\n    tag-changed: info\n`,
    );
    const { config, file } = loadConfig({ cwd, env: {} });
    expect(file).toBe(join(cwd, 'driftwatch.config.yaml'));
    expect(config.scopes.prod).toEqual({ subscriptions: [SUB], resourceGroups: ['rg-web'] });
    expect(config.ignore).toEqual([
      {
        resourceType: 'Microsoft.Insights/*',
        reason: 'diagnostic settings churn',
        expires: '2027-01-01',
      },
    ]);
    expect(config.severity.overrides).toEqual({ 'tag-changed': 'info' });
  });

  it('lets REDIS_URL and DRIFTWATCH_STORE override the file', () => {
    write('driftwatch.config.json', JSON.stringify({ store: { path: 'from-file.sqlite' } }));
    const { config } = loadConfig({
      cwd,
      env: { REDIS_URL: 'redis://127.0.0.1:6379', DRIFTWATCH_STORE: 'from-env.sqlite' },
    });
    expect(config.store).toEqual({ path: 'from-env.sqlite', redisUrl: 'redis://127.0.0.1:6379' });
  });

  it.each([
    [
      'an unknown key, named with its path',
      'scopes:\n  prod:\n    subscriptions: [' + SUB + ']\n    resourcegroup: rg\n',
      /unknown config key "scopes\.prod\.resourcegroup" in driftwatch\.config\.yaml/,
    ],
    [
      'an unknown top-level key',
      'colour: blue\n',
      /unknown config key "colour" in driftwatch\.config\.yaml/,
    ],
    [
      'a value of the wrong type',
      'scopes:\n  prod:\n    subscriptions: not-a-list\n',
      /config key "scopes\.prod\.subscriptions" in driftwatch\.config\.yaml: .*expected array/i,
    ],
    [
      'a bad subscription id',
      'scopes:\n  prod:\n    subscriptions: [prod-sub]\n',
      /config key "scopes\.prod\.subscriptions\[0\]" in driftwatch\.config\.yaml: expected a subscription id/,
    ],
    [
      'a bad severity',
      'severity:\n  overrides:\n    tag-changed: urgent\n',
      /config key "severity\.overrides\.tag-changed"/,
    ],
    [
      'an ignore rule with no matcher',
      'ignore:\n  - reason: just because\n',
      /config key "ignore\[0\]" in driftwatch\.config\.yaml: an ignore rule needs at least one of resourceType, id, tag or path/,
    ],
    [
      'malformed YAML with line and column',
      'scopes:\n  prod: [\n',
      /^driftwatch\.config\.yaml:\d+:\d+: /,
    ],
  ])('rejects %s', (_name, text, message) => {
    write('driftwatch.config.yaml', text);
    expect(() => loadConfig({ cwd, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ cwd, env: {} })).toThrow(message);
  });

  it('rejects an explicit config file that does not exist', () => {
    expect(() => loadConfig({ cwd, env: {}, file: 'missing.yaml' })).toThrow(
      /cannot read config file .*missing\.yaml: ENOENT/,
    );
  });
});

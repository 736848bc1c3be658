import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadConfig } from '../../core/config/load-config.js';
import { BUILT_IN_RULE_IDS } from '../../core/config/sections/engine-config.js';
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

  it('asks for no YAML parser when there is no config file, and still applies the environment', () => {
    const parseYaml = (): never => {
      throw new Error('the YAML parser was asked for');
    };
    const { config, file } = loadConfig({
      cwd,
      env: { REDIS_URL: 'redis://127.0.0.1:6379', DRIFTWATCH_STORE: 'from-env.sqlite' },
      parseYaml,
    });
    expect(file).toBeUndefined();
    expect(config.store).toEqual({ path: 'from-env.sqlite', redisUrl: 'redis://127.0.0.1:6379' });
  });

  it('reads a config file with the YAML parser passed in (the pipeline task bundles its own)', () => {
    write('driftwatch.config.yaml', 'store:\n  path: from-file.sqlite\n');
    const texts: string[] = [];
    const { config } = loadConfig({
      cwd,
      env: {},
      parseYaml: (text, options) => {
        texts.push(String(text));
        return parseDocument(text, options);
      },
    });
    expect(texts).toEqual(['store:\n  path: from-file.sqlite\n']);
    expect(config.store).toEqual({ path: 'from-file.sqlite' });
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
      `scopes:\n  prod:\n    subscriptions: [${SUB}]\n    resourcegroup: rg\n`,
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
      'a bad severity, listing the valid values',
      'severity:\n  overrides:\n    tag-changed: urgent\n',
      'config key "severity.overrides.tag-changed" in driftwatch.config.yaml: Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"|"off"',
    ],
    [
      'an override of a rule that does not exist, with the nearest id',
      'severity:\n  overrides:\n    tag-changd: info\n',
      `config key "severity.overrides.tag-changd" in driftwatch.config.yaml: no rule "tag-changd" (did you mean "tag-changed"?); rule ids: ${BUILT_IN_RULE_IDS.join(', ')}`,
    ],
    [
      'an ignore rule whose expiry is not a date',
      'ignore:\n  - path: tags.x\n    expires: next week\n',
      'config key "ignore[0].expires" in driftwatch.config.yaml: expected a date such as 2027-03-31 or a date-time with offset such as 2027-03-31T18:00:00Z',
    ],
    [
      'a resource group name ARM would not accept',
      `scopes:\n  prod:\n    subscriptions: [${SUB}]\n    resourceGroups: ["rg web."]\n`,
      'config key "scopes.prod.resourceGroups[0]" in driftwatch.config.yaml: expected a resource group name: 1–90 letters, digits, "_", "-", ".", "(", ")", not ending in "."',
    ],
    [
      'a chat time zone that is not an IANA name',
      'chat:\n  timezone: CEST+1\n',
      'config key "chat.timezone" in driftwatch.config.yaml: expected an IANA time zone such as Europe/Berlin or UTC',
    ],
    [
      'a scope name with characters a chat command cannot carry',
      `scopes:\n  "prod web":\n    subscriptions: [${SUB}]\n`,
      'config key "scopes.prod web" in driftwatch.config.yaml: not a valid name here (scope names use letters, digits, ".", "_" and "-")',
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

  it("accepts overrides of built-in finding rules and of the config's own rules", () => {
    write(
      'driftwatch.config.yaml',
      'severity:\n  rules:\n    - { id: cost-tag, path: tags.cost, severity: high, why: finance }\n  overrides:\n    cost-tag: off\n    resource-added: info\n',
    );

    const { config } = loadConfig({ cwd, env: {} });

    expect(config.severity.overrides).toEqual({ 'cost-tag': 'off', 'resource-added': 'info' });
  });

  it('rejects an explicit config file that does not exist', () => {
    expect(() => loadConfig({ cwd, env: {}, file: 'missing.yaml' })).toThrow(
      `config file ${join(cwd, 'missing.yaml')}: cannot read (no such file)`,
    );
  });

  it('reads a config file that starts with a UTF-8 byte order mark', () => {
    write('driftwatch.config.yaml', `\uFEFFscopes:\n  prod:\n    subscriptions: [${SUB}]\n`);

    const { config } = loadConfig({ cwd, env: {} });

    expect(config.scopes.prod).toEqual({ subscriptions: [SUB] });
  });

  it('names a UTF-16 config file (what PowerShell writes) and says to save it as UTF-8', () => {
    const file = join(cwd, 'driftwatch.config.yaml');
    writeFileSync(file, Buffer.from(`\uFEFFscopes: {}\n`, 'utf16le'));

    expect(() => loadConfig({ cwd, env: {} })).toThrow(
      `config file ${file}: file is UTF-16 (little-endian); save it as UTF-8`,
    );
  });

  it('stops reading a config file that never ends at the limit', () => {
    expect(() => loadConfig({ cwd, env: {}, file: '/dev/zero' })).toThrow(
      'config file /dev/zero: more than 1 MiB read; stopped at the limit driftwatch reads in one file',
    );
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web/providers';
const site = (name: string, linuxFxVersion: string, alwaysOn = true) => ({
  id: `${RG}/Microsoft.Web/sites/${name}/config/web`,
  name: 'web',
  type: 'Microsoft.Web/sites/config',
  properties: { linuxFxVersion, alwaysOn },
});
const APPS = ['app-a', 'app-b', 'app-c', 'app-d'];

let cwd: string;
const cli = (...args: string[]) =>
  runCli(args, { cwd, env: { DRIFTWATCH_STORE: join(cwd, 'store.sqlite') } });

describe('driftwatch noise suggest', () => {
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'dw-noise-'));
    writeFileSync(join(cwd, 'base.json'), JSON.stringify(APPS.map((a) => site(a, 'NODE|20-lts'))));
    // The platform rolls the runtime patch on every app; one app also lost alwaysOn.
    writeFileSync(
      join(cwd, 'now.json'),
      JSON.stringify(APPS.map((a) => site(a, 'NODE|20.19-lts', a !== 'app-d'))),
    );
  });

  it('proposes a .driftignore line for a path accepted on enough resources, and changes nothing', () => {
    expect(cli('baseline', 'set', '--file', 'base.json', '--scope', 'web').status).toBe(0);
    const check = cli('check', '--scope', 'web', '--current', 'now.json', '--format', 'json');
    const report = JSON.parse(check.stdout) as {
      findings: { fingerprint: string; resourceId: string; changes: { path: string }[] }[];
    };
    const runtimeOnly = report.findings.filter(
      (f) => f.changes.length === 1 && f.changes[0]?.path === 'properties.linuxFxVersion',
    );
    expect(runtimeOnly).toHaveLength(3);
    for (const f of runtimeOnly)
      expect(
        cli('accept', f.fingerprint, '--scope', 'web', '--reason', 'platform patch').status,
      ).toBe(0);

    const text = cli('noise', 'suggest');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Microsoft.Web/sites/config.*.properties.linuxFxVersion\n');
    expect(text.stdout).toContain('# silenced on 3 resources (3 times) in web');
    const json = JSON.parse(cli('noise', 'suggest', '--format', 'json').stdout);
    expect(json).toEqual([
      {
        resourceType: 'Microsoft.Web/sites/config',
        path: 'properties.linuxFxVersion',
        resources: 3,
        occurrences: 3,
        scopes: ['web'],
        driftignore: 'Microsoft.Web/sites/config.*.properties.linuxFxVersion',
      },
    ]);
    expect(cli('noise', 'suggest', '--min-resources', '4').stdout).toContain('nothing to propose');
    // Proposals only: the next check still reports the drift nobody accepted.
    const again = JSON.parse(
      cli('check', '--scope', 'web', '--current', 'now.json', '--format', 'json').stdout,
    );
    expect(again.summary.findings).toBe(1);
  });

  it('refuses a --min-resources that is not a whole number, naming the flag', () => {
    const r = cli('noise', 'suggest', '--min-resources', 'many');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--min-resources "many": expected a whole number of 1 or more');
  });
});

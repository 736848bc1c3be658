import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { addChatIgnoreRule } from '../../core/store/chat-ignore-rules.js';
import { openStore } from '../../core/store/open-store.js';
import { runCli, startCli } from './run-cli.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers';
const storage = (props: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id: `${RG}/Microsoft.Storage/storageAccounts/stapp`,
  name: 'stapp',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  tags: { env: 'prod' },
  etag: 'W/"1"',
  properties: {
    provisioningState: 'Succeeded',
    allowBlobPublicAccess: false,
    supportsHttpsTrafficOnly: true,
    ...props,
  },
  ...extra,
});

let cwd: string;
const write = (name: string, value: unknown) => {
  writeFileSync(join(cwd, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
};
const cli = (...args: string[]) =>
  runCli(args, { cwd, env: { DRIFTWATCH_STORE: join(cwd, 'store.sqlite') } });

describe('driftwatch CLI', () => {
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'dw-cli-'));
    write('base.json', [storage()]);
    write('noise.json', {
      value: [
        storage({ provisioningState: 'Updating' }, { etag: 'W/"2"', location: 'West Europe' }),
      ],
    });
    write('drift.json', [
      storage({ allowBlobPublicAccess: true }, { etag: 'W/"2"', tags: { env: 'Prod' } }),
    ]);
  });

  describe('diff', () => {
    it('exits 0 with "no drift" when only platform noise changed', () => {
      const r = cli('diff', '--baseline', 'base.json', '--current', 'noise.json');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('no drift · 1 resource compared');
      expect(r.stdout).toContain(
        'suppressed 2 platform-managed or ignored changes (etag, provisioning-state)',
      );
      expect(r.stderr).toBe('');
    });

    it('exits 2 and lists real drift with path, values, severity and rule', () => {
      const r = cli('diff', '--baseline', 'base.json', '--current', 'drift.json', '--all');
      expect(r.status).toBe(2);
      expect(r.stdout).toMatch(/HIGH {6}stapp +properties\.allowBlobPublicAccess/);
      expect(r.stdout).toContain(
        'false → true  · storage-public-blob-access: anonymous public read access to blobs is allowed',
      );
      expect(r.stdout).toContain('tags.env');
      expect(r.stdout).toContain('prod → Prod  · tag-changed: a tag changed');
    });

    it('exits 0 and says so when drift is below --fail-on', () => {
      const r = cli(
        'diff',
        '--baseline',
        'base.json',
        '--current',
        'drift.json',
        '--fail-on',
        'critical',
      );
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('driftwatch: 1 finding below --fail-on critical; exit 0\n');
    });

    it('writes the versioned JSON report', () => {
      const r = cli(
        'diff',
        '--baseline',
        'base.json',
        '--current',
        'drift.json',
        '--format',
        'json',
      );
      const report = JSON.parse(r.stdout);
      expect(report.schemaVersion).toBe(2);
      expect(report.summary).toMatchObject({
        findings: 1,
        maxSeverity: 'high',
        byChange: { modified: 1, added: 0, removed: 0, unknown: 0 },
      });
      expect(report.findings[0].changes.map((c: { path: string }) => c.path)).toEqual([
        'properties.allowBlobPublicAccess',
        'tags.env',
      ]);
    });

    it('writes Markdown', () => {
      const r = cli('diff', '--baseline', 'base.json', '--current', 'drift.json', '--format', 'md');
      expect(r.stdout.split('\n')[0]).toBe(
        '## Drift: 1 finding (1 drifted · 0 added · 0 removed · 0 unknown), worst high',
      );
      expect(r.stdout).toContain(
        '| high | `stapp` | properties.allowBlobPublicAccess: false → true; tags.env: prod → Prod |',
      );
    });

    it('prints no colour codes when stdout is not a terminal', () => {
      expect(
        cli('diff', '--baseline', 'base.json', '--current', 'drift.json').stdout,
      ).not.toContain('\x1b[');
    });

    it('applies a .driftignore in the working directory', () => {
      write('.driftignore', 'Microsoft.Storage/storageAccounts.stapp\n');
      const r = cli('diff', '--baseline', 'base.json', '--current', 'drift.json');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('no drift');
    });
  });

  describe('bad input: one clear line, exit 1', () => {
    it.each([
      [
        'an unknown flag',
        ['diff', '--baseline', 'base.json', '--current', 'drift.json', '--frobnicate'],
        "error: unknown option '--frobnicate'",
      ],
      [
        'a bad --format',
        ['diff', '--baseline', 'base.json', '--current', 'drift.json', '--format', 'xml'],
        "error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, md.",
      ],
      [
        'a bad --fail-on',
        ['diff', '--baseline', 'base.json', '--current', 'drift.json', '--fail-on', 'urgent'],
        "argument 'urgent' is invalid. Allowed choices are critical, high, medium, low, info.",
      ],
      [
        'a missing required flag',
        ['diff', '--baseline', 'base.json'],
        "error: required option '--current <file>' not specified",
      ],
      [
        'an unreadable file',
        ['diff', '--baseline', 'nope.json', '--current', 'drift.json'],
        'driftwatch: nope.json: cannot read (no such file)',
      ],
      ['an unknown command', ['frobnicate'], "error: unknown command 'frobnicate'"],
    ])('%s', (_name, args, message) => {
      const r = cli(...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('malformed JSON names file, line and column', () => {
      write('bad.json', '[\n  {"id": "/x"},\n  {"id": }\n]');
      const r = cli('diff', '--baseline', 'bad.json', '--current', 'drift.json');
      expect([r.status, r.stderr]).toEqual([
        1,
        "driftwatch: bad.json:3:10: malformed JSON (Unexpected token '}')\n",
      ]);
    });

    it('a file of none of the accepted shapes', () => {
      write('odd.json', { hello: 'world' });
      expect(cli('diff', '--baseline', 'odd.json', '--current', 'drift.json').stderr).toMatch(
        /^driftwatch: odd\.json: expected a JSON array of ARM resources.*found an object with keys hello\n$/,
      );
    });

    it('duplicate ids say which', () => {
      write('dupes.json', [storage(), storage()]);
      expect(cli('diff', '--baseline', 'dupes.json', '--current', 'drift.json').stderr).toBe(
        `driftwatch: dupes.json: duplicate resource id ${RG}/Microsoft.Storage/storageAccounts/stapp (resources #0 and #1)\n`,
      );
    });

    it('a config key that is unknown names the key and the file', () => {
      write(
        'driftwatch.config.yaml',
        'ignore:\n  - resourceType: Microsoft.Web/sites\n    reasn: typo\n',
      );
      const r = cli('diff', '--baseline', 'base.json', '--current', 'drift.json');
      expect([r.status, r.stderr]).toEqual([
        1,
        'driftwatch: unknown config key "ignore[0].reasn" in driftwatch.config.yaml (valid here: resourceType, id, tag, path, reason, expires, owner)\n',
      ]);
    });

    it('a severity override naming no rule lists the valid rule ids', () => {
      write('driftwatch.config.yaml', 'severity:\n  overrides:\n    tag-changd: info\n');

      const r = cli('diff', '--baseline', 'base.json', '--current', 'drift.json');

      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /^driftwatch: config key "severity\.overrides\.tag-changd" in driftwatch\.config\.yaml: no rule "tag-changd" \(did you mean "tag-changed"\?\); rule ids: nsg-mgmt-port-open-to-any, .*, tag-changed, property-changed, resource-added, .*resource-unknown\n$/,
      );
    });

    it('a file too large to read fails at once instead of hanging', () => {
      execFileSync('truncate', ['-s', '600M', join(cwd, 'huge.json')]);
      const r = cli('diff', '--baseline', 'huge.json', '--current', 'drift.json');
      expect([r.status, r.stderr]).toEqual([
        1,
        'driftwatch: huge.json: 600 MiB is larger than the 400 MiB driftwatch reads in one file; split the scope or collect with `driftwatch scan`\n',
      ]);
    });
  });

  describe('input files as Windows tools and pipes produce them', () => {
    it('reads a snapshot that starts with a UTF-8 byte order mark', () => {
      writeFileSync(join(cwd, 'bom.json'), `\uFEFF${JSON.stringify([storage()])}`);

      const r = cli('diff', '--baseline', 'base.json', '--current', 'bom.json');

      expect([r.status, r.stderr]).toEqual([0, '']);
    });

    it('names a UTF-16 file (PowerShell Out-File) and says to save it as UTF-8', () => {
      writeFileSync(
        join(cwd, 'ps.json'),
        Buffer.from(`\uFEFF${JSON.stringify([storage()])}`, 'utf16le'),
      );

      const r = cli('diff', '--baseline', 'base.json', '--current', 'ps.json');

      expect([r.status, r.stderr]).toEqual([
        1,
        'driftwatch: ps.json: file is UTF-16 (little-endian); save it as UTF-8 (PowerShell: Set-Content -Encoding utf8, or Out-File -Encoding utf8)\n',
      ]);
    });

    it('refuses a baseline with invalid UTF-8 in a string and keeps none', () => {
      const bytes = Buffer.from(JSON.stringify([storage({}, { tags: { owner: 'Ren?e' } })]));
      bytes[bytes.indexOf('?')] = 0xe9; // Latin-1 "é"
      writeFileSync(join(cwd, 'latin1.json'), bytes);

      const r = cli('baseline', 'set', '--scope', 'prod', '--file', 'latin1.json');

      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /^driftwatch: latin1\.json:1:\d+: invalid UTF-8 at byte \d+; driftwatch reads UTF-8 text \(re-export the file as UTF-8\)\n$/,
      );
      expect(cli('baseline', 'list').stdout).toContain('no baselines yet');
    });

    it('refuses a baseline nested thousands of levels deep, naming the file and the limit', () => {
      const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) });
      write('deep.json', [storage({ nested: deep(2000) })]);

      const r = cli('baseline', 'set', '--scope', 'prod', '--file', 'deep.json');

      expect([r.status, r.stderr]).toEqual([
        1,
        `driftwatch: deep.json: nested more than 100 levels deep at [0].properties.nested.a.a.a… (resource ${RG}/Microsoft.Storage/storageAccounts/stapp); driftwatch reads at most 100 levels (real ARM resources nest far less)\n`,
      ]);
      expect(cli('baseline', 'list').stdout).toContain('no baselines yet');
    });

    it('stops reading --current /dev/zero at the size limit instead of reading forever', () => {
      cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json');

      const r = cli('check', '--scope', 'prod', '--current', '/dev/zero');

      expect([r.status, r.stderr]).toEqual([
        1,
        'driftwatch: /dev/zero: more than 400 MiB read; stopped at the limit driftwatch reads in one file; split the scope or collect with `driftwatch scan`\n',
      ]);
    });
  });

  describe('incomplete results', () => {
    const withUnreadable = {
      resources: [storage()],
      errors: [
        {
          id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-data',
          message: '403',
        },
      ],
    };

    it('exits 3 when the current snapshot is incomplete and nothing drifted', () => {
      write('partial.json', withUnreadable);

      const r = cli('diff', '--baseline', 'base.json', '--current', 'partial.json');

      expect([r.status, r.stderr]).toEqual([
        3,
        'driftwatch: incomplete: part of the scope could not be read, so this is not an all-clear; exit 3 (--allow-incomplete accepts it)\n',
      ]);
    });

    it('exits 0 for an incomplete snapshot with --allow-incomplete', () => {
      write('partial.json', withUnreadable);

      const r = cli(
        'diff',
        '--baseline',
        'base.json',
        '--current',
        'partial.json',
        '--allow-incomplete',
      );

      expect([r.status, r.stderr]).toEqual([
        0,
        'driftwatch: incomplete result accepted (--allow-incomplete); exit 0\n',
      ]);
    });

    it('exits 2, not 3, when drift at or above --fail-on is found in an incomplete snapshot', () => {
      write('partial-drift.json', {
        ...withUnreadable,
        resources: [storage({ allowBlobPublicAccess: true })],
      });

      const r = cli('check', '--scope', 'prod', '--current', 'partial-drift.json');
      cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json');
      const checked = cli('check', '--scope', 'prod', '--current', 'partial-drift.json');

      expect(r.status).toBe(1);
      expect(checked.status).toBe(2);
    });

    it('exits 3 when the only drift is below --fail-on and the snapshot is incomplete', () => {
      write('partial-tag.json', {
        ...withUnreadable,
        resources: [storage({}, { tags: { env: 'Prod' } })],
      });

      const r = cli(
        'diff',
        '--baseline',
        'base.json',
        '--current',
        'partial-tag.json',
        '--fail-on',
        'high',
      );

      expect([r.status, r.stderr]).toEqual([
        3,
        'driftwatch: incomplete: part of the scope could not be read, so this is not an all-clear; exit 3 (--allow-incomplete accepts it)\ndriftwatch: 1 finding below --fail-on high\n',
      ]);
    });
  });

  describe('store commands', () => {
    it('sets a baseline, checks against it, keeps the report, accepts a finding', () => {
      expect(cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json').stdout).toMatch(
        /^baseline for scope prod set: 1 resources \(snapshot snap_/,
      );
      const check = cli('check', '--scope', 'prod', '--current', 'drift.json', '--format', 'json');
      expect(check.status).toBe(2);
      const fingerprint = JSON.parse(check.stdout).findings[0].fingerprint as string;
      const history = cli('history', '--scope', 'prod', '--format', 'json');
      expect(JSON.parse(history.stdout)).toEqual([
        expect.objectContaining({
          scope: 'prod',
          findings: 1,
          maxSeverity: 'high',
          complete: true,
        }),
      ]);
      expect(
        cli('accept', fingerprint.slice(0, 8), '--scope', 'prod', '--reason', 'CHG-7').stdout,
      ).toBe(`accepted ${fingerprint} (stapp, modified) in scope prod: CHG-7\n`);
      const again = cli('check', '--scope', 'prod', '--current', 'drift.json');
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('1 accepted finding not shown');
    });

    it('accept needs at least 4 characters of a fingerprint, as report ids and chat do', () => {
      cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json');
      const check = cli('check', '--scope', 'prod', '--current', 'drift.json', '--format', 'json');
      const fingerprint = JSON.parse(check.stdout).findings[0].fingerprint as string;

      const short = cli('accept', fingerprint.slice(0, 3), '--scope', 'prod');
      const enough = cli('accept', fingerprint.slice(0, 4), '--scope', 'prod');

      expect([short.status, short.stderr]).toEqual([
        1,
        `driftwatch: "${fingerprint.slice(0, 3)}" names no resource, and a fingerprint prefix needs at least 4 characters (the report shows 8 in [brackets])\n`,
      ]);
      expect([enough.status, enough.stdout]).toEqual([
        0,
        `accepted ${fingerprint} (stapp, modified) in scope prod\n`,
      ]);
    });

    it('applies ignore rules kept in the store (created in chat) to check', async () => {
      cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json');
      const store = await openStore({ path: join(cwd, 'store.sqlite') });
      await addChatIgnoreRule(
        store,
        'prod',
        {
          resourceType: 'Microsoft.Storage/storageAccounts',
          owner: 'U1',
          reason: 'migration',
          expires: '2099-01-01',
        },
        new Date(),
      );
      await store.close();

      const r = cli('check', '--scope', 'prod', '--current', 'drift.json');

      expect(r.status).toBe(0);
      expect(r.stdout).toContain('no drift · 1 resource compared');
      expect(r.stdout).toContain(
        'suppressed 1 platform-managed or ignored change (ignore[0]: migration)',
      );
    });

    it('leaves the store unchanged when a baseline set fails on bad input', () => {
      cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json');
      write('bad.json', '[{"id": ');
      expect(cli('baseline', 'set', '--scope', 'prod', '--file', 'bad.json').status).toBe(1);
      write('partial.json', { resources: [storage()], errors: [{ id: RG, message: 'throttled' }] });
      const partial = cli('baseline', 'set', '--scope', 'prod', '--file', 'partial.json');
      expect(partial.stderr).toContain('a baseline must be complete (or pass --allow-incomplete)');
      const show = cli('baseline', 'show', '--scope', 'prod', '--format', 'json');
      expect(JSON.parse(show.stdout).resources).toEqual([storage()]);
    });

    it('says what to do when check has no file and the scope is not in the config', () => {
      const r = cli('check', '--scope', 'prod');
      expect([r.status, r.stderr]).toEqual([
        1,
        'driftwatch: check without --current collects a named scope, and the config defines no scope "prod" (none defined); pass --current FILE, or add it under "scopes:"\n',
      ]);
    });

    it('says what to do when a scope has no baseline', () => {
      const r = cli('check', '--scope', 'prod', '--current', 'drift.json');
      expect([r.status, r.stderr]).toEqual([
        1,
        'driftwatch: no baseline for scope "prod"; set one with: driftwatch baseline set --scope prod --file FILE\n',
      ]);
    });

    it('survives being killed in the middle of setting a baseline', {
      timeout: 120_000,
    }, async () => {
      cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json');
      const big = Array.from({ length: 10_000 }, (_, i) => ({
        ...storage(),
        id: `${RG}/Microsoft.Storage/storageAccounts/st${i}`,
        name: `st${i}`,
        properties: { padding: 'x'.repeat(1500) },
      }));
      write('big.json', big);
      for (const delay of [150, 450, 800]) {
        const child = startCli(['baseline', 'set', '--scope', 'prod', '--file', 'big.json'], {
          cwd,
          env: { DRIFTWATCH_STORE: join(cwd, 'store.sqlite') },
        });
        // Listen before killing: a run that already finished has emitted 'exit' by then.
        const exited = new Promise((r) => child.once('exit', r));
        await new Promise((r) => setTimeout(r, delay));
        child.kill('SIGKILL');
        await exited;
        const show = cli('baseline', 'show', '--scope', 'prod', '--format', 'json');
        expect(show.status).toBe(0);
        expect([1, 10_000]).toContain(JSON.parse(show.stdout).resources.length);
      }
    });
  });

  describe('demo', () => {
    it('reports the change window on the embedded store, twice in a row', () => {
      for (let i = 0; i < 2; i++) {
        const r = runCli(['demo'], { cwd });
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(
          /CRITICAL {2}nsg-web-prod +properties\.securityRules\[allow-ssh\]\.properties\.sourceAddressPrefix/,
        );
        expect(r.stdout).toContain(
          'UNKNOWN   app-web-prod/web  not readable: 403 on Microsoft.Web/sites/config',
        );
        expect(r.stdout).toContain('6 drifted · 1 added · 0 removed · 1 unknown');
      }
      expect(JSON.parse(runCli(['history', '--format', 'json'], { cwd }).stdout)).toHaveLength(2);
    });
  });

  it('prints the exit codes in --help, and --allow-incomplete where it applies', () => {
    const help = cli('--help').stdout;
    const scan = cli('scan', '--help').stdout;

    expect(help).toContain(
      [
        'Exit codes (the first that applies, in this order):',
        '  1  error: bad flag or file, invalid config, unreachable store, refused credential,',
        '     untrusted TLS certificate, or a scope of which nothing could be read',
        '  2  drift at or above --fail-on',
        '  3  incomplete: part of the scope could not be read (not an all-clear;',
        '     --allow-incomplete makes it 0)',
        '  0  clean',
      ].join('\n'),
    );
    expect(scan).toContain('--allow-incomplete');
  });

  it('prints help listing every command', () => {
    const r = cli('--help');
    for (const command of ['demo', 'diff', 'check', 'baseline', 'accept', 'history', 'report'])
      expect(r.stdout).toContain(`  ${command}`);
  });
});

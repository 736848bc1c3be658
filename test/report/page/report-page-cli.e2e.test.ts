import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';

const RG = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers';
const storage = (allowBlobPublicAccess: boolean, note: string) => ({
  id: `${RG}/Microsoft.Storage/storageAccounts/stapp`,
  name: 'stapp',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  tags: { env: 'prod', note },
  properties: { allowBlobPublicAccess, supportsHttpsTrafficOnly: true },
});

describe('driftwatch report ID --format html (built CLI)', () => {
  let cwd: string;
  let reportId: string;
  let fingerprint: string;
  const cli = (...args: string[]) =>
    runCli(args, { cwd, env: { DRIFTWATCH_STORE: join(cwd, 'store.sqlite') } });

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'dw-page-cli-'));
    writeFileSync(join(cwd, 'base.json'), JSON.stringify([storage(false, 'ok')]));
    writeFileSync(join(cwd, 'drift1.json'), JSON.stringify([storage(true, 'ok')]));
    writeFileSync(
      join(cwd, 'drift2.json'),
      JSON.stringify([storage(true, '<script>alert(1)</script>')]),
    );
    cli('baseline', 'set', '--scope', 'prod', '--file', 'base.json');
    cli('check', '--scope', 'prod', '--current', 'drift1.json');
    const check = cli('check', '--scope', 'prod', '--current', 'drift2.json', '--format', 'json');
    fingerprint = JSON.parse(check.stdout).findings[0].fingerprint;
    cli('accept', fingerprint, '--scope', 'prod', '--reason', 'CHG-7 <b>');
    reportId = JSON.parse(cli('history', '--scope', 'prod', '--format', 'json').stdout)[0].id;
  });

  it('writes the self-contained page to --out with the trend over the stored scans', () => {
    const r = cli('report', reportId, '--format', 'html', '--out', 'page.html');
    const html = readFileSync(join(cwd, 'page.html'), 'utf8');
    const data = JSON.parse(
      /<script type="application\/json" id="dw-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}',
    );

    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^report page written to page\.html: 1 finding, 2 scans in the trend, \d+ KiB; opens offline in any browser\n$/,
    );
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(data.trend.points.map((p: { findings: number }) => p.findings)).toEqual([1, 1]);
    expect(html).toContain('accepted by tester: accepted: CHG-7 &lt;b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('uPlot');
  });

  it('prints the page to stdout without --out', () => {
    const r = cli('report', reportId.slice(0, 6), '--format', 'html');

    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout).toContain(`report ${reportId}`);
  });

  it.each([
    [
      ['report', 'ffffffff', '--format', 'html', '--out', 'x.html'],
      'driftwatch: no stored report "ffffffff"; driftwatch history lists them\n',
    ],
    [
      ['report', 'ffffffff', '--format', 'text', '--out', 'x.html'],
      'driftwatch: --out writes the HTML page: use it with --format html (text, json and md go to stdout)\n',
    ],
  ])('refuses %j with one clear error and writes nothing', (args, error) => {
    const r = cli(...args);

    expect([r.status, r.stderr]).toEqual([1, error]);
    expect(existsSync(join(cwd, 'x.html'))).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/requirements.js';
import { ensureTaskBundle, TASK_BUNDLE } from './run-task-bundle.js';

const TFX = resolve(PROJECT_ROOT, 'node_modules/tfx-cli/_build/tfx-cli.js');
const MAX_VSIX_BYTES = 25 * 1024 * 1024;

describe('the Azure DevOps extension package', () => {
  let out: string;
  let log: string;
  beforeAll(() => {
    ensureTaskBundle();
    out = mkdtempSync(join(tmpdir(), 'driftgate-vsix-'));
    log = execFileSync(
      process.execPath,
      [
        TFX,
        'extension',
        'create',
        '--root',
        '.',
        '--manifest-globs',
        'vss-extension.json',
        '--output-path',
        out,
        '--no-prompt',
        '--no-color',
        '--trace-level',
        'debug',
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("builds offline and passes tfx's own task.json validation without warnings", () => {
    expect(log).toContain('Validating task json...');
    expect(log).toContain('Json is valid.');
    expect(log).toContain(
      'Successfully validated 1 task.json files across 1 build task contributions',
    );
    expect(log).not.toMatch(/warn/i);
  });

  it('stays far under the 25 MiB limit and ships the one bundle, not node_modules', () => {
    const vsix = join(out, 'driftwatch.driftwatch-drift-gate-1.0.0.vsix');
    const size = statSync(vsix).size;
    process.stdout.write(
      `vsix ${(size / 1024).toFixed(0)} KiB, task bundle ${(statSync(TASK_BUNDLE).size / 1024 / 1024).toFixed(2)} MiB\n`,
    );

    expect(size).toBeLessThan(MAX_VSIX_BYTES);
    const listing = zipEntries(readFileSync(vsix))
      .filter((name) => !name.endsWith('/'))
      .sort();
    expect(listing).toEqual([
      '[Content_Types].xml',
      'docs/pipeline-task.md',
      'extension.vsixmanifest',
      'extension.vsomanifest',
      'images/extension-icon.png',
      'task/Strings/resources.resjson/en-US/resources.resjson',
      'task/dist/index.js',
      'task/dist/package.json',
      'task/icon.png',
      'task/task.json',
      'task/task.loc.json',
    ]);
  });

  it('is as large as README and docs/pipeline-task.md say (within 10 %)', () => {
    const vsixKiB = statSync(join(out, 'driftwatch.driftwatch-drift-gate-1.0.0.vsix')).size / 1024;
    const bundleMiB = statSync(TASK_BUNDLE).size / 1024 / 1024;
    const readme = readFileSync(resolve(PROJECT_ROOT, 'README.md'), 'utf8');
    const docs = readFileSync(resolve(PROJECT_ROOT, 'docs/pipeline-task.md'), 'utf8');
    const figure = (text: string, pattern: RegExp) =>
      Number(pattern.exec(text)?.[1]?.replace(/,/g, '') ?? Number.NaN);
    const stated = {
      readmeBundle: figure(readme, /bundle\s+`task\/dist\/index\.js` is ([\d.]+) MiB/),
      readmeVsix: figure(readme, /the `\.vsix` ([\d,]+) KiB/),
      readmeInstall: figure(readme, /drift-gate-1\.0\.0\.vsix \(about ([\d,]+) KiB\)/),
      docsBundle: figure(docs, /Bundle `task\/dist\/index\.js`: ([\d.]+) MiB/),
      docsVsix: figure(docs, /`\.vsix` ([\d,]+) KiB \(limit/),
      docsInstall: figure(docs, /drift-gate-1\.0\.0\.vsix \(about ([\d,]+) KiB\)/),
    };
    const off = (said: number, measured: number) => Math.abs(said / measured - 1) <= 0.1;

    expect({
      readmeBundle: off(stated.readmeBundle, bundleMiB),
      readmeVsix: off(stated.readmeVsix, vsixKiB),
      readmeInstall: off(stated.readmeInstall, vsixKiB),
      docsBundle: off(stated.docsBundle, bundleMiB),
      docsVsix: off(stated.docsVsix, vsixKiB),
      docsInstall: off(stated.docsInstall, vsixKiB),
    }).toEqual({
      readmeBundle: true,
      readmeVsix: true,
      readmeInstall: true,
      docsBundle: true,
      docsVsix: true,
      docsInstall: true,
    });
  });

  it('points both Node handlers at the bundle and keeps the localisation files in step with task.json', () => {
    const task = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'task/task.json'), 'utf8'));
    const loc = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'task/task.loc.json'), 'utf8'));
    const strings = JSON.parse(
      readFileSync(
        resolve(PROJECT_ROOT, 'task/Strings/resources.resjson/en-US/resources.resjson'),
        'utf8',
      ),
    );

    expect(task.execution).toEqual({
      Node20_1: { target: 'dist/index.js', argumentFormat: '' },
      Node24: { target: 'dist/index.js', argumentFormat: '' },
    });
    expect(task.friendlyName.length).toBeLessThanOrEqual(40);
    expect(task.version.Major).toBe(1);
    expect(task.groups.map((g: { name: string }) => g.name)).toEqual([
      'basic',
      'baseline',
      'thresholds',
      'advanced',
    ]);
    expect(task.outputVariables.map((v: { name: string }) => v.name)).toEqual([
      'driftCount',
      'driftMaxSeverity',
      'driftDetected',
      'reportPath',
    ]);
    expect(loc.id).toBe(task.id);
    for (const [key, text] of Object.entries(task.messages)) {
      expect(loc.messages[key]).toBe(`ms-resource:loc.messages.${key}`);
      expect(strings[`loc.messages.${key}`]).toBe(text);
    }
    expect(strings['loc.friendlyName']).toBe(task.friendlyName);
  });

  it('bundles no native module (the SQLite store never ships in the task)', () => {
    const bundle = readFileSync(TASK_BUNDLE, 'utf8');

    expect(bundle).not.toMatch(/require\("(sqlite3|@keyv\/sqlite)"\)/);
    expect(bundle).not.toMatch(/\.node"\)/);
  });
});

/** File names in a zip's central directory (PKWARE APPNOTE 4.3.12 and 4.3.16). */
function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central directory entry at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

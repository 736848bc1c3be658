import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../cli/run-cli.js';

const RESTORES = 6;

/** Runs the built CLI to the end in its own process; resolves with its exit code and output. */
function finish(args: string[], cwd: string, env: Record<string, string>) {
  const proc = startCli(args, { cwd, env });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (c) => {
    stdout += c;
  });
  proc.stderr?.on('data', (c) => {
    stderr += c;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
    proc.on('close', (code) => done({ code, stdout, stderr })),
  );
}

describe('baseline restore across processes (built CLI, one SQLite store)', () => {
  it('gives concurrent restores distinct versions, loses none, and leaves the newest current', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dw-restore-'));
    const env = { DRIFTWATCH_STORE: join(cwd, 'store.sqlite') };
    for (let n = 1; n <= 3; n++) {
      const file = `v${n}.json`;
      writeFileSync(
        join(cwd, file),
        JSON.stringify(
          Array.from({ length: n }, (_, i) => ({
            id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app${i}`,
          })),
        ),
      );
      expect(
        runCli(['baseline', 'set', '--scope', 'prod', '--file', file], { cwd, env }).status,
      ).toBe(0);
    }

    const runs = await Promise.all(
      Array.from({ length: RESTORES }, (_, i) =>
        finish(
          [
            'baseline',
            'restore',
            '--scope',
            'prod',
            '--version',
            String((i % 3) + 1),
            '--reason',
            `drill ${i}`,
          ],
          cwd,
          {
            ...env,
            USER: `worker${i}`,
          },
        ),
      ),
    );
    const versions = JSON.parse(
      runCli(['baseline', 'versions', '--scope', 'prod', '--format', 'json'], { cwd, env }).stdout,
    ) as Array<{
      version: number;
      restoredFrom?: number;
      setBy?: string;
      note?: string;
      resources: number;
    }>;
    const current = runCli(['baseline', 'show', '--scope', 'prod'], { cwd, env }).stdout;

    expect(runs.map((r) => [r.code, r.stderr])).toEqual(runs.map(() => [0, '']));
    const made = runs
      .map((r) => Number(/restored: version (\d+) is/.exec(r.stdout)?.[1]))
      .sort((a, b) => a - b);
    expect(made).toEqual([4, 5, 6, 7, 8, 9]);
    expect(versions.map((v) => v.version).sort((a, b) => b - a)).toEqual([
      9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
    for (const v of versions.filter((x) => x.restoredFrom)) {
      const i = Number(/drill (\d)/.exec(v.note ?? '')?.[1]);
      expect([v.setBy, v.restoredFrom, v.resources]).toEqual([
        `worker${i}`,
        (i % 3) + 1,
        (i % 3) + 1,
      ]);
    }
    const newest = versions[0] as (typeof versions)[number];
    expect(current.split('\n')[0]).toBe(
      `scope prod · version ${newest.version} (restored from version ${newest.restoredFrom}) · ${newest.resources} resources · set ${(newest as { setAt?: string }).setAt} by ${newest.setBy}`,
    );
  });

  it('exports a version and imports it into another scope; a plain snapshot is refused with one clear error', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dw-export-'));
    const env = { DRIFTWATCH_STORE: join(cwd, 'store.sqlite') };
    const cli = (...args: string[]) => runCli(args, { cwd, env });
    writeFileSync(
      join(cwd, 'v.json'),
      JSON.stringify([
        { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a' },
      ]),
    );
    cli('baseline', 'set', '--scope', 'prod', '--file', 'v.json', '--note', 'release 7');

    const exported = cli(
      'baseline',
      'export',
      '--scope',
      'prod',
      '--version',
      '1',
      '--out',
      'prod-v1.json',
    );
    const imported = cli('baseline', 'import', '--file', 'prod-v1.json', '--scope', 'staging');
    const refused = cli('baseline', 'import', '--file', 'v.json');
    const versions = JSON.parse(
      cli('baseline', 'versions', '--scope', 'staging', '--format', 'json').stdout,
    );

    expect([exported.status, exported.stderr]).toEqual([
      0,
      'baseline version 1 of scope prod written to prod-v1.json (1 resources)\n',
    ]);
    expect([imported.status, imported.stdout]).toEqual([
      0,
      'baseline for scope staging set from prod-v1.json: version 1, 1 resources\n',
    ]);
    expect(versions[0].note).toMatch(
      /^imported from prod-v1\.json \(version 1 of scope prod, set \d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
    );
    expect([refused.status, refused.stderr]).toEqual([
      1,
      'driftwatch: v.json: not a baseline export (document: Invalid input: expected object, received array); expected a file written by driftwatch baseline export, with "kind": "driftwatch-baseline"\n',
    ]);
  });
});

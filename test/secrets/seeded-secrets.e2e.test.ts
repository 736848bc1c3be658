import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSlackMessages } from '../../bot/slack/build-blocks.js';
import { buildTeamsCards } from '../../bot/teams/build-card.js';
import { summariseReport } from '../../core/commands/summarise-report.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import type { Report } from '../../core/model/report.js';
import { readPageAssets } from '../../core/report/page/read-page-assets.js';
import { renderReportPage } from '../../core/report/page/render-report-page.js';
import { renderJunit } from '../../core/report/render-junit.js';
import { renderMarkdown } from '../../core/report/render-markdown.js';
import { renderSarif } from '../../core/report/render-sarif.js';
import { renderText } from '../../core/report/render-text.js';
import { protectSnapshot } from '../../core/secrets/protect-snapshot.js';
import { sanitiseReport } from '../../core/secrets/sanitise-report.js';
import { createSecretHasher } from '../../core/secrets/secret-marker.js';
import { decideGateResult } from '../../task/decide-gate-result.js';
import { renderPipelineSummary } from '../../task/render-pipeline-summary.js';
import { runCli } from '../cli/run-cli.js';
import { fakeStore, NOW } from '../commands/fake-drift.js';
import { secretNeedles, seededSnapshots } from './seeded-secrets.js';

/** The seeded secrets found in some text, by name of the output; empty when nothing leaked. */
function leaks(outputs: Record<string, string>): string[] {
  const needles = secretNeedles();
  return Object.entries(outputs).flatMap(([name, text]) =>
    needles.filter((n) => text.includes(n)).map((n) => `${name}: ${n}`),
  );
}

async function everyFormat(report: Report): Promise<Record<string, string>> {
  const store = await fakeStore();
  const message = await summariseReport({
    report,
    reportId: 'r1',
    scope: 'seed',
    store,
    now: new Date(NOW),
    timezone: 'UTC',
    topFindings: 5,
  });
  const decision = decideGateResult(report, { failOn: 'high', mode: 'fail', unreadable: [] });
  return {
    text: renderText(report, { color: false, all: true }),
    colour: renderText(report, { color: true, all: true }),
    json: JSON.stringify(sanitiseReport(report)),
    md: renderMarkdown(report),
    sarif: renderSarif(report),
    junit: renderJunit(report),
    slack: JSON.stringify(buildSlackMessages(message)),
    teams: JSON.stringify(buildTeamsCards(message)),
    page: renderReportPage({ report, reportId: 'r1' }, { assets: readPageAssets() }),
    summary: renderPipelineSummary({
      report,
      decision,
      failOn: 'high',
      baseline: 'seeded',
      unreadable: [],
    }),
  };
}

describe('seeded secrets', () => {
  it('reach no output format, and rotated secrets are still found, hidden', async () => {
    const { baseline, current } = seededSnapshots();
    const hasher = createSecretHasher('seeded-store-key');

    const report = compareSnapshots(
      protectSnapshot(baseline, hasher),
      protectSnapshot(current, hasher),
      { scope: 'seed' },
    );
    const outputs = await everyFormat(report);

    expect(leaks(outputs)).toEqual([]);
    const changed = report.findings.flatMap((f) =>
      f.changes.map((c) => `${f.resourceName} ${c.path}${c.secret ? ' (secret)' : ''}`),
    );
    expect(changed.sort()).toEqual(
      [
        'aci-seed properties.containers[worker].properties.environmentVariables[DB_PASS].secureValue (secret)',
        'app-seed properties.publishingUrl (secret)',
        'app-seed properties.siteConfig.appSettings[INLINE_SECRET].value (secret)',
        'app-seed/appsettings properties.API_KEY (secret)',
        'app-seed/appsettings properties.BUS (secret)',
        'app-seed/appsettings properties.EXPORT_URL (secret)',
        'app-seed/appsettings properties.FEATURE_FLAG (secret)',
        'app-seed/appsettings properties.STORAGE (secret)',
        'app-seed/connectionstrings properties.Db.value (secret)',
        'app-seed/connectionstrings properties.Legacy.value (secret)',
        'ca-seed properties.configuration.secrets[db].value (secret)',
        'kv-seed/db-password properties.value (secret)',
        'stseed tags.backupKey (secret)',
        'stseed tags.deployToken (secret)',
        'wf-seed properties.callbackUrl (secret)',
        'wf-seed properties.notes (secret)',
      ].sort(),
    );
    expect(outputs.text).toContain('changed (secret, value hidden)');
    // The page and the Teams card show the findings (so the leak check above read them).
    expect(outputs.page).toContain('properties.API_KEY');
    expect(outputs.teams).toContain('app-seed');
  });

  it('reach no output even when a report is built from snapshots that were not hashed', async () => {
    const { baseline, current } = seededSnapshots();

    const report = compareSnapshots(baseline, current, { scope: 'seed' });

    expect(leaks(await everyFormat(report))).toEqual([]);
  });

  it('reach neither the store nor any CLI output: baseline set, check, report, history, baseline show, baseline import, diff', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dw-seeded-'));
    const { baseline, current } = seededSnapshots();
    writeFileSync(join(cwd, 'baseline.json'), JSON.stringify(baseline));
    writeFileSync(join(cwd, 'current.json'), JSON.stringify(current));
    // An export document edited by hand: the plain secrets of the seeded baseline under its header.
    const exported = {
      kind: 'driftwatch-baseline',
      exportSchemaVersion: 1,
      exportedAt: '2026-11-21T10:00:00Z',
      baseline: { scope: 'seed', version: 1, setAt: '2026-11-21T10:00:00Z' },
      ...baseline,
    };
    writeFileSync(join(cwd, 'export.json'), JSON.stringify(exported));
    const cli = (...args: string[]) =>
      runCli(args, { cwd, env: { DRIFTWATCH_STORE: join(cwd, 'store', 'store.sqlite') } });

    const runs = {
      set: cli('baseline', 'set', '--scope', 'seed', '--file', 'baseline.json'),
      checkText: cli('check', '--scope', 'seed', '--current', 'current.json'),
      checkJson: cli('check', '--scope', 'seed', '--current', 'current.json', '--format', 'json'),
      checkMd: cli('check', '--scope', 'seed', '--current', 'current.json', '--format', 'md'),
      history: cli('history', '--format', 'json'),
      show: cli('baseline', 'show', '--scope', 'seed', '--format', 'json'),
      imported: cli('baseline', 'import', '--file', 'export.json', '--scope', 'imported'),
      diffText: cli('diff', '--baseline', 'baseline.json', '--current', 'current.json'),
      diffJson: cli(
        'diff',
        '--baseline',
        'baseline.json',
        '--current',
        'current.json',
        '--format',
        'json',
      ),
      diffMd: cli(
        'diff',
        '--baseline',
        'baseline.json',
        '--current',
        'current.json',
        '--format',
        'md',
      ),
    };
    expect(Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.status]))).toEqual({
      set: 0,
      checkText: 2,
      checkJson: 2,
      checkMd: 2,
      history: 0,
      show: 0,
      imported: 0,
      diffText: 2,
      diffJson: 2,
      diffMd: 2,
    });
    const reportId = (JSON.parse(runs.history.stdout) as Array<{ id: string }>)[0]?.id ?? '';
    const report = cli('report', reportId, '--format', 'json');
    const storeFiles = readdirSync(join(cwd, 'store'));

    expect(report.status).toBe(0);
    expect(
      leaks({
        ...Object.fromEntries(
          Object.entries({ ...runs, report }).map(([k, r]) => [k, r.stdout + r.stderr]),
        ),
        ...Object.fromEntries(
          storeFiles.map((f) => [`store/${f}`, readFileSync(join(cwd, 'store', f), 'latin1')]),
        ),
      }),
    ).toEqual([]);
    expect(runs.checkText.stdout).toContain('properties.API_KEY');
    expect(runs.checkText.stdout).toContain('changed (secret, value hidden)');
    expect(runs.show.stdout).toContain('[[secret:hmac-sha256:');
    // One finding count everywhere: JSON, Markdown heading, history, and diff of the same files.
    const checked = JSON.parse(runs.checkJson.stdout) as Report;
    const history = JSON.parse(runs.history.stdout) as Array<{ findings: number }>;
    expect(checked.summary.findings).toBe(10);
    expect(runs.checkMd.stdout.split('\n')[0]).toMatch(/^## Drift in scope `seed`: 10 findings /);
    expect(history.map((h) => h.findings)).toEqual([10, 10, 10]);
    expect((JSON.parse(runs.diffJson.stdout) as Report).summary.findings).toBe(10);
  });
});

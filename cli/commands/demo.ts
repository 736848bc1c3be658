import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { attributeFindings, attributionWindow } from '../../core/attribution/attribute-findings.js';
import { demoChangeHistory, demoDeployments } from '../../core/demo/demo-attribution.js';
import { demoPriceCatalogue } from '../../core/demo/demo-prices.js';
import { demoSnapshots } from '../../core/demo/demo-snapshots.js';
import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { enrichImpact } from '../../core/impact/enrich-impact.js';
import { protectSnapshot } from '../../core/secrets/protect-snapshot.js';
import { sanitiseReport } from '../../core/secrets/sanitise-report.js';
import { storeSecretHasher } from '../../core/secrets/store-secret-key.js';
import { type ReportFormat, useColor, writeReport } from '../output/write-report.js';
import { configOption, engineRulesFor, formatOption } from '../shared-options.js';
import { withStore } from '../with-store.js';
import { baselineLabel } from './check.js';
import type { RegisterCommand } from './index.js';

/**
 * `driftwatch demo`: the main job on the embedded store with no Azure, Slack or Redis: record a
 * sample estate as the baseline, replay a change window, and report the drift as a person reads it.
 */
export const registerDemoCommand: RegisterCommand = (program, ctx) => {
  program
    .command('demo')
    .description(
      'record a sample estate, replay a change window and report the drift (no Azure needed)',
    )
    .addOption(formatOption())
    .option(
      '--export <dir>',
      'also write the two snapshots as baseline.json and current.json (try them with driftwatch diff)',
    )
    .addOption(configOption())
    .action(async (options: { format: ReportFormat; export?: string; config?: string }) => {
      const loaded = ctx.config(options.config);
      const { baseline: rawBaseline, current: rawCurrent, story } = demoSnapshots();
      if (options.export) {
        const dir = resolve(ctx.cwd, options.export);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'baseline.json'), `${JSON.stringify(rawBaseline, null, 2)}\n`);
        writeFileSync(join(dir, 'current.json'), `${JSON.stringify(rawCurrent, null, 2)}\n`);
      }
      const rules = engineRulesFor(ctx, loaded, undefined);
      await withStore(ctx, loaded, async (store) => {
        const secrets = await storeSecretHasher(store);
        const baseline = protectSnapshot(rawBaseline, secrets);
        const current = protectSnapshot(rawCurrent, secrets);
        const record = await store.setBaseline('demo', baseline, {
          setBy: 'pipeline infra-deploy',
        });
        const accepted = await store.listAccepted('demo');
        const compared = compareSnapshots(baseline, current, {
          scope: 'demo',
          rules,
          accepted,
          clock: ctx.clock,
          baselineLabel: baselineLabel(record),
        });
        // Who or what did it: the demo's stand-ins for Azure DevOps and Resource Graph change history.
        const attributed = await attributeFindings(compared, {
          deployments: demoDeployments,
          changes: demoChangeHistory,
          window: attributionWindow(compared),
          resources: current.resources,
        });
        // Blast radius from the estate's references; cost from the demo's own written price table
        // (through the same port as the Retail Prices API), so the demo stays offline.
        const prices = demoPriceCatalogue();
        const impacted = await enrichImpact(attributed, {
          baseline: rawBaseline,
          current: rawCurrent,
          ...(loaded.config.impact ? { config: loaded.config.impact } : {}),
          prices,
        });
        const report = sanitiseReport(impacted);
        const ref = await store.saveReport(report);
        if (options.format !== 'text') {
          writeReport(ctx, report, options.format);
          return;
        }
        const dim = (s: string) => (useColor(ctx) ? `\x1b[2m${s}\x1b[0m` : s);
        const priceNote = `cost: list prices from ${prices.source}`;
        ctx.stdout.write(`${[...story, priceNote].map((line) => dim(`# ${line}`)).join('\n')}\n\n`);
        writeReport(ctx, report, 'text');
        const top = report.findings[0];
        ctx.stdout.write(
          [
            '',
            `  report ${ref.id.slice(0, 8)} saved in the ${store.kind} store · a real check exits 2 on this drift`,
            '',
            'next:',
            ...nextSteps(ref.id.slice(0, 8), top?.fingerprint.slice(0, 8)),
            '',
          ].join('\n'),
        );
      });
    });
};

/** What to try after the demo, commands in one column and what each does beside them. */
function nextSteps(reportId: string, fingerprint: string | undefined): string[] {
  const steps: Array<[string, string]> = [
    [`driftwatch report ${reportId} --format md`, 'the same report as Markdown'],
    [
      `driftwatch report ${reportId} --format html --out demo-report.html`,
      'the report page, to open in a browser',
    ],
    ...(fingerprint
      ? [
          [
            `driftwatch accept ${fingerprint} --scope demo`,
            'accept a finding, then run the demo again',
          ] as [string, string],
        ]
      : []),
    ['driftwatch history', 'reports kept in the store'],
    ['driftwatch demo --export demo-estate', 'write both snapshots to try driftwatch diff on them'],
  ];
  const width = Math.max(...steps.map(([command]) => command.length));
  return steps.map(([command, what]) => `  ${command.padEnd(width)}   ${what}`);
}

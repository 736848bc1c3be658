import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { UsageError } from '../../core/errors.js';
import { enrichImpact, priceCatalogueFor } from '../../core/impact/enrich-impact.js';
import type { Severity } from '../../core/model/severity.js';
import { protectSnapshot } from '../../core/secrets/protect-snapshot.js';
import { storeSecretHasher } from '../../core/secrets/store-secret-key.js';
import { readSnapshotFile } from '../../core/snapshot/read-snapshot-file.js';
import { listChatIgnoreRules } from '../../core/store/chat-ignore-rules.js';
import type { CliContext } from '../cli-context.js';
import { type ReportFormat, writeReport } from '../output/write-report.js';
import {
  ALL_HELP,
  allowIncompleteOption,
  configOption,
  engineRulesFor,
  exitCodeFor,
  failOnOption,
  formatOption,
  ignoreFileOption,
  readDriftignore,
} from '../shared-options.js';
import { scopeArgument, withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';
import { describeUnread, scanFromCli } from './scan.js';

interface CheckOptions {
  scope: string;
  current?: string;
  format: ReportFormat;
  failOn: Severity;
  ignoreFile?: string;
  config?: string;
  all?: boolean;
  allowIncomplete?: boolean;
}

/** `driftwatch check`: a current snapshot file against the scope's stored baseline; saves the report. */
export const registerCheckCommand: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('check')
    .description(
      "compare the scope's current state (a snapshot file, else collected from Azure) with its stored baseline and keep the report",
    )
    .option('--scope <name>', 'scope name', 'default')
    .option(
      '--current <file>',
      'current snapshot file (default: collect the named scope from Azure)',
    )
    .addOption(formatOption())
    .addOption(failOnOption())
    .addOption(ignoreFileOption())
    .addOption(allowIncompleteOption())
    .addOption(configOption())
    .option('--all', ALL_HELP)
    .action(async (options: CheckOptions) => {
      const scope = scopeArgument(options.scope);
      if (options.current === undefined) {
        setExit(await checkByScanning(ctx, scope, options));
        return;
      }
      const loaded = ctx.config(options.config);
      const { snapshot: read } = readSnapshotFile(options.current);
      await withStore(ctx, loaded, async (store) => {
        const secrets = await storeSecretHasher(store);
        const current = protectSnapshot(read, secrets);
        const rules = engineRulesFor(
          ctx,
          loaded,
          options.ignoreFile,
          await listChatIgnoreRules(store, scope),
        );
        const baseline = await store.getBaseline(scope);
        if (!baseline)
          throw new UsageError(
            'usage.no-baseline',
            `no baseline for scope "${scope}"; set one with: driftwatch baseline set --scope ${scope} --file FILE`,
          );
        const accepted = await store.listAccepted(scope);
        const compared = compareSnapshots(protectSnapshot(baseline.snapshot, secrets), current, {
          scope,
          rules,
          accepted,
          clock: ctx.clock,
          baselineLabel: baselineLabel(baseline.record),
        });
        const impact = loaded.config.impact;
        const report = await enrichImpact(compared, {
          baseline: baseline.snapshot,
          current: read,
          config: impact,
          prices: priceCatalogueFor(impact, { fetch: globalThis.fetch, store }),
        });
        const ref = await store.saveReport(report);
        writeReport(ctx, report, options.format, { all: Boolean(options.all) });
        if (options.format === 'text')
          ctx.stdout.write(`  report: driftwatch report ${ref.id.slice(0, 8)}\n`);
        setExit(
          exitCodeFor(ctx, report, options.failOn, {
            allowIncomplete: Boolean(options.allowIncomplete),
          }),
        );
      });
    });
};

/** "pipeline run 4411" when a pipeline recorded the baseline, else who set it. */
export function baselineLabel(record: {
  source?: { pipeline?: { runId?: string } };
  setBy?: string;
  note?: string;
}): string | undefined {
  if (record.source?.pipeline?.runId) return `pipeline run ${record.source.pipeline.runId}`;
  if (record.setBy) return `set by ${record.setBy}`;
  return undefined;
}

/** `check` without `--current`: collect the named scope from Azure, as `scan SCOPE` does. */
async function checkByScanning(
  ctx: CliContext,
  scope: string,
  options: CheckOptions,
): Promise<number> {
  const { config } = ctx.config(options.config);
  if (!config.scopes[scope]) {
    const defined = Object.keys(config.scopes);
    throw new UsageError(
      'usage.unknown-scope',
      `check without --current collects a named scope, and the config defines no scope "${scope}" (${defined.length > 0 ? `defined: ${defined.join(', ')}` : 'none defined'}); pass --current FILE, or add it under "scopes:"`,
    );
  }
  const driftignore = readDriftignore(ctx, options.ignoreFile);
  const result = await scanFromCli(ctx, scope, options.config ? { config: options.config } : {}, {
    extra: driftignore,
    interrupted: 'interrupted: nothing was saved, the store is as it was',
  });
  describeUnread(ctx, result);
  if (!result.report) {
    throw new UsageError(
      'usage.no-baseline',
      `no baseline for scope "${scope}"; record one with: driftwatch scan ${scope} --save-baseline`,
    );
  }
  writeReport(ctx, result.report, options.format, { all: Boolean(options.all) });
  if (options.format === 'text' && result.reportRef)
    ctx.stdout.write(`  report: driftwatch report ${result.reportRef.id.slice(0, 8)}\n`);
  return exitCodeFor(ctx, result.report, options.failOn, {
    allowIncomplete: Boolean(options.allowIncomplete),
  });
}

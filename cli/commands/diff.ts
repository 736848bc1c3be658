import { compareSnapshots } from '../../core/engine/compare-snapshots.js';
import { enrichImpact, priceCatalogueFor } from '../../core/impact/enrich-impact.js';
import type { Severity } from '../../core/model/severity.js';
import { readSnapshotFile } from '../../core/snapshot/read-snapshot-file.js';
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
} from '../shared-options.js';
import type { RegisterCommand } from './index.js';

interface DiffOptions {
  baseline: string;
  current: string;
  format: ReportFormat;
  failOn: Severity;
  ignoreFile?: string;
  config?: string;
  scope?: string;
  all?: boolean;
  allowIncomplete?: boolean;
}

/** `driftwatch diff --baseline FILE --current FILE`: compare two snapshot files. */
export const registerDiffCommand: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('diff')
    .description('compare two snapshot files (any accepted shape) and report drift')
    .requiredOption('--baseline <file>', 'the snapshot drift is measured against')
    .requiredOption('--current <file>', 'the snapshot to check')
    .addOption(formatOption())
    .addOption(failOnOption())
    .addOption(ignoreFileOption())
    .addOption(allowIncompleteOption())
    .addOption(configOption())
    .option('--scope <name>', 'name the scope in the report')
    .option('--all', ALL_HELP)
    .action(async (options: DiffOptions) => {
      const loaded = ctx.config(options.config);
      const rules = engineRulesFor(ctx, loaded, options.ignoreFile);
      // Nothing is stored, so the snapshots are not hashed up front (that would double the
      // time of a large diff): the differ hashes the secrets of what it reports.
      const { snapshot: baseline } = readSnapshotFile(options.baseline);
      const { snapshot: current } = readSnapshotFile(options.current);
      const compared = compareSnapshots(baseline, current, {
        rules,
        clock: ctx.clock,
        ...(options.scope ? { scope: options.scope } : {}),
      });
      const impact = loaded.config.impact;
      const report = await enrichImpact(compared, {
        baseline,
        current,
        config: impact,
        prices: priceCatalogueFor(impact, { fetch: globalThis.fetch }),
      });
      writeReport(ctx, report, options.format, { all: Boolean(options.all) });
      setExit(
        exitCodeFor(ctx, report, options.failOn, {
          allowIncomplete: Boolean(options.allowIncomplete),
        }),
      );
    });
};

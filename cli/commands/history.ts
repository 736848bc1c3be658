import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { MIN_ID_PREFIX } from '../../core/model/min-id-prefix.js';
import { escapeControl as t } from '../../core/report/escape-terminal.js';
import type { ReportFormat } from '../output/write-report.js';
import { writeReport } from '../output/write-report.js';
import { ALL_HELP, configOption, formatOption } from '../shared-options.js';
import { positiveInt, scopeArgument, withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';

/** `driftwatch history` and `driftwatch report <id>`: stored reports. */
export const registerHistoryCommand: RegisterCommand = (program, ctx) => {
  program
    .command('history')
    .description('list stored reports, newest first')
    .option('--scope <name>', 'only this scope')
    .option('--limit <n>', 'at most this many', positiveInt('--limit'), 20)
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .addOption(configOption())
    .action(
      async (options: {
        scope?: string;
        limit: number;
        format: 'text' | 'json';
        config?: string;
      }) => {
        const scope = options.scope === undefined ? undefined : scopeArgument(options.scope);
        const loaded = ctx.config(options.config);
        const refs = await withStore(ctx, loaded, (store) =>
          store.listReports({ limit: options.limit, ...(scope ? { scope } : {}) }),
        );
        if (options.format === 'json') {
          ctx.stdout.write(
            `${JSON.stringify(
              refs.map(({ fingerprints: _f, ...r }) => r),
              null,
              2,
            )}\n`,
          );
          return;
        }
        if (refs.length === 0) {
          ctx.stdout.write(`no reports${scope ? ` for scope ${scope}` : ''} yet\n`);
          return;
        }
        ctx.stdout.write(
          'REPORT            GENERATED                 SCOPE             FINDINGS  WORST     COMPLETE\n',
        );
        for (const r of refs) {
          ctx.stdout.write(
            `${t(r.id)}  ${t(r.generatedAt).padEnd(24)}  ${t(r.scope).padEnd(16)}  ${String(r.findings).padStart(8)}  ${(r.maxSeverity ?? '-').padEnd(8)}  ${r.complete ? 'yes' : 'NO'}\n`,
          );
        }
      },
    );

  program
    .command('report')
    .description('print a stored report')
    .argument('<id>', `report id or a unique prefix of at least ${MIN_ID_PREFIX} characters`)
    .addOption(formatOption())
    .option('--all', ALL_HELP)
    .addOption(configOption())
    .action(
      async (id: string, options: { format: ReportFormat; all?: boolean; config?: string }) => {
        const loaded = ctx.config(options.config);
        const found = await withStore(ctx, loaded, (store) => store.getReport(id));
        if (!found)
          throw new UsageError(
            'usage.no-report',
            `no stored report "${id}"; driftwatch history lists them`,
          );
        writeReport(ctx, found.report, options.format, { all: Boolean(options.all) });
      },
    );
};

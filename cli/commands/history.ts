import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { MIN_ID_PREFIX } from '../../core/model/min-id-prefix.js';
import { escapeControl as t } from '../../core/report/escape-terminal.js';
import { REPORT_FORMATS, type ReportFormat, writeReport } from '../output/write-report.js';
import { writeReportPage } from '../output/write-report-page.js';
import { ALL_HELP, configOption } from '../shared-options.js';
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
    .description('print a stored report, or write its HTML page (--format html --out FILE)')
    .argument('<id>', `report id or a unique prefix of at least ${MIN_ID_PREFIX} characters`)
    .addOption(
      new Option(
        '--format <format>',
        'output format; html is the self-contained report page (trend, filters, details)',
      )
        .choices([...REPORT_FORMATS, 'html'])
        .default('text'),
    )
    .option('--out <file>', 'write the html page to this file instead of stdout (--format html)')
    .option('--all', ALL_HELP)
    .addOption(configOption())
    .action(
      async (
        id: string,
        options: { format: ReportFormat | 'html'; out?: string; all?: boolean; config?: string },
      ) => {
        if (options.out !== undefined && options.format !== 'html')
          throw new UsageError(
            'usage.out-needs-html',
            `--out writes the HTML page: use it with --format html (text, json and md go to stdout)`,
          );
        const loaded = ctx.config(options.config);
        const notFound = () =>
          new UsageError(
            'usage.no-report',
            `no stored report "${id}"; driftwatch history lists them`,
          );
        if (options.format === 'html') {
          const found = await withStore(ctx, loaded, (store) =>
            writeReportPage(ctx, store, id, options.out),
          );
          if (!found) throw notFound();
          return;
        }
        const found = await withStore(ctx, loaded, (store) => store.getReport(id));
        if (!found) throw notFound();
        writeReport(ctx, found.report, options.format, { all: Boolean(options.all) });
      },
    );
};

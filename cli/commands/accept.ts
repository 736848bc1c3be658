import { UsageError } from '../../core/errors.js';
import { MIN_ID_PREFIX } from '../../core/model/min-id-prefix.js';
import { escapeControl } from '../../core/report/escape-terminal.js';
import { configOption } from '../shared-options.js';
import { scopeArgument, withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';

/**
 * `driftwatch accept <fingerprint|resource id>`: declare a finding expected. Later checks of the
 * scope count it as accepted instead of listing it (until the drift itself changes).
 */
export const registerAcceptCommand: RegisterCommand = (program, ctx) => {
  program
    .command('accept')
    .description(
      'accept a finding (by fingerprint, resource id or name) from the latest report of a scope',
    )
    .argument(
      '<finding>',
      `finding fingerprint (or a unique prefix of at least ${MIN_ID_PREFIX} characters), resource id or resource name`,
    )
    .option('--scope <name>', 'scope name', 'default')
    .option('--reason <text>', 'why this drift is expected')
    .addOption(configOption())
    .action(
      async (finding: string, options: { scope: string; reason?: string; config?: string }) => {
        const scope = scopeArgument(options.scope);
        const loaded = ctx.config(options.config);
        await withStore(ctx, loaded, async (store) => {
          const [latest] = await store.listReports({ scope, limit: 1 });
          const found = latest ? await store.getReport(latest.id) : undefined;
          if (!found)
            throw new UsageError(
              'usage.no-report',
              `no report for scope "${scope}" yet; run driftwatch check --scope ${scope} first`,
            );
          const wanted = finding.toLowerCase();
          const byPrefix = wanted.length >= MIN_ID_PREFIX;
          const matches = found.report.findings.filter(
            (f) =>
              (byPrefix && f.fingerprint.startsWith(wanted)) ||
              f.resourceId.toLowerCase() === wanted ||
              f.resourceName.toLowerCase() === wanted,
          );
          if (matches.length === 0 && !byPrefix) {
            throw new UsageError(
              'usage.short-prefix',
              `"${finding}" names no resource, and a fingerprint prefix needs at least ${MIN_ID_PREFIX} characters (the report shows 8 in [brackets])`,
            );
          }
          if (matches.length === 0) {
            throw new UsageError(
              'usage.no-finding',
              `no finding "${finding}" in the latest report of scope "${scope}" (${found.ref.id}); the report lists each finding's fingerprint in [brackets]`,
            );
          }
          if (matches.length > 1)
            throw new UsageError(
              'usage.ambiguous-finding',
              `"${finding}" matches ${matches.length} findings; give more of the fingerprint`,
            );
          const match = matches[0];
          if (!match) return;
          await store.accept({
            scope,
            fingerprint: match.fingerprint,
            resourceId: match.resourceId,
            by: ctx.env.USER ?? 'cli',
            at: ctx.clock.now().toISOString(),
            ...(options.reason ? { reason: options.reason } : {}),
          });
          ctx.stdout.write(
            `accepted ${match.fingerprint} (${escapeControl(match.resourceName)}, ${match.change}) in scope ${scope}${options.reason ? `: ${options.reason}` : ''}\n`,
          );
        });
      },
    );
};

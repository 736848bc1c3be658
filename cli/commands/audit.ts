import { Option } from 'commander';
import { readAudit } from '../../core/remediate/audit-log.js';
import { renderAuditLine } from '../output/render-plan-text.js';
import { configOption } from '../shared-options.js';
import { scopeArgument, withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';

/**
 * `driftwatch audit`: the remediation audit log (requests, decisions, applies, verifications),
 * oldest first; `--format jsonl` exports it as JSON lines.
 */
export const registerAuditCommand: RegisterCommand = (program, ctx) => {
  program
    .command('audit')
    .description(
      'show the remediation audit log: who requested, decided, applied and verified what, and when',
    )
    .option('--scope <name>', 'only this scope')
    .option('--plan <id>', 'only this plan (full id)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'jsonl'])
        .default('text'),
    )
    .addOption(configOption())
    .action(
      async (options: {
        scope?: string;
        plan?: string;
        format: 'text' | 'json' | 'jsonl';
        config?: string;
      }) => {
        const scope = options.scope === undefined ? undefined : scopeArgument(options.scope);
        const loaded = ctx.config(options.config);
        const entries = await withStore(ctx, loaded, (store) =>
          readAudit(store, {
            ...(scope ? { scope } : {}),
            ...(options.plan ? { planId: options.plan.toLowerCase() } : {}),
          }),
        );
        if (options.format === 'json')
          return void ctx.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        if (options.format === 'jsonl') {
          for (const entry of entries) ctx.stdout.write(`${JSON.stringify(entry)}\n`);
          return;
        }
        if (entries.length === 0) ctx.stdout.write('the audit log is empty\n');
        for (const entry of entries) ctx.stdout.write(renderAuditLine(entry));
      },
    );
};

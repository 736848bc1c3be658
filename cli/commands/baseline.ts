import { Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { escapeControl } from '../../core/report/escape-terminal.js';
import { formatCount } from '../../core/report/format-value.js';
import { protectSnapshot } from '../../core/secrets/protect-snapshot.js';
import { storeSecretHasher } from '../../core/secrets/store-secret-key.js';
import { readSnapshotFile } from '../../core/snapshot/read-snapshot-file.js';
import { configOption } from '../shared-options.js';
import { positiveInt, scopeArgument, withStore } from '../with-store.js';
import { findBaseline, registerBaselineVersionCommands } from './baseline-versions.js';
import type { RegisterCommand } from './index.js';

/**
 * `driftwatch baseline set|show|list|versions|restore|export|import`: the snapshots drift is
 * measured against, per scope, with every version kept (retention from config) to roll back to.
 */
export const registerBaselineCommand: RegisterCommand = (program, ctx) => {
  const baseline = program
    .command('baseline')
    .description('set, show, list, version, restore, export and import stored baselines');

  baseline
    .command('set')
    .description('store a snapshot file as the baseline of a scope')
    .requiredOption('--file <file>', 'snapshot file (any accepted shape)')
    .option('--scope <name>', 'scope name', 'default')
    .option('--note <text>', 'why this baseline was set')
    .option('--allow-incomplete', 'accept a snapshot whose errors list unreadable resources')
    .addOption(configOption())
    .action(
      async (options: {
        file: string;
        scope: string;
        note?: string;
        allowIncomplete?: boolean;
        config?: string;
      }) => {
        const scope = scopeArgument(options.scope);
        const loaded = ctx.config(options.config);
        const { snapshot } = readSnapshotFile(options.file);
        if (!snapshot.complete && !options.allowIncomplete) {
          throw new UsageError(
            'usage.incomplete-baseline',
            `${options.file} lists ${snapshot.errors.length} unreadable resource(s) or scope(s); a baseline must be complete (or pass --allow-incomplete)`,
          );
        }
        const record = await withStore(ctx, loaded, async (store) =>
          store.setBaseline(scope, protectSnapshot(snapshot, await storeSecretHasher(store)), {
            setBy: ctx.env.USER ?? 'cli',
            ...(options.note ? { note: options.note } : {}),
          }),
        );
        ctx.stdout.write(
          `baseline for scope ${scope} set: ${formatCount(record.resources)} resources (snapshot ${record.snapshotId})\n`,
        );
      },
    );

  baseline
    .command('show')
    .description("show a scope's baseline (json prints the whole snapshot)")
    .option('--scope <name>', 'scope name', 'default')
    .option('--version <n>', 'a kept version instead of the current one', positiveInt('--version'))
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .addOption(configOption())
    .action(
      async (options: {
        scope: string;
        version?: number;
        format: 'text' | 'json';
        config?: string;
      }) => {
        const scope = scopeArgument(options.scope);
        const loaded = ctx.config(options.config);
        await withStore(ctx, loaded, async (store) => {
          const found = await findBaseline(store, scope, options.version);
          if (options.format === 'json') {
            // A baseline stored before secrets were hashed is shown hashed too.
            const shown = protectSnapshot(found.snapshot, await storeSecretHasher(store));
            ctx.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
            return;
          }
          const { record, snapshot } = found;
          const byType = new Map<string, number>();
          for (const r of snapshot.resources) {
            const t = r.type ?? 'unknown';
            byType.set(t, (byType.get(t) ?? 0) + 1);
          }
          const lines = [
            `scope ${record.scope}${record.version ? ` · version ${record.version}${record.restoredFrom ? ` (restored from version ${record.restoredFrom})` : ''}` : ''} · ${formatCount(record.resources)} resources · set ${record.setAt}${record.setBy ? ` by ${record.setBy}` : ''}`,
            `snapshot ${record.snapshotId}${snapshot.collectedAt ? ` · collected ${snapshot.collectedAt}` : ''}${record.source?.pipeline?.runId ? ` · pipeline run ${record.source.pipeline.runId}` : ''}`,
            ...(record.note ? [`note: ${record.note}`] : []),
            '',
            ...[...byType.entries()]
              .sort((a, b) => b[1] - a[1])
              .map(([t, n]) => `  ${String(n).padStart(6)}  ${t}`),
          ];
          // Types, notes and run ids come from files and Azure: control characters shown, not sent.
          ctx.stdout.write(`${lines.map(escapeControl).join('\n')}\n`);
        });
      },
    );

  baseline
    .command('list')
    .description('list scopes that have a baseline')
    .addOption(configOption())
    .action(async (options: { config?: string }) => {
      const loaded = ctx.config(options.config);
      const records = await withStore(ctx, loaded, (store) => store.listBaselines());
      if (records.length === 0) {
        ctx.stdout.write('no baselines yet; set one with: driftwatch baseline set --file FILE\n');
        return;
      }
      const width = Math.max(5, ...records.map((r) => r.scope.length));
      ctx.stdout.write(`${'SCOPE'.padEnd(width)}  RESOURCES  SET AT                    BY\n`);
      for (const r of records) {
        ctx.stdout.write(
          `${r.scope.padEnd(width)}  ${formatCount(r.resources).padStart(9)}  ${r.setAt.padEnd(24)}  ${r.setBy ?? ''}\n`,
        );
      }
    });
  registerBaselineVersionCommands(baseline, ctx);
};

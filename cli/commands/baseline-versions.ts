import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { Snapshot } from '../../core/model/resource.js';
import { escapeControl as t } from '../../core/report/escape-terminal.js';
import { formatCount } from '../../core/report/format-value.js';
import { protectSnapshot } from '../../core/secrets/protect-snapshot.js';
import { storeSecretHasher } from '../../core/secrets/store-secret-key.js';
import { checkNestingDepth } from '../../core/snapshot/check-nesting-depth.js';
import { parseJsonLocated } from '../../core/snapshot/parse-json-located.js';
import { readInputText } from '../../core/snapshot/read-input-text.js';
import { MAX_INPUT_BYTES } from '../../core/snapshot/read-snapshot-file.js';
import { exportBaseline, readBaselineExport } from '../../core/store/baseline-export.js';
import type { BaselineRecord, DriftStore } from '../../core/store/drift-store.js';
import type { CliContext } from '../cli-context.js';
import { writeFileAtomically } from '../output/write-file-atomically.js';
import { configOption } from '../shared-options.js';
import { positiveInt, scopeArgument, withStore } from '../with-store.js';

/**
 * The current baseline of a scope, or a kept version of it; one clear error when there is none
 * (naming the kept versions when a version was asked for).
 */
export async function findBaseline(
  store: DriftStore,
  scope: string,
  version: number | undefined,
): Promise<{ record: BaselineRecord; snapshot: Snapshot }> {
  if (version === undefined) {
    const found = await store.getBaseline(scope);
    if (found) return found;
    throw new UsageError(
      'usage.no-baseline',
      `no baseline for scope "${scope}"; set one with: driftwatch baseline set --scope ${scope} --file FILE`,
    );
  }
  const found = await store.getBaselineVersion(scope, version);
  if (found) return found;
  const kept = (await store.baselineVersions(scope)).map((r) => r.version);
  throw new UsageError(
    'usage.no-baseline-version',
    `scope "${scope}" keeps no baseline version ${version}; kept versions: ${kept.join(', ') || 'none'} (driftwatch baseline versions --scope ${scope})`,
  );
}

/** `baseline versions|restore|export|import`: roll a scope's baseline back, or carry it elsewhere. */
export function registerBaselineVersionCommands(baseline: Command, ctx: CliContext): void {
  baseline
    .command('versions')
    .description("list a scope's kept baseline versions, newest (current) first")
    .option('--scope <name>', 'scope name', 'default')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .addOption(configOption())
    .action(async (options: { scope: string; format: 'text' | 'json'; config?: string }) => {
      const scope = scopeArgument(options.scope);
      const versions = await withStore(ctx, ctx.config(options.config), (store) =>
        store.baselineVersions(scope),
      );
      if (options.format === 'json') {
        ctx.stdout.write(`${JSON.stringify(versions, null, 2)}\n`);
        return;
      }
      if (versions.length === 0) {
        ctx.stdout.write(
          `no baseline versions for scope ${scope}; set one with: driftwatch baseline set --scope ${scope} --file FILE\n`,
        );
        return;
      }
      ctx.stdout.write('VERSION  SET AT                    RESOURCES  BY                NOTE\n');
      versions.forEach((r, i) => {
        const note = [
          i === 0 ? 'current' : '',
          r.restoredFrom ? `restored from ${r.restoredFrom}` : '',
          r.note ?? '',
        ]
          .filter(Boolean)
          .join(' · ');
        ctx.stdout.write(
          `${String(r.version).padStart(7)}  ${t(r.setAt).padEnd(24)}  ${formatCount(r.resources).padStart(9)}  ${t(r.setBy ?? '').padEnd(16)}  ${t(note)}\n`,
        );
      });
    });

  baseline
    .command('restore')
    .description(
      "make a kept version the scope's baseline again (a new version noting who and why)",
    )
    .requiredOption(
      '--version <n>',
      'the version to restore (baseline versions lists them)',
      positiveInt('--version'),
    )
    .requiredOption('--reason <text>', 'why (kept with the new version)')
    .option('--scope <name>', 'scope name', 'default')
    .addOption(configOption())
    .action(
      async (options: { version: number; reason: string; scope: string; config?: string }) => {
        const scope = scopeArgument(options.scope);
        if (options.reason.trim() === '')
          throw new UsageError('usage.empty-reason', '--reason: say why the baseline is restored');
        const by = ctx.env.USER ?? 'cli';
        const record = await withStore(ctx, ctx.config(options.config), (store) =>
          store.restoreBaseline(scope, options.version, {
            setBy: by,
            note: options.reason,
          }),
        );
        ctx.stdout.write(
          `${t(
            `baseline for scope ${scope} restored: version ${record.version} is version ${options.version}'s snapshot (${formatCount(record.resources)} resources), by ${by}: ${options.reason}`,
          )}\n`,
        );
      },
    );

  baseline
    .command('export')
    .description('write a baseline version as one portable snapshot document')
    .option('--scope <name>', 'scope name', 'default')
    .option('--version <n>', 'a kept version (default: the current one)', positiveInt('--version'))
    .option('--out <file>', 'write to this file instead of stdout')
    .addOption(configOption())
    .action(async (options: { scope: string; version?: number; out?: string; config?: string }) => {
      const scope = scopeArgument(options.scope);
      const document = await withStore(ctx, ctx.config(options.config), async (store) => {
        const { record, snapshot } = await findBaseline(store, scope, options.version);
        const version =
          record.version ??
          (await store.baselineVersions(scope)).find((r) => r.snapshotId === record.snapshotId)
            ?.version ??
          1;
        return exportBaseline({ ...record, version }, snapshot, ctx.clock.now());
      });
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (options.out === undefined || options.out === '-') {
        ctx.stdout.write(text);
        return;
      }
      writeFileAtomically(resolve(ctx.cwd, options.out), text);
      ctx.stderr.write(
        `baseline version ${document.baseline.version} of scope ${scope} written to ${options.out} (${formatCount(document.resources.length)} resources)\n`,
      );
    });

  baseline
    .command('import')
    .description('set a baseline from a document written by baseline export')
    .requiredOption('--file <file>', 'the exported document')
    .option('--scope <name>', 'scope name (default: the scope it was exported from)')
    .option('--note <text>', 'why it is imported')
    .addOption(configOption())
    .action(async (options: { file: string; scope?: string; note?: string; config?: string }) => {
      const value = parseJsonLocated(
        readInputText(resolve(ctx.cwd, options.file), {
          maxBytes: MAX_INPUT_BYTES,
          label: options.file,
        }),
        options.file,
      );
      checkNestingDepth(value, options.file);
      const { baseline: from, snapshot } = readBaselineExport(value, options.file);
      const scope = scopeArgument(options.scope ?? from.scope);
      const note = `imported from ${options.file} (version ${from.version} of scope ${from.scope}, set ${from.setAt})${options.note ? `: ${options.note}` : ''}`;
      // An export holds keyed hashes, but the file may have been edited or written by hand:
      // hash what is still plain before it is stored (markers are left as they are).
      const record = await withStore(ctx, ctx.config(options.config), async (store) =>
        store.setBaseline(scope, protectSnapshot(snapshot, await storeSecretHasher(store)), {
          setBy: ctx.env.USER ?? 'cli',
          note,
        }),
      );
      ctx.stdout.write(
        `${t(
          `baseline for scope ${scope} set from ${options.file}: version ${record.version}, ${formatCount(record.resources)} resources`,
        )}\n`,
      );
    });
}

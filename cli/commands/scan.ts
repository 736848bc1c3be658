import type { Command } from 'commander';
import { Option } from 'commander';
import { resolveEndpoints } from '../../core/collect/azure-clouds.js';
import type { CollectProgress } from '../../core/collect/collect-scope-types.js';
import { retriesOf } from '../../core/collect/collect-stats.js';
import { isAbort } from '../../core/collect/is-abort.js';
import type { DriftwatchConfig } from '../../core/config/config-schema.js';
import { RESOURCE_GROUP_NAME, SubscriptionId } from '../../core/config/sections/scope-config.js';
import { AuthError, isDriftwatchError, UsageError } from '../../core/errors.js';
import type { Severity } from '../../core/model/severity.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import { escapeControl } from '../../core/report/escape-terminal.js';
import type { AdHocScope } from '../../core/scan/resolve-scan-target.js';
import type { RunScanOptions, RunScanResult } from '../../core/scan/run-scan.js';
import type { DriftStore } from '../../core/store/drift-store.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../cli-context.js';
import { createProgressReporter } from '../output/progress.js';
import { type ReportFormat, writeReport } from '../output/write-report.js';
import {
  ALL_HELP,
  allowIncompleteOption,
  configOption,
  exitCodeFor,
  failOnOption,
  formatOption,
  ignoreFileOption,
  incompleteExitCode,
  readDriftignore,
} from '../shared-options.js';
import { withStore } from '../with-store.js';
import type { RegisterCommand } from './index.js';

interface ScanCommandFlags extends ScanFlags {
  saveBaseline?: boolean;
  format: ReportFormat;
  failOn: Severity;
  ignoreFile?: string;
  all?: boolean;
  attribute?: boolean;
  allowIncomplete?: boolean;
  incremental?: boolean;
  full?: boolean;
}

/** `driftwatch scan [scope]`: collect from Azure, report drift against the baseline, optionally save it. */
export const registerScanCommand: RegisterCommand = (program, ctx, setExit) => {
  addScanScopeOptions(
    program
      .command('scan')
      .description('collect a scope from Azure and, if it has a baseline, report drift'),
  )
    .option('--save-baseline', "store this snapshot as the scope's baseline (only if complete)")
    .addOption(formatOption())
    .addOption(failOnOption())
    .addOption(ignoreFileOption())
    .addOption(allowIncompleteOption())
    .option('--all', ALL_HELP)
    .addOption(
      new Option(
        '--incremental',
        "re-read only what Azure's change history names since the last complete scan and carry the rest forward (a full scan instead when the history has a gap or the last full scan is older than azure.collect.fullScanEveryHours, default 24)",
      ).conflicts('full'),
    )
    .addOption(
      new Option(
        '--full',
        'read everything (the default unless azure.collect.mode is incremental)',
      ).conflicts('incremental'),
    )
    .option(
      '--attribute',
      'say who or what caused each finding (Azure change history; Azure DevOps deployments when configured)',
    )
    .action(async (scopeName: string | undefined, flags: ScanCommandFlags) => {
      // Read before any Azure call, so a bad --ignore-file fails fast (runScan compiles it first too).
      const driftignore = readDriftignore(ctx, flags.ignoreFile);
      const result = await scanFromCli(ctx, scopeName, flags, {
        extra: {
          ...(flags.saveBaseline
            ? { saveBaseline: true, baselineMeta: { setBy: ctx.env.USER ?? 'driftwatch scan' } }
            : {}),
          ...driftignore,
          ...(flags.attribute ? { attribute: true } : {}),
          ...(flags.incremental ? { mode: 'incremental' as const } : {}),
          ...(flags.full ? { mode: 'full' as const } : {}),
        },
        interrupted: 'interrupted: nothing was saved, the store is as it was',
      });
      describeCollection(ctx, result);
      describeUnread(ctx, result);
      if (result.report) {
        writeReport(ctx, result.report, flags.format, { all: Boolean(flags.all) });
        if (flags.format === 'text' && result.reportRef)
          ctx.stdout.write(`  report: driftwatch report ${result.reportRef.id.slice(0, 8)}\n`);
      } else writeNoBaseline(ctx, result, flags.format);
      if (result.savedBaseline)
        ctx.stderr.write(
          `driftwatch: baseline saved for scope ${result.scope} (${result.savedBaseline.resources.toLocaleString('en-US')} resources)\n`,
        );
      if (result.baselineRefused) {
        ctx.stderr.write(`driftwatch: ${result.baselineRefused}\n`);
        return setExit(EXIT.error);
      }
      const allow = { allowIncomplete: Boolean(flags.allowIncomplete) };
      if (result.report) setExit(exitCodeFor(ctx, result.report, flags.failOn, allow));
      else setExit(result.snapshot.complete ? EXIT.ok : incompleteExitCode(ctx, allow));
    });
};

/**
 * `runScan` as the CLI runs it: scope from the argument and flags, progress on stderr, the store
 * opened for the run, and Ctrl-C turned into one line saying what was (not) written.
 */
export async function scanFromCli(
  ctx: CliContext,
  scopeName: string | undefined,
  flags: ScanFlags,
  options: { extra?: Partial<RunScanOptions>; interrupted: string },
): Promise<RunScanResult> {
  const scope = validScopeName(scopeName);
  const loaded = ctx.config(flags.config);
  // Loaded on demand: the Azure SDKs are large and most commands never need them.
  const { runScan } = await import('../../core/scan/run-scan.js');
  const progress = collectProgress(ctx);
  return withStore(ctx, loaded, async (store) => {
    const collector = await queuedCollector(ctx, loaded.config, store, options.extra?.mode);
    return runScan({
      ...(collector ? { collector } : {}),
      ...(scope ? { scope } : {}),
      adHoc: adHocFromFlags(flags),
      config: loaded.config,
      env: ctx.env,
      cwd: ctx.cwd,
      store,
      signal: ctx.signal,
      clock: ctx.clock,
      onProgress: progress.onProgress,
      ...(flags.via ? { via: flags.via } : {}),
      ...options.extra,
    });
  })
    .catch((error: unknown) => {
      if (isAbort(error, ctx.signal))
        throw new UsageError('usage.interrupted', options.interrupted);
      // The identity library drops which host failed; the configuration knows it.
      if (isDriftwatchError(error) && error.code === 'auth.authority-unreachable') {
        const { authorityHost } = resolveEndpoints(loaded.config.azure, ctx.env);
        throw new AuthError(
          error.code,
          `could not get an Azure token from ${authorityHost}: it could not be reached or its TLS certificate is not trusted; check azure.endpoints.authorityHost / AZURE_AUTHORITY_HOST and the network or proxy, and for a private CA (a proxy, the ARM simulator) point NODE_EXTRA_CA_CERTS at its CA certificate (PEM)`,
          { cause: error },
        );
      }
      throw error;
    })
    .finally(progress.finish);
}

/**
 * With Redis configured (REDIS_URL) and `azure.collect.queue` not off, a scope of several
 * subscriptions is read as one shard per subscription on this deployment's BullMQ queue: by this
 * process and by every `driftwatch worker` and bot replica on the same Redis and prefix.
 */
async function queuedCollector(
  ctx: CliContext,
  config: DriftwatchConfig,
  store: DriftStore,
  mode: RunScanOptions['mode'],
): Promise<RunScanOptions['collector']> {
  if (!config.store.redisUrl || config.azure.collect?.queue === false) return undefined;
  const { configuredScanCollector } = await import(
    '../../core/scan/queue/configured-scan-collector.js'
  );
  return configuredScanCollector({ config, env: ctx.env, store, ...(mode ? { mode } : {}) });
}

/** How an incremental scan (or a full one that was asked to be incremental) went, on stderr. */
export function describeCollection(ctx: CliContext, result: Pick<RunScanResult, 'snapshot'>) {
  const c = result.snapshot.collection;
  const n = (v: number | undefined) => (v ?? 0).toLocaleString('en-US');
  if (c?.mode === 'incremental')
    ctx.stderr.write(
      `driftwatch: incremental scan: ${n(c.reread)} re-read, ${n(c.carried)} carried forward unchanged (changes ${c.window?.from ?? '?'} → ${c.window?.to ?? '?'})\n`,
    );
  else if (c?.fullReason)
    ctx.stderr.write(`driftwatch: full scan: ${escapeControl(redactSecrets(c.fullReason))}\n`);
}

/** What could not be read, first few on stderr; the report shows them as `unknown`. */
export function describeUnread(ctx: CliContext, result: Pick<RunScanResult, 'snapshot'>): void {
  const { errors } = result.snapshot;
  if (errors.length === 0) return;
  ctx.stderr.write(
    `driftwatch: incomplete scan, ${errors.length} part(s) could not be read (reported as unknown, never removed):\n`,
  );
  // Error text comes from Azure: secrets masked, control characters shown, not sent.
  for (const e of errors.slice(0, 5))
    ctx.stderr.write(`  ${escapeControl(e.id)}: ${escapeControl(redactSecrets(e.message))}\n`);
  if (errors.length > 5)
    ctx.stderr.write(`  … and ${errors.length - 5} more (see the snapshot's "errors")\n`);
}

function writeNoBaseline(ctx: CliContext, result: RunScanResult, format: ReportFormat): void {
  const { snapshot, scope } = result;
  if (format === 'json') {
    ctx.stdout.write(
      `${JSON.stringify({ scope, baseline: null, snapshot: { resources: snapshot.resources.length, complete: snapshot.complete, errors: snapshot.errors, collectedAt: snapshot.collectedAt, source: snapshot.source } }, null, 2)}\n`,
    );
    return;
  }
  const seconds = (result.durationMs / 1000).toFixed(1);
  const state = snapshot.complete
    ? 'complete'
    : `incomplete, ${snapshot.errors.length} part(s) unreadable`;
  const line = `driftwatch · scope ${scope} · ${snapshot.resources.length.toLocaleString('en-US')} resources from ${result.counts.subscriptions} subscription(s) via ${result.via === 'graph' ? 'Resource Graph' : 'ARM'} in ${seconds} s (${state})`;
  const hint = result.savedBaseline
    ? ''
    : `no baseline for scope ${scope} yet; run again with --save-baseline to record one`;
  if (format === 'md') ctx.stdout.write(`**${line}**\n\n${hint}\n`);
  else ctx.stdout.write(`${line}\n${hint ? `  ${hint}\n` : ''}`);
}

/** Flags shared by `scan` and `snapshot`, as commander hands them over. */
export interface ScanFlags {
  subscription?: string[];
  resourceGroup?: string[];
  type?: string[];
  excludeType?: string[];
  tag?: string[];
  via?: 'graph' | 'arm';
  config?: string;
}

const RESOURCE_TYPE = /^[\w.-]+\/[\w./-]+$/;

const repeatable =
  (validate: (value: string) => string) =>
  (value: string, previous: string[] = []): string[] => [...previous, validate(value)];

const fail = (flag: string, value: string, expected: string): never => {
  throw new UsageError('usage.bad-flag', `${flag} "${value}": expected ${expected}`);
};

export const validSubscription = (value: string) =>
  SubscriptionId.safeParse(value.trim()).success
    ? value.trim()
    : fail(
        '--subscription',
        value,
        'a subscription id (GUID) such as 00000000-0000-0000-0000-000000000000',
      );
export const validResourceGroup = (value: string) =>
  RESOURCE_GROUP_NAME.test(value)
    ? value
    : fail(
        '--resource-group',
        value,
        'a resource group name: 1–90 letters, digits, "_", "-", ".", "(", ")", not ending in "."',
      );
const validType = (flag: string) => (value: string) =>
  RESOURCE_TYPE.test(value)
    ? value
    : fail(flag, value, 'a resource type such as Microsoft.Storage/storageAccounts');
export const validTag = (value: string) =>
  /^[^=]+=.*$/.test(value) ? value : fail('--tag', value, 'key=value, e.g. --tag env=prod');

/** Adds the scope flags (repeatable) and `--via`, `--config`. */
export function addScanScopeOptions(command: Command): Command {
  return command
    .argument('[scope]', 'a scope name from the config file (e.g. prod)')
    .option(
      '--subscription <id>',
      'subscription to scan (repeatable)',
      repeatable(validSubscription),
    )
    .option(
      '--resource-group <name>',
      'only this resource group (repeatable)',
      repeatable(validResourceGroup),
    )
    .option(
      '--type <type>',
      'only this resource type (repeatable)',
      repeatable(validType('--type')),
    )
    .option(
      '--exclude-type <type>',
      'leave out this resource type (repeatable)',
      repeatable(validType('--exclude-type')),
    )
    .option(
      '--tag <key=value>',
      'only resources with this tag (repeatable; all must match)',
      repeatable(validTag),
    )
    .addOption(
      new Option(
        '--via <path>',
        'graph: Resource Graph (fast); arm: list + GET each resource (exact)',
      ).choices(['graph', 'arm']),
    )
    .addOption(configOption());
}

/** The ad-hoc part of the scope from the flags. */
export function adHocFromFlags(flags: ScanFlags): AdHocScope {
  return {
    subscriptions: flags.subscription ?? [],
    resourceGroups: flags.resourceGroup ?? [],
    includeTypes: flags.type ?? [],
    excludeTypes: flags.excludeType ?? [],
    tags: Object.fromEntries(
      (flags.tag ?? []).map((t) => {
        const at = t.indexOf('=');
        return [t.slice(0, at), t.slice(at + 1)];
      }),
    ),
  };
}

/** Validates a positional scope name like config keys. */
export function validScopeName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(value)) return value;
  return fail(
    'scope',
    value,
    'a scope name from the config file: letters, digits, ".", "_" and "-"',
  );
}

/** Progress for a collection on stderr: redrawn on a TTY, JSON lines otherwise. */
export function collectProgress(ctx: CliContext) {
  const reporter = createProgressReporter({ stream: ctx.stderr, label: 'collecting' });
  return {
    onProgress(progress: CollectProgress) {
      reporter.update({
        done: progress.done,
        ...(progress.total !== undefined ? { total: progress.total } : {}),
        counters: {
          throttled: progress.stats.throttled,
          paced:
            progress.stats.paceWaitMs >= 1000
              ? `${Math.round(progress.stats.paceWaitMs / 1000)}s`
              : '',
          retries: retriesOf(progress.stats),
          unreadable: progress.errors,
        },
      });
    },
    finish: () => reporter.finish(),
  };
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { LoadedConfig } from '../core/config/load-config.js';
import type { IgnoreRuleConfig } from '../core/config/sections/engine-config.js';
import { buildEngineRules, type EngineRules } from '../core/engine/engine-rules.js';
import { judgeReport } from '../core/model/judge-report.js';
import type { Report } from '../core/model/report.js';
import { SEVERITIES, type Severity } from '../core/model/severity.js';
import { readInputText } from '../core/snapshot/read-input-text.js';
import type { CliContext } from './cli-context.js';
import { EXIT } from './cli-context.js';
import { REPORT_FORMATS } from './output/write-report.js';

/** `--format text|json|md` (commander names the flag and the allowed values on a bad choice). */
export const formatOption = () =>
  new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('text');

/** `--fail-on SEVERITY`: drift at or above it exits 2. */
export const failOnOption = () =>
  new Option('--fail-on <severity>', 'exit 2 when drift at or above this severity is found')
    .choices(SEVERITIES)
    .default('low');

/** `--allow-incomplete`: an incomplete result exits 0 instead of 3 (drift still exits 2). */
export const allowIncompleteOption = () =>
  new Option(
    '--allow-incomplete',
    'exit 0 instead of 3 when part of the scope could not be read (drift at or above --fail-on still exits 2)',
  );

export const configOption = () =>
  new Option(
    '--config <file>',
    'configuration file (default: driftwatch.config.yaml in the working directory)',
  );
export const ignoreFileOption = () =>
  new Option(
    '--ignore-file <file>',
    'driftignore file (default: .driftignore in the working directory, if present)',
  );

/** The driftignore text: `--ignore-file` (must be readable), else `.driftignore` if present. */
export function readDriftignore(
  ctx: CliContext,
  ignoreFile: string | undefined,
): { driftignore?: string; driftignoreSource?: string } {
  const path = resolve(ctx.cwd, ignoreFile ?? '.driftignore');
  if (ignoreFile === undefined && !existsSync(path)) return {};
  const source = ignoreFile ?? '.driftignore';
  return {
    driftignore: readInputText(path, {
      maxBytes: MAX_DRIFTIGNORE_BYTES,
      label: ignoreFile === undefined ? source : `--ignore-file ${source}`,
    }),
    driftignoreSource: source,
  };
}

/** Most bytes read from a driftignore file (counted as read, so a pipe stops here too). */
export const MAX_DRIFTIGNORE_BYTES = 1024 * 1024;

/** Compiles engine rules from config, the driftignore file and ignore rules kept in the store. */
export function engineRulesFor(
  ctx: CliContext,
  loaded: LoadedConfig,
  ignoreFile: string | undefined,
  extraIgnores: readonly IgnoreRuleConfig[] = [],
): EngineRules {
  return buildEngineRules({
    config: loaded.config,
    ...readDriftignore(ctx, ignoreFile),
    extraIgnores,
    now: ctx.clock.now(),
  });
}

/**
 * Exit code for a report ({@link judgeReport}): 2 when drift (not `unknown`) at or above `failOn`
 * exists; else 3 when the report is incomplete (0 with `--allow-incomplete`); else 0. Says so on
 * stderr when drift exists below the threshold and when the result is incomplete.
 */
export function exitCodeFor(
  ctx: CliContext,
  report: Report,
  failOn: Severity,
  options: { allowIncomplete?: boolean } = {},
): number {
  const { outcome, below } = judgeReport(report, failOn);
  if (outcome === 'drift') return EXIT.drift;
  const code = report.complete ? EXIT.ok : incompleteExitCode(ctx, options);
  if (below.length > 0) {
    ctx.stderr.write(
      `driftwatch: ${below.length} finding${below.length === 1 ? '' : 's'} below --fail-on ${failOn}${code === EXIT.ok ? '; exit 0' : ''}\n`,
    );
  }
  return code;
}

/** 3 for an incomplete result, or 0 when `--allow-incomplete` accepts it; one line on stderr. */
export function incompleteExitCode(
  ctx: CliContext,
  options: { allowIncomplete?: boolean },
): number {
  if (options.allowIncomplete) {
    ctx.stderr.write('driftwatch: incomplete result accepted (--allow-incomplete); exit 0\n');
    return EXIT.ok;
  }
  ctx.stderr.write(
    `driftwatch: incomplete: part of the scope could not be read, so this is not an all-clear; exit ${EXIT.incomplete} (--allow-incomplete accepts it)\n`,
  );
  return EXIT.incomplete;
}

/** `--all` on every command that prints a report. */
export const ALL_HELP =
  "list low-severity tag changes one by one, and the changes Azure recorded as the platform's own";

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { LoadedConfig } from '../core/config/load-config.js';
import type { IgnoreRuleConfig } from '../core/config/sections/engine-config.js';
import { buildEngineRules, type EngineRules } from '../core/engine/engine-rules.js';
import { InputError } from '../core/errors.js';
import type { Report } from '../core/model/report.js';
import { atOrAbove, SEVERITIES, type Severity } from '../core/model/severity.js';
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
  try {
    return {
      driftignore: readFileSync(path, 'utf8'),
      driftignoreSource: ignoreFile ?? '.driftignore',
    };
  } catch (error) {
    throw new InputError(
      'input.unreadable',
      `--ignore-file ${ignoreFile ?? '.driftignore'}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

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
 * Exit code for a report: 2 when drift (not `unknown`) at or above `failOn` exists, else 0. Says
 * so on stderr when drift exists below the threshold, and when the report is incomplete.
 */
export function exitCodeFor(ctx: CliContext, report: Report, failOn: Severity): number {
  const drift = report.findings.filter((f) => f.change !== 'unknown');
  const gating = drift.filter((f) => atOrAbove(f.severity, failOn));
  if (gating.length > 0) return EXIT.drift;
  if (drift.length > 0) {
    ctx.stderr.write(
      `driftwatch: ${drift.length} finding${drift.length === 1 ? '' : 's'} below --fail-on ${failOn}; exit 0\n`,
    );
  }
  return EXIT.ok;
}

import { isAbsolute, resolve } from 'node:path';
import { ScopeName, SubscriptionId } from '../core/config/sections/scope-config.js';
import { UsageError } from '../core/errors.js';
import { isSeverity, SEVERITIES, type Severity } from '../core/model/severity.js';
import { registerSecret } from '../core/redact/redact-secrets.js';
import type { TaskHost } from './task-host.js';

export const COMMANDS = ['check', 'record'] as const;
export const MODES = ['fail', 'warn'] as const;
export const BASELINE_SOURCES = ['store', 'file'] as const;

export type BaselineSource =
  | { kind: 'store'; connectionString: string }
  | { kind: 'file'; path: string; artifactName?: string };

/** The pipeline run the task is part of; recorded baselines are tagged with it. */
export interface PipelineRun {
  definition?: string;
  runId?: string;
  runNumber?: string;
  runUrl?: string;
  commit?: string;
}

/** Every input, validated once. Paths are absolute. */
export interface TaskParameters {
  /** The service connection's id (the value of the `azureSubscription` input). */
  connection: string;
  command: (typeof COMMANDS)[number];
  scopeName?: string;
  /** Scope given by inputs; empty lists mean "not given" (config or connection defaults apply). */
  subscriptions: string[];
  resourceGroups: string[];
  includeTypes: string[];
  excludeTypes: string[];
  baseline: BaselineSource;
  failOn: Severity;
  mode: (typeof MODES)[number];
  configFile?: string;
  ignoreFile?: string;
  timeoutMs: number;
  reportDirectory: string;
  publishTestResults: boolean;
  workingDirectory: string;
  run: PipelineRun;
  /** Signed "View full report" link in the summary: the report pages' base URL and the link secret. */
  reportLink?: { baseUrl: string; secret: string };
}

const RESOURCE_TYPE = /^[\w.-]+\/[\w./-]+$/;
const REDIS_URL = /^rediss?:\/\/\S+$/;
const MAX_TIMEOUT_SECONDS = 86_400;

/**
 * Reads and validates all inputs. Every error names the input and what would be valid, like the
 * built-in tasks' `taskParameter.ts`; secrets are masked in the agent log before anything else.
 */
export function readTaskParameters(host: TaskHost): TaskParameters {
  const workingDirectory = host.variable('System.DefaultWorkingDirectory') ?? process.cwd();
  const connection = required(host, 'azureSubscription');
  const command = oneOf(host, 'command', COMMANDS, 'check');
  const scopeName = host.input('scopeName');
  if (scopeName !== undefined && !ScopeName.safeParse(scopeName).success) {
    throw invalid('scopeName', `use letters, digits, ".", "_" and "-" (got "${scopeName}")`);
  }
  const subscriptions = list(host, 'subscriptions');
  for (const id of subscriptions) {
    if (!SubscriptionId.safeParse(id).success) {
      throw invalid('subscriptions', `"${id}" is not a subscription id (a GUID)`);
    }
  }
  const [includeTypes, excludeTypes] = (['includeTypes', 'excludeTypes'] as const).map((name) => {
    const types = list(host, name);
    const bad = types.find((t) => !RESOURCE_TYPE.test(t));
    if (bad) throw invalid(name, `"${bad}" is not a resource type such as Microsoft.Web/sites`);
    return types;
  }) as [string[], string[]];
  return {
    connection,
    command,
    ...(scopeName ? { scopeName } : {}),
    subscriptions,
    resourceGroups: list(host, 'resourceGroups'),
    includeTypes,
    excludeTypes,
    baseline: readBaselineSource(host, workingDirectory),
    failOn: readSeverity(host),
    mode: oneOf(host, 'mode', MODES, 'fail'),
    ...optionalPath(host, 'configFile', workingDirectory),
    ...optionalPath(host, 'ignoreFile', workingDirectory),
    timeoutMs: readTimeout(host) * 1000,
    reportDirectory: resolve(
      workingDirectory,
      host.input('reportDirectory') ??
        resolve(host.variable('Agent.TempDirectory') ?? workingDirectory, 'driftwatch'),
    ),
    publishTestResults: readBoolean(host, 'publishTestResults', true),
    workingDirectory,
    run: readPipelineRun(host),
    ...readReportLink(host),
  };
}

/**
 * `reportUrl` and `reportLinkSecret` together (the bot's `chat.reportUrl` and
 * `DRIFTWATCH_LINK_SECRET`), or neither; the secret is masked before anything is logged.
 */
function readReportLink(host: TaskHost): { reportLink?: { baseUrl: string; secret: string } } {
  const baseUrl = host.input('reportUrl');
  const secret = host.input('reportLinkSecret');
  if (secret) maskSecret(host, secret);
  if (!baseUrl && !secret) return {};
  if (!baseUrl || !secret) {
    throw invalid(
      baseUrl ? 'reportLinkSecret' : 'reportUrl',
      "set reportUrl and reportLinkSecret together (the bot's chat.reportUrl and DRIFTWATCH_LINK_SECRET), or neither",
    );
  }
  if (!/^https?:\/\/[^\s()<>]+$/.test(baseUrl)) {
    throw invalid(
      'reportUrl',
      `expected the report pages' address such as https://driftwatch.contoso.com/reports`,
    );
  }
  if (secret.length < 32) {
    throw invalid(
      'reportLinkSecret',
      "expected the bot's DRIFTWATCH_LINK_SECRET (at least 32 characters), from a secret variable",
    );
  }
  return { reportLink: { baseUrl, secret } };
}

function readBaselineSource(host: TaskHost, cwd: string): BaselineSource {
  const kind = oneOf(host, 'baselineSource', BASELINE_SOURCES, 'store');
  if (kind === 'file') {
    const path = filePath(host, 'baselineFile', cwd);
    if (!path) throw invalid('baselineFile', 'required when baselineSource is "file"');
    const artifactName = host.input('baselineArtifactName');
    return { kind, path, ...(artifactName ? { artifactName } : {}) };
  }
  const connectionString =
    host.secretInput('storeConnectionString') ?? host.secretVariable('DRIFTWATCH_REDIS_URL');
  if (!connectionString) {
    throw invalid(
      'storeConnectionString',
      'required when baselineSource is "store": set it, e.g. to $(DRIFTWATCH_REDIS_URL), or define the secret variable DRIFTWATCH_REDIS_URL',
    );
  }
  maskSecret(host, connectionString);
  if (!REDIS_URL.test(connectionString)) {
    throw invalid('storeConnectionString', 'expected redis://… or rediss://…');
  }
  const password = /^rediss?:\/\/[^:/@]*:([^@]+)@/.exec(connectionString)?.[1];
  if (password) maskSecret(host, decodeURIComponent(password));
  return { kind, connectionString };
}

/** Masks a value in the agent log and in everything driftwatch prints. */
export function maskSecret(host: TaskHost, value: string): void {
  host.setSecret(value);
  registerSecret(value);
}

function readSeverity(host: TaskHost): Severity {
  const value = host.input('failOn') ?? 'high';
  if (!isSeverity(value))
    throw invalid('failOn', `expected one of ${SEVERITIES.join(', ')} (got "${value}")`);
  return value;
}

function readTimeout(host: TaskHost): number {
  const raw = host.input('timeoutSeconds') ?? '600';
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    throw invalid(
      'timeoutSeconds',
      `expected whole seconds from 1 to ${MAX_TIMEOUT_SECONDS} (got "${raw}")`,
    );
  }
  return seconds;
}

function readBoolean(host: TaskHost, name: string, fallback: boolean): boolean {
  const raw = host.input(name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw invalid(name, `expected true or false (got "${raw}")`);
}

function readPipelineRun(host: TaskHost): PipelineRun {
  const collection = host.variable('System.TeamFoundationCollectionUri');
  const project = host.variable('System.TeamProject');
  const runId = host.variable('Build.BuildId');
  const run: PipelineRun = {};
  const definition = host.variable('Build.DefinitionName');
  const runNumber = host.variable('Build.BuildNumber');
  const commit = host.variable('Build.SourceVersion');
  if (definition) run.definition = definition;
  if (runId) run.runId = runId;
  if (runNumber) run.runNumber = runNumber;
  if (commit) run.commit = commit;
  if (collection && project && runId) {
    const base = collection.endsWith('/') ? collection : `${collection}/`;
    run.runUrl = `${base}${encodeURIComponent(project)}/_build/results?buildId=${runId}`;
  }
  return run;
}

function required(host: TaskHost, name: string): string {
  const value = host.input(name);
  if (!value) throw invalid(name, 'required');
  return value;
}

function oneOf<T extends string>(
  host: TaskHost,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = host.input(name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(name, `expected one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

/** Comma- or newline-separated values, trimmed, without blanks and duplicates. */
function list(host: TaskHost, name: string): string[] {
  const raw = host.input(name) ?? '';
  return [
    ...new Set(
      raw
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

function optionalPath(host: TaskHost, name: 'configFile' | 'ignoreFile', cwd: string) {
  const path = filePath(host, name, cwd);
  return path ? { [name]: path } : {};
}

/**
 * The agent fills an empty `filePath` input with the default working directory itself, so a
 * value equal to it means "not set".
 */
function filePath(host: TaskHost, name: string, cwd: string): string | undefined {
  const raw = host.input(name);
  if (!raw) return undefined;
  const path = isAbsolute(raw) ? raw : resolve(cwd, raw);
  return trimSlash(path) === trimSlash(resolve(cwd)) ? undefined : path;
}

function trimSlash(path: string): string {
  return path.replace(/[\\/]+$/, '');
}

function invalid(input: string, reason: string): UsageError {
  return new UsageError('task.input', `Input '${input}' is not valid: ${reason}`, {
    details: { input, reason },
  });
}

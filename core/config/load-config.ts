import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';
import type { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, InputError } from '../errors.js';
import { readInputText } from '../snapshot/read-input-text.js';
import { DriftwatchConfig } from './config-schema.js';

/** Config file names looked for in the working directory, in order. */
export const CONFIG_FILE_NAMES = [
  'driftwatch.config.yaml',
  'driftwatch.config.yml',
  'driftwatch.config.json',
] as const;

/** Most bytes read from a config file (counted as read: `--config /dev/zero` stops here). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  config: DriftwatchConfig;
  /** Absolute path of the file read, if any. */
  file?: string;
}

/**
 * Loads and validates configuration once, at the edge: defaults → file → environment.
 * `env` is passed in (never read from `process.env` here) so tests need no patching.
 *
 * @example
 * const { config } = loadConfig({ cwd: process.cwd(), env: process.env });
 */
export function loadConfig(options: {
  cwd: string;
  env: Record<string, string | undefined>;
  file?: string;
  exists?: (path: string) => boolean;
  /**
   * The YAML parser, asked for only when there is a file to read. By default the `yaml` package,
   * loaded then: most runs have no config file, and loading it was a sixth of the CLI's start-up.
   * A bundle that cannot load packages at run time (the pipeline task) passes it in.
   */
  parseYaml?: typeof parseDocument;
}): LoadedConfig {
  const file = options.file
    ? resolve(options.cwd, options.file)
    : findConfigFile(options.cwd, options.exists);
  let raw: unknown = {};
  if (file) raw = readConfigFile(file, options.parseYaml ?? loadYamlParser());
  const config = parseConfig(raw, file ? basename(file) : 'configuration');
  const redisUrl = options.env.REDIS_URL?.trim();
  if (redisUrl) config.store.redisUrl = redisUrl;
  const storePath = options.env.DRIFTWATCH_STORE?.trim();
  if (storePath) config.store.path = storePath;
  return file ? { config, file } : { config };
}

/** Validates an already-parsed config object; `source` names it in errors. */
export function parseConfig(raw: unknown, source: string): DriftwatchConfig {
  const result = DriftwatchConfig.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new ConfigError('config.invalid', formatIssues(result.error.issues, source), {
    details: { source },
  });
}

function findConfigFile(cwd: string, exists = defaultExists): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = resolve(cwd, name);
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

function defaultExists(path: string): boolean {
  return existsSync(path);
}

/** The `yaml` package's parser, loaded on first use (synchronously: configuration is). */
function loadYamlParser(): typeof parseDocument {
  yamlParser ??= (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parseDocument;
  return yamlParser;
}

let yamlParser: typeof parseDocument | undefined;

function readConfigFile(file: string, parseYaml: typeof parseDocument): unknown {
  let text: string;
  try {
    // UTF-8 with or without a byte order mark; UTF-16 and invalid UTF-8 are named, not guessed.
    text = readInputText(file, { maxBytes: MAX_CONFIG_BYTES, label: `config file ${file}` });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const code = error.code === 'input.unreadable' ? 'config.unreadable' : 'config.malformed';
    throw new ConfigError(code, error.message, { cause: error, details: error.details });
  }
  // YAML is a superset of JSON, so one parser serves both and reports line and column.
  const doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const where = at ? `${basename(file)}:${at.line}:${at.col}` : basename(file);
    throw new ConfigError('config.malformed', `${where}: ${first.message.split('\n')[0]}`);
  }
  return doc.toJS();
}

/** One line per problem: which key, which file, and what would be valid. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], source: string): string {
  return issues
    .map((issue) => {
      const path = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => `"${path ? `${path}.` : ''}${k}"`).join(', ');
        const valid = validKeysAt(DriftwatchConfig, issue.path);
        return `unknown config key ${keys} in ${source}${valid.length > 0 ? ` (valid here: ${valid.join(', ')})` : ''}`;
      }
      const key = path || '(top level)';
      // A record key (a scope name) that fails its own rule: say the rule, not "Invalid key".
      const message =
        issue.code === 'invalid_key'
          ? `not a valid name here (${issue.issues.map((i) => i.message).join('; ')})`
          : issue.message;
      return `config key "${key}" in ${source}: ${message}`;
    })
    .join('\n');
}

/** The keys an object schema accepts at `path` (through defaults, optionals, records and arrays). */
function validKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  const unwrap = (n: z.ZodType | undefined): z.ZodType | undefined => {
    const def = (n as { def?: { type: string; innerType?: z.ZodType } } | undefined)?.def;
    return def && (def.type === 'default' || def.type === 'optional' || def.type === 'nullable')
      ? unwrap(def.innerType)
      : n;
  };
  for (const step of path) {
    node = unwrap(node);
    const def = (node as { def?: Record<string, unknown> } | undefined)?.def;
    if (!def) return [];
    if (def.type === 'object') node = (def.shape as Record<string, z.ZodType>)[String(step)];
    else if (def.type === 'record') node = def.valueType as z.ZodType;
    else if (def.type === 'array') node = def.element as z.ZodType;
    else return [];
  }
  const def = (unwrap(node) as { def?: Record<string, unknown> } | undefined)?.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

import {
  type CompiledNoise,
  childFor,
  compileNoise,
  type NoiseNode,
} from '../engine/compile-noise.js';

/**
 * Readable secrets: values ARM returns (or driftwatch reads with a `list` call) that are
 * credentials. They are compared like any value, as keyed hashes, and never shown. Write-only
 * secrets (`x-ms-secret` values ARM never returns) are `secret` entries of the noise catalogue.
 *
 * `path` uses the catalogue's syntax: from the resource root, `*` any object key, `[]` any array
 * element. `name`, when given, is the resource's own name (the last segment of its id).
 */
export interface SecretPathRule {
  id: string;
  resourceTypes: readonly string[];
  name?: string;
  path: string;
  why: string;
}

const SITE_CONFIG = ['Microsoft.Web/sites/config', 'Microsoft.Web/sites/slots/config'];
const SITES = ['Microsoft.Web/sites', 'Microsoft.Web/sites/slots'];

/** The readable secrets driftwatch knows, by resource type (and name) and path. */
export const SECRET_PATHS: readonly SecretPathRule[] = [
  {
    id: 'app-settings',
    resourceTypes: SITE_CONFIG,
    name: 'appsettings',
    path: 'properties.*',
    why: 'App Service app settings hold API keys and connection strings as plain values.',
  },
  {
    id: 'connection-strings',
    resourceTypes: SITE_CONFIG,
    name: 'connectionstrings',
    path: 'properties.*.value',
    why: 'App Service connection strings carry passwords and account keys.',
  },
  {
    id: 'site-config-app-settings',
    resourceTypes: SITE_CONFIG,
    name: 'web',
    path: 'properties.appSettings[].value',
    why: 'App settings inside the web config.',
  },
  {
    id: 'site-config-connection-strings',
    resourceTypes: SITE_CONFIG,
    name: 'web',
    path: 'properties.connectionStrings[].connectionString',
    why: 'Connection strings inside the web config.',
  },
  {
    id: 'site-app-settings',
    resourceTypes: SITES,
    path: 'properties.siteConfig.appSettings[].value',
    why: 'App settings inlined in the site resource.',
  },
  {
    id: 'site-connection-strings',
    resourceTypes: SITES,
    path: 'properties.siteConfig.connectionStrings[].connectionString',
    why: 'Connection strings inlined in the site resource.',
  },
];

interface Compiled {
  name?: string;
  segments: string[];
}

const byType = new Map<string, Compiled[]>();
for (const rule of SECRET_PATHS) {
  for (const type of rule.resourceTypes) {
    const list = byType.get(type.toLowerCase()) ?? [];
    list.push({
      ...(rule.name ? { name: rule.name } : {}),
      segments: rule.path
        .split('.')
        .flatMap((p) =>
          p.endsWith('[]') ? [p.slice(0, -2).toLowerCase(), '[]'] : [p.toLowerCase()],
        ),
    });
    byType.set(type.toLowerCase(), list);
  }
}

let sharedNoise: CompiledNoise | undefined;

/** Decides which paths of one resource hold secrets. */
export interface SecretPathMatcher {
  /**
   * 'readable' for a readable secret, 'write-only' for a catalogued write-only one, else
   * undefined. `segments`: object keys, and `[]` for an array element.
   */
  classify(segments: readonly string[]): 'readable' | 'write-only' | undefined;
}

/**
 * The readable-secret path patterns that apply to one resource (usually none), as segments.
 */
export function readableSecretPaths(resourceType: string, resourceId: string): string[][] {
  const rules = byType.get(resourceType.toLowerCase());
  if (!rules) return [];
  const name = (resourceId.split('/').pop() ?? '').toLowerCase();
  return rules.filter((r) => !r.name || r.name === name).map((r) => r.segments);
}

/** True when `segments` (keys, `[]` for elements) match one of `patterns`. */
export function matchesSecretPath(
  patterns: readonly string[][],
  segments: readonly string[],
): boolean {
  return patterns.some((p) => matches(p, segments));
}

/** The shared compiled noise catalogue (its `secret` entries are the write-only secrets). */
export function sharedNoiseCatalogue(): CompiledNoise {
  sharedNoise ??= compileNoise();
  return sharedNoise;
}

/**
 * The secret paths of one resource, by its type and name.
 *
 * @example
 * secretPathsFor('Microsoft.Web/sites/config', id).classify(['properties', 'API_KEY']) // 'readable'
 */
export function secretPathsFor(
  resourceType: string,
  resourceId: string,
  noise?: CompiledNoise,
): SecretPathMatcher {
  const catalogue = noise ?? sharedNoiseCatalogue();
  const rules = readableSecretPaths(resourceType, resourceId);
  const trie = catalogue.trieFor(resourceType);
  return {
    classify(segments) {
      if (matchesSecretPath(rules, segments)) return 'readable';
      return writeOnly(catalogue, trie, segments) ? 'write-only' : undefined;
    },
  };
}

function matches(pattern: readonly string[], segments: readonly string[]): boolean {
  if (pattern.length !== segments.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = segments[i] as string;
    if (p === '*') {
      if (s === '[]') return false;
    } else if (p !== s.toLowerCase()) return false;
  }
  return true;
}

function writeOnly(noise: CompiledNoise, trie: NoiseNode, segments: readonly string[]): boolean {
  let node: NoiseNode | undefined = trie;
  for (const segment of segments) {
    if (segment === '[]') {
      node = node?.any;
      continue;
    }
    node = childFor(node, segment);
    const rule = node?.rule ?? noise.ruleForKey(segment);
    if (rule) return rule.kind === 'secret';
  }
  return false;
}

/**
 * A report's change path (`properties.containers[web].properties.env[KEY].secureValue`) as the
 * segments {@link SecretPathMatcher} takes: keys, and `[]` for each bracketed element.
 */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  let current = '';
  while (i < path.length) {
    const ch = path[i] as string;
    if (ch === '[') {
      if (current !== '') out.push(current);
      current = '';
      let depth = 1;
      i++;
      while (i < path.length && depth > 0) {
        if (path[i] === '[') depth++;
        else if (path[i] === ']') depth--;
        i++;
      }
      out.push('[]');
      continue;
    }
    if (ch === '.') {
      if (current !== '') out.push(current);
      current = '';
    } else current += ch;
    i++;
  }
  if (current !== '') out.push(current);
  return out;
}

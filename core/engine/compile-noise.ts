import { ARRAY_CATALOGUE, type ArrayShapeEntry } from './array-catalogue.js';
import { NOISE_CATALOGUE, type NoiseEntry } from './noise-catalogue.js';
import { READ_ONLY_ENTRIES } from './read-only-catalogue.js';

/** A node of the per-type path trie the differ walks alongside the resource. */
export interface NoiseNode {
  rule?: NoiseEntry;
  /** How the array at this path is matched (element identity) or whether its order counts. */
  shape?: ArrayShapeEntry;
  children?: Map<string, NoiseNode>;
  /** Any object key (`*`) or any array element (`[]`). */
  any?: NoiseNode;
}

/** The compiled catalogue: key-name rules with a memo, and path tries per resource type. */
export interface CompiledNoise {
  /** The rule for a property name at any depth, or undefined. Memoised: names repeat a lot. */
  ruleForKey(key: string): NoiseEntry | undefined;
  /** The path trie for a resource type (generic paths merged in). */
  trieFor(resourceType: string): NoiseNode;
}

/** Child of a trie node for an object key. */
export function childFor(node: NoiseNode | undefined, key: string): NoiseNode | undefined {
  if (!node) return undefined;
  return node.children?.get(lowerKey(key)) ?? node.any;
}

/**
 * A property name lower-cased, memoised: the differ looks up every key of every resource, and
 * the same few hundred names repeat across an estate (a lookup by the parsed name, whose hash V8
 * keeps, costs less than lower-casing it into a new string and hashing that). Bounded, so an
 * input with endless distinct names cannot grow it without end.
 */
function lowerKey(key: string): string {
  let lower = lowerMemo.get(key);
  if (lower === undefined) {
    if (lowerMemo.size >= LOWER_MEMO_MAX) lowerMemo.clear();
    lower = key.toLowerCase();
    lowerMemo.set(key, lower);
  }
  return lower;
}

const lowerMemo = new Map<string, string>();
const LOWER_MEMO_MAX = 10_000;

/**
 * Compiles the catalogue once per process (and again only when user entries are added).
 */
export function compileNoise(
  entries: readonly NoiseEntry[] = NOISE_CATALOGUE,
  shapes: readonly ArrayShapeEntry[] = ARRAY_CATALOGUE,
  generated: readonly NoiseEntry[] = READ_ONLY_ENTRIES,
): CompiledNoise {
  const exactKeys = new Map<string, NoiseEntry>();
  const patterns: Array<[RegExp, NoiseEntry]> = [];
  const genericPaths: Array<[string, NoiseEntry]> = [];
  const typedPaths = new Map<string, Array<[string, NoiseEntry]>>();
  for (const entry of entries) {
    for (const key of entry.keys ?? []) exactKeys.set(key.toLowerCase(), entry);
    if (entry.pattern) patterns.push([entry.pattern, entry]);
    for (const path of entry.paths ?? []) {
      if (entry.resourceType === '*') genericPaths.push([path, entry]);
      else {
        const t = entry.resourceType.toLowerCase();
        typedPaths.set(t, [...(typedPaths.get(t) ?? []), [path, entry]]);
      }
    }
  }
  // Generated read-only paths come after the hand-written entries and never replace them: a
  // path whose property a key rule already names (etag, provisioningState, secrets) or that a hand
  // entry lists keeps the hand entry and its reason.
  const byKey = (key: string) =>
    exactKeys.has(key.toLowerCase()) || patterns.some(([re]) => re.test(key));
  for (const entry of generated) {
    const t = entry.resourceType.toLowerCase();
    const own = new Set(
      [...genericPaths, ...(typedPaths.get(t) ?? [])].map(([p]) => p.toLowerCase()),
    );
    const extra = (entry.paths ?? [])
      .filter((p) => !own.has(p.toLowerCase()) && !byKey(lastKey(p)))
      .map((p): [string, NoiseEntry] => [p, entry]);
    typedPaths.set(t, [...(typedPaths.get(t) ?? []), ...extra]);
  }
  const genericShapes = shapes.filter((s) => s.resourceType === '*');
  const typedShapes = new Map<string, ArrayShapeEntry[]>();
  for (const shape of shapes) {
    if (shape.resourceType === '*') continue;
    const t = shape.resourceType.toLowerCase();
    typedShapes.set(t, [...(typedShapes.get(t) ?? []), shape]);
  }
  const keyMemo = new Map<string, NoiseEntry | null>();
  const genericTrie = buildTrie(genericPaths, genericShapes);
  const trieMemo = new Map<string, NoiseNode>();
  return {
    ruleForKey(key) {
      let hit = keyMemo.get(key);
      if (hit === undefined) {
        const lower = key.toLowerCase();
        hit = exactKeys.get(lower) ?? patterns.find(([re]) => re.test(key))?.[1] ?? null;
        keyMemo.set(key, hit);
      }
      return hit ?? undefined;
    },
    trieFor(resourceType) {
      const t = resourceType.toLowerCase();
      let trie = trieMemo.get(t);
      if (!trie) {
        trie = buildTrie(
          [...genericPaths, ...(typedPaths.get(t) ?? [])],
          [...genericShapes, ...(typedShapes.get(t) ?? [])],
        );
        trieMemo.set(t, trie);
      }
      return trie ?? genericTrie;
    },
  };
}

function buildTrie(
  paths: Array<[string, NoiseEntry]>,
  shapes: readonly ArrayShapeEntry[],
): NoiseNode {
  const root: NoiseNode = {};
  for (const [path, rule] of paths) nodeAt(root, path).rule = rule;
  // Typed shapes come after generic ones, so a type's own entry wins at the same path.
  for (const shape of shapes) nodeAt(root, shape.path).shape = shape;
  return root;
}

/** The trie node for a path pattern, created on the way. */
function nodeAt(root: NoiseNode, path: string): NoiseNode {
  let node = root;
  for (const segment of splitPattern(path)) {
    if (segment === '*' || segment === '[]') {
      node.any ??= {};
      node = node.any;
    } else {
      node.children ??= new Map();
      const key = segment.toLowerCase();
      let next = node.children.get(key);
      if (!next) {
        next = {};
        node.children.set(key, next);
      }
      node = next;
    }
  }
  return node;
}

/** The property name a path ends in: `a.b[].c` → `c`, `a.list[]` → `list`. */
function lastKey(path: string): string {
  return (path.split('.').pop() ?? path).replace(/\[\]$/, '');
}

/** `a.b[].c.*.d` → ['a', 'b', '[]', 'c', '*', 'd'] */
function splitPattern(path: string): string[] {
  return path
    .split('.')
    .flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'] : [part]));
}

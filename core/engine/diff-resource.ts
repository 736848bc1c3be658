import { type CompiledNoise, childFor, type NoiseNode } from './compile-noise.js';
import { canonicalLocation } from './resource-identity.js';

/** A difference found between two versions of one resource, before severity scoring. */
export interface RawChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** Path segments as a linked list, joined only when a change is emitted (rare). */
interface PathNode {
  parent: PathNode | undefined;
  segment: string;
}

type Json = Record<string, unknown>;

const hasOwn = (o: Json, k: string) => Object.hasOwn(o, k);
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `null`, `[]`, `{}` and absent compare equal (ARM omits or nulls empty values inconsistently). */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    for (const _ in v as Json) return false;
    return true;
  }
  return false;
}

/**
 * Compares two versions of a resource, skipping catalogued noise and secrets, and returns the
 * real changes. Noise that differed is counted in `suppressed` (rule id → count).
 *
 * One walk over both objects does the work: no normalised copies are built, and a resource whose
 * content is equal allocates nothing, so the common case (no drift) costs one read of each.
 */
export function diffResource(
  before: Json,
  after: Json,
  options: { noise: CompiledNoise; trie: NoiseNode; suppressed: Map<string, number> },
): RawChange[] {
  const walker = new Walker(options.noise, options.suppressed);
  walker.object(before, after, undefined, options.trie);
  return walker.changes;
}

class Walker {
  readonly changes: RawChange[] = [];

  constructor(
    private readonly noise: CompiledNoise,
    private readonly suppressed: Map<string, number>,
  ) {}

  object(a: Json, b: Json, path: PathNode | undefined, trie: NoiseNode | undefined): void {
    // Own keys only: a property named like an Object.prototype member must not read the prototype.
    for (const key in a)
      this.property(key, a[key], hasOwn(b, key) ? b[key] : undefined, path, trie);
    for (const key in b) if (!hasOwn(a, key)) this.property(key, undefined, b[key], path, trie);
  }

  private property(
    key: string,
    a: unknown,
    b: unknown,
    path: PathNode | undefined,
    trie: NoiseNode | undefined,
  ): void {
    if (a === b) return;
    const node = childFor(trie, key);
    const rule = node?.rule ?? this.noise.ruleForKey(key);
    if (rule) {
      // Secrets are never compared; noise is compared only to count what was suppressed.
      if (rule.kind === 'noise' && !deepEqual(a, b)) {
        this.suppressed.set(rule.id, (this.suppressed.get(rule.id) ?? 0) + 1);
      }
      return;
    }
    this.value(a, b, path, key, node);
  }

  value(
    a: unknown,
    b: unknown,
    parent: PathNode | undefined,
    segment: string,
    trie: NoiseNode | undefined,
  ): void {
    if (a === b) return;
    const emptyA = isEmpty(a);
    const emptyB = isEmpty(b);
    if (emptyA && emptyB) return;
    if (isObject(a) || isObject(b)) {
      if ((isObject(a) || emptyA) && (isObject(b) || emptyB)) {
        this.object((a ?? {}) as Json, (b ?? {}) as Json, { parent, segment }, trie);
        return;
      }
    } else if (Array.isArray(a) || Array.isArray(b)) {
      if ((Array.isArray(a) || emptyA) && (Array.isArray(b) || emptyB)) {
        this.array((a ?? []) as unknown[], (b ?? []) as unknown[], { parent, segment }, trie?.any);
        return;
      }
    } else if (typeof a === 'string' && typeof b === 'string' && sameString(segment, a, b)) {
      return;
    }
    this.emit(parent, segment, a, b, trie);
  }

  private array(
    a: unknown[],
    b: unknown[],
    path: PathNode,
    elementTrie: NoiseNode | undefined,
  ): void {
    if (a.every(isScalar) && b.every(isScalar)) {
      // Lists of scalars (address prefixes, port ranges) are sets in ARM: order is not drift.
      if (!sameMultiset(a, b)) this.emitAt(path, a, b);
      return;
    }
    const keyedA = keyElements(a);
    const keyedB = keyedA ? keyElements(b) : undefined;
    if (keyedA && keyedB) {
      for (const [key, { label, element }] of keyedA) {
        const other = keyedB.get(key);
        this.element(element, other?.element, path, label, elementTrie);
      }
      for (const [key, { label, element }] of keyedB) {
        if (!keyedA.has(key)) this.element(undefined, element, path, label, elementTrie);
      }
      return;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) this.element(a[i], b[i], path, String(i), elementTrie);
  }

  private element(
    a: unknown,
    b: unknown,
    path: PathNode,
    label: string,
    trie: NoiseNode | undefined,
  ): void {
    const segment = `[${label}]`;
    // A whole element added or removed is one change (a new security rule reads as one line).
    if (a === undefined || b === undefined) {
      if (!isEmpty(a) || !isEmpty(b)) this.emit(path, segment, a, b, trie);
      return;
    }
    this.value(a, b, path, segment, trie);
  }

  private emit(
    parent: PathNode | undefined,
    segment: string,
    a: unknown,
    b: unknown,
    trie: NoiseNode | undefined,
  ): void {
    this.emitAt({ parent, segment }, this.clean(a, trie), this.clean(b, trie));
  }

  private emitAt(path: PathNode, before: unknown, after: unknown): void {
    this.changes.push({ path: joinPath(path), before, after });
  }

  /** A copy for display without noise or secrets. */
  private clean(value: unknown, trie: NoiseNode | undefined): unknown {
    if (Array.isArray(value)) return value.map((v) => this.clean(v, trie?.any));
    if (!isObject(value)) return value;
    const out: Json = {};
    for (const key in value) {
      const node = childFor(trie, key);
      if (node?.rule ?? this.noise.ruleForKey(key)) continue;
      out[key] = this.clean(value[key], node);
    }
    return out;
  }
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/** ARM ids, names and types are case-insensitive; locations compare by canonical name. */
function sameString(key: string, a: string, b: string): boolean {
  if (key === 'location') return canonicalLocation(a) === canonicalLocation(b);
  if (key === 'id' || key === 'name' || key === 'type' || (isArmId(a) && isArmId(b))) {
    return a.toLowerCase() === b.toLowerCase();
  }
  return false;
}

function isArmId(s: string): boolean {
  return s.charCodeAt(0) === 47 && /^\/subscriptions\//i.test(s);
}

function scalarKey(v: unknown): string {
  if (typeof v === 'string') return isArmId(v) ? `s${v.toLowerCase()}` : `s${v}`;
  return `${typeof v}${String(v)}`;
}

function sameMultiset(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  const counts = new Map<string, number>();
  for (const v of a) counts.set(scalarKey(v), (counts.get(scalarKey(v)) ?? 0) + 1);
  for (const v of b) {
    const k = scalarKey(v);
    const n = counts.get(k);
    if (!n) return false;
    counts.set(k, n - 1);
  }
  return true;
}

/**
 * Arrays of named objects (security rules, subnets…) are matched by `name`, else by `id`, so
 * order is not drift. Returns undefined when elements are not all uniquely named.
 */
function keyElements(
  list: unknown[],
): Map<string, { label: string; element: unknown }> | undefined {
  for (const field of ['name', 'id'] as const) {
    const out = new Map<string, { label: string; element: unknown }>();
    let ok = true;
    for (const element of list) {
      const value = isObject(element) ? element[field] : undefined;
      if (typeof value !== 'string' || value === '') {
        ok = false;
        break;
      }
      const key = value.toLowerCase();
      if (out.has(key)) {
        ok = false;
        break;
      }
      const label = field === 'id' ? (value.split('/').pop() ?? value) : value;
      out.set(key, { label, element });
    }
    if (ok) return out;
  }
  return undefined;
}

function joinPath(node: PathNode): string {
  const parts: string[] = [];
  for (let n: PathNode | undefined = node; n; n = n.parent) parts.push(n.segment);
  let out = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] ?? '';
    out += out === '' || part.startsWith('[') ? part : `.${part}`;
  }
  return out;
}

/** Exact structural equality (used only to count suppressed noise). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => deepEqual((a as Json)[k], (b as Json)[k]));
}

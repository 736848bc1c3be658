import { createHash } from 'node:crypto';
import { protectValueAt } from '../secrets/protect-snapshot.js';
import { markersIncomparable } from '../secrets/secret-marker.js';
import { processSecretHasher } from '../secrets/store-secret-key.js';
import type { ArrayShapeEntry } from './array-catalogue.js';
import { type CompiledNoise, childFor, type NoiseNode } from './compile-noise.js';
import { stableStringify } from './fingerprint.js';
import { canonicalLocation, typeFromId } from './resource-identity.js';

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
  options: {
    noise: CompiledNoise;
    trie: NoiseNode;
    suppressed: Map<string, number>;
  },
): RawChange[] {
  const id = String(after.id ?? before.id ?? '');
  const type =
    typeof after.type === 'string'
      ? after.type
      : typeof before.type === 'string'
        ? before.type
        : typeFromId(id);
  const walker = new Walker(options.noise, options.suppressed, { id, type });
  walker.object(before, after, undefined, options.trie);
  return walker.changes;
}

class Walker {
  readonly changes: RawChange[] = [];

  constructor(
    private readonly noise: CompiledNoise,
    private readonly suppressed: Map<string, number>,
    private readonly resource: { id: string; type: string },
    /** Only whether anything differs is wanted: changes are not cleaned or hashed. */
    private readonly probe = false,
  ) {}

  object(a: Json, b: Json, path: PathNode | undefined, trie: NoiseNode | undefined): void {
    // Own keys only: a property named like an Object.prototype member must not read the prototype.
    let shared = 0;
    for (const key in a) {
      if (hasOwn(b, key)) {
        shared++;
        this.property(key, a[key], b[key], path, trie);
      } else this.property(key, a[key], undefined, path, trie);
    }
    // Keys only `b` has: none when `b` has no more keys than those it shares with `a` (most
    // objects), which counting tells without a lookup per key.
    let keysOfB = 0;
    for (const _ in b) keysOfB++;
    if (keysOfB === shared) return;
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
      if (rule.kind === 'secret') {
        this.secret(a, b, path, key);
        return;
      }
      // Noise is compared only to count what was suppressed.
      if (!deepEqual(a, b)) {
        this.suppressed.set(rule.id, (this.suppressed.get(rule.id) ?? 0) + 1);
      }
      return;
    }
    this.value(a, b, path, key, node);
  }

  /**
   * A write-only secret: absent on one side is not drift (ARM never returns it, a template
   * baseline has it); present on both, the keyed-hash markers are compared. A value that was not
   * hashed at ingestion is never copied into a change.
   */
  private secret(a: unknown, b: unknown, parent: PathNode | undefined, key: string): void {
    if (isEmpty(a) || isEmpty(b) || deepEqual(a, b)) return;
    if (typeof a === 'string' && typeof b === 'string' && markersIncomparable(a, b)) return;
    this.emitAt({ parent, segment: key }, a, b);
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
        this.array((a ?? []) as unknown[], (b ?? []) as unknown[], { parent, segment }, trie);
        return;
      }
    } else if (
      typeof a === 'string' &&
      typeof b === 'string' &&
      (sameString(segment, a, b) || markersIncomparable(a, b))
    ) {
      // Secrets hashed with different keys (a baseline file from another run) cannot be compared.
      return;
    }
    this.emit(parent, segment, a, b, trie);
  }

  private array(a: unknown[], b: unknown[], path: PathNode, trie: NoiseNode | undefined): void {
    const elementTrie = trie?.any;
    const shape = trie?.shape;
    if (a.every(isScalar) && b.every(isScalar)) {
      // Lists of scalars (address prefixes, port ranges) are sets in ARM unless the catalogue
      // says the provider reads them in order (default documents, DNS servers, argv).
      const same = shape?.kind === 'ordered' ? sameSequence(a, b) : sameMultiset(a, b);
      if (!same) this.emitAt(path, a, b);
      return;
    }
    const identity = shape?.kind === 'identity' ? shape : undefined;
    // Named elements listed in the same order (most reads): pair them in place, no index maps.
    if (!identity && sameNamesInPlace(a, b)) {
      for (let i = 0; i < a.length; i++) {
        const element = a[i] as Json;
        this.element(element, b[i], path, element.name as string, elementTrie);
      }
      return;
    }
    const keyedA = keyElements(a, identity);
    const keyedB = keyedA ? keyElements(b, identity) : undefined;
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
    this.multiset(a, b, path, elementTrie);
  }

  /**
   * Unkeyed elements are matched by content (noise and secrets left out), wherever they stand:
   * a reorder is no drift. What is left is reported as elements removed and added; when exactly
   * one element left and one arrived, they are taken as one element changed in place, which
   * reads better (`[value=10.0.0.0/24].action`) and is what a portal edit does.
   */
  private multiset(
    a: unknown[],
    b: unknown[],
    path: PathNode,
    elementTrie: NoiseNode | undefined,
  ): void {
    // Most reads list the elements in the same order: compare in place first, and build content
    // keys only when that finds a difference.
    if (a.length === b.length && this.sameInPlace(a, b, path, elementTrie)) return;
    const unmatched = new Map<string, unknown[]>();
    for (const element of a) {
      const key = this.contentKey(element, elementTrie);
      const list = unmatched.get(key);
      if (list) list.push(element);
      else unmatched.set(key, [element]);
    }
    const added: unknown[] = [];
    for (const element of b) {
      const list = unmatched.get(this.contentKey(element, elementTrie));
      if (list && list.length > 0) {
        // Equal content: compare anyway so noise inside it is still counted as suppressed.
        this.value(list.shift(), element, path, '[]', elementTrie);
      } else added.push(element);
    }
    const removed = [...unmatched.values()].flat();
    if (removed.length === 1 && added.length === 1) {
      this.element(removed[0], added[0], path, contentLabel(removed[0]), elementTrie);
      return;
    }
    for (const element of removed)
      this.element(element, undefined, path, contentLabel(element), elementTrie);
    for (const element of added)
      this.element(undefined, element, path, contentLabel(element), elementTrie);
  }

  /** Every element equal to the one at the same position (noise aside); counts that noise. */
  private sameInPlace(
    a: unknown[],
    b: unknown[],
    path: PathNode,
    elementTrie: NoiseNode | undefined,
  ): boolean {
    // A probe: the first difference answers, nothing is cleaned or hashed for it.
    const scratch = new Walker(this.noise, new Map(), this.resource, true);
    for (let i = 0; i < a.length; i++) {
      scratch.value(a[i], b[i], path, '[]', elementTrie);
      if (scratch.changes.length > 0) return false;
    }
    for (const [rule, n] of scratch.suppressed)
      this.suppressed.set(rule, (this.suppressed.get(rule) ?? 0) + n);
    return true;
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
    if (this.probe) this.changes.push(PROBED);
    else this.emitAt({ parent, segment }, this.clean(a, trie), this.clean(b, trie));
  }

  /**
   * Values of snapshots hashed at ingestion hold only markers; anything else that is a secret is
   * hashed here (a key of this process), so no change, and no fingerprint, holds a secret.
   */
  private emitAt(path: PathNode, before: unknown, after: unknown): void {
    if (this.probe) {
      this.changes.push(PROBED);
      return;
    }
    const at = joinPath(path);
    const hasher = processSecretHasher();
    this.changes.push({
      path: at,
      before: protectValueAt(this.resource, at, before, hasher),
      after: protectValueAt(this.resource, at, after, hasher),
    });
  }

  /**
   * Content identity of an element, noise and secrets left out: key order and the case of ARM
   * ids do not count. One pass, no copy; strings and keys are length-prefixed and every value
   * tagged by kind, so two different values never share a key, with no escaping to do.
   */
  private contentKey(value: unknown, trie: NoiseNode | undefined): string {
    if (typeof value === 'string') {
      const s = isArmId(value) ? value.toLowerCase() : value;
      return `s${s.length}:${s}`;
    }
    if (value === undefined) return 'u';
    if (value === null) return 'z';
    if (typeof value !== 'object')
      return `${typeof value === 'number' ? 'n' : 'b'}${String(value)};`;
    if (Array.isArray(value)) {
      let out = '[';
      for (let i = 0; i < value.length; i++) out += this.contentKey(value[i], trie?.any);
      return `${out}]`;
    }
    const keys: string[] = [];
    for (const key in value as Json) {
      const node = childFor(trie, key);
      if (!(node?.rule ?? this.noise.ruleForKey(key))) keys.push(key);
    }
    keys.sort();
    let out = '{';
    for (const key of keys)
      out += `${key.length}:${key}${this.contentKey((value as Json)[key], childFor(trie, key))}`;
    return `${out}}`;
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

/** Same length, and every element pair carries the same non-empty `name` (case-insensitive). */
function sameNamesInPlace(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!isObject(x) || !isObject(y)) return false;
    const nx = x.name;
    const ny = y.name;
    if (typeof nx !== 'string' || nx === '' || typeof ny !== 'string') return false;
    if (nx !== ny && nx.toLowerCase() !== ny.toLowerCase()) return false;
  }
  return true;
}

/** What a probing walk records: that something differs, not what. */
const PROBED: RawChange = { path: '', before: undefined, after: undefined };

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
  // The same list in the same order needs no counting.
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length) return true;
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
 * order is not drift; arrays the catalogue knows are matched by their identity fields first
 * (an access policy by its principal). Returns undefined when elements are not all uniquely
 * identified, and the caller matches them by content.
 */
function keyElements(
  list: unknown[],
  identity: Extract<ArrayShapeEntry, { kind: 'identity' }> | undefined,
): Map<string, { label: string; element: unknown }> | undefined {
  if (identity) {
    const byIdentity = keyByFields(list, identity.key, identity.label ?? identity.key);
    if (byIdentity) return byIdentity;
  }
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

/** Keys elements by the catalogue's identity fields; labels read `objectId=…`. */
function keyByFields(
  list: unknown[],
  fields: readonly string[],
  labelFields: readonly string[],
): Map<string, { label: string; element: unknown }> | undefined {
  const out = new Map<string, { label: string; element: unknown }>();
  // Plain loops: this runs for every element of every catalogued array.
  for (const element of list) {
    if (!isObject(element)) return undefined;
    let key = '';
    let label = '';
    let fallback = '';
    for (const f of fields) {
      const v = element[f];
      if (!isScalar(v) || isEmpty(v)) continue;
      key += `${key === '' ? '' : '\n'}${f}=${String(v).toLowerCase()}`;
      const part = `${f}=${shortValue(v)}`;
      fallback += fallback === '' ? part : `,${part}`;
      if (labelFields.includes(f)) label += label === '' ? part : `,${part}`;
    }
    if (key === '' || out.has(key)) return undefined;
    out.set(key, { label: label === '' ? fallback : label, element });
  }
  return out;
}

/**
 * Fields that usually say what an unkeyed element is, tried in order for its label. None that
 * commonly holds a credential (`key`, `secret`): the label is part of the path people see.
 */
const LABEL_FIELDS = [
  'value',
  'ipAddress',
  'ipAddressOrRange',
  'ipMask',
  'addressPrefix',
  'objectId',
  'resourceId',
  'virtualPath',
  'locationName',
  'lun',
  'uri',
  'url',
  'path',
] as const;

/** A readable label for an element matched by content: a telling field, else a content hash. */
function contentLabel(element: unknown): string {
  if (isObject(element)) {
    for (const field of LABEL_FIELDS) {
      const v = element[field];
      if (isScalar(v) && !isEmpty(v)) return `${field}=${shortValue(v)}`;
    }
  }
  if (isScalar(element)) return shortValue(element);
  return `#${createHash('sha256').update(stableStringify(element)).digest('hex').slice(0, 8)}`;
}

/** An ARM id by its last segment; anything else as it is. */
function shortValue(v: unknown): string {
  const s = String(v);
  return isArmId(s) ? (s.split('/').pop() ?? s) : s;
}

function sameSequence(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => scalarKey(v) === scalarKey(b[i]));
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

import { InputError } from '../errors.js';

/**
 * Deepest nesting of objects and arrays a snapshot document may have. Real ARM resources nest
 * well under 30 levels (policy rules and Logic Apps definitions are the deepest seen), plus up to
 * 5 for the wrapping (`responses.200.body.value[]`). The engine's comparison and the store's
 * serialisation recurse, so a document thousands of levels deep would overflow the stack later,
 * blamed on the wrong part, on every check of its scope.
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * Throws `input.too-deep` naming the file and where the document first nests deeper than
 * `maxDepth` levels. Its recursion is bounded by the limit, so the check itself cannot overflow
 * the stack; it runs on every snapshot read, so the common path allocates nothing per node.
 *
 * @example
 * checkNestingDepth(JSON.parse(text), 'current.json');
 */
export function checkNestingDepth(
  value: unknown,
  source: string,
  maxDepth = MAX_NESTING_DEPTH,
): void {
  if (typeof value !== 'object' || value === null || !deeperThan(value, 1, maxDepth)) return;
  throw new InputError(
    'input.too-deep',
    `${source}: nested more than ${maxDepth} levels deep at ${pathTo(value, maxDepth)}; driftwatch reads at most ${maxDepth} levels (real ARM resources nest far less)`,
    { details: { source, maxDepth } },
  );
}

/**
 * Whether `node` (at `depth`) holds anything deeper than `maxDepth`. Recursion stops at
 * `maxDepth + 1` frames, so it cannot overflow the stack whatever the document.
 */
function deeperThan(node: object, depth: number, maxDepth: number): boolean {
  if (depth > maxDepth) return true;
  if (Array.isArray(node)) {
    for (const child of node)
      if (typeof child === 'object' && child !== null && deeperThan(child, depth + 1, maxDepth))
        return true;
    return false;
  }
  for (const key in node) {
    const child = (node as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && deeperThan(child, depth + 1, maxDepth))
      return true;
  }
  return false;
}

interface Frame {
  value: object;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
}

/** On the failure path only: the path to the first node deeper than `maxDepth`. */
function pathTo(root: object, maxDepth: number): string {
  const stack: Frame[] = [{ value: root, depth: 1, key: undefined, parent: undefined }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.depth > maxDepth) return pathOf(frame);
    const children = Array.isArray(frame.value)
      ? frame.value.entries()
      : Object.entries(frame.value);
    for (const [key, child] of children) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
    }
  }
  return '(unknown)';
}

/**
 * `[0].properties.a.a.a… (resource /subscriptions/…)`: the first few steps from the top, and the
 * outermost object on the way that has an `id` — the resource, in every accepted shape.
 */
function pathOf(frame: Frame): string {
  const keys: Array<string | number> = [];
  let resourceId: string | undefined;
  for (let f: Frame | undefined = frame; f; f = f.parent) {
    if (f.key !== undefined) keys.push(f.key);
    const id = (f.value as { id?: unknown }).id;
    if (typeof id === 'string') resourceId = id;
  }
  keys.reverse();
  const shown = keys
    .slice(0, 6)
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`))
    .join('');
  const more = keys.length > 6 ? '…' : '';
  return `${shown || '(top level)'}${more}${resourceId ? ` (resource ${resourceId})` : ''}`;
}

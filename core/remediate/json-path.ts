/** A JSON object. */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path` (object keys only), or undefined. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * Writes a copy of `value` at `path`, creating objects on the way. An undefined value deletes the
 * key when `whenUndefined` is `delete`, or becomes `null` (JSON merge patch's "remove") when `null`.
 */
export function setAt(
  root: Json,
  path: readonly string[],
  value: unknown,
  whenUndefined: 'delete' | 'null',
): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  const last = path.at(-1) as string;
  if (value !== undefined) node[last] = structuredClone(value);
  else if (whenUndefined === 'null') node[last] = null;
  else delete node[last];
}

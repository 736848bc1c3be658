import { InputError } from '../errors.js';
import type { ArmResource, Snapshot, SnapshotError } from '../model/resource.js';

/** Which accepted input shape a document was recognised as. */
export type InputShape =
  | 'resource-array'
  | 'arm-list'
  | 'snapshot'
  | 'arm-example'
  | 'resource-graph'
  | 'resource';

const SHAPES_HELP =
  'expected a JSON array of ARM resources, an ARM list ({ "value": [...] }), a driftwatch snapshot ({ "resources": [...] }), a Resource Graph result or `az graph query` output ({ "data": [...], "count": … }) or an ARM example file ({ "responses": { "200": { "body": ... } } })';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Recognises any accepted input shape and returns a validated snapshot: every resource has an
 * `id`, and ids are unique (case-insensitively, as ARM treats them).
 *
 * @example
 * const { snapshot, shape } = toSnapshot(JSON.parse(text), 'current.json');
 */
export function toSnapshot(
  value: unknown,
  source: string,
): { snapshot: Snapshot; shape: InputShape } {
  const { shape, resources, errors, meta } = recognise(value, source);
  validateResources(resources, source);
  const snapshot: Snapshot = {
    schemaVersion: 1,
    complete: errors.length === 0 && meta.complete !== false,
    resources: resources as ArmResource[],
    errors,
  };
  if (typeof meta.scope === 'string') snapshot.scope = meta.scope;
  if (typeof meta.collectedAt === 'string') snapshot.collectedAt = meta.collectedAt;
  if (isObject(meta.source))
    snapshot.source = meta.source as unknown as Snapshot['source'] & object;
  else snapshot.source = { kind: 'file', description: source };
  return { snapshot, shape };
}

function recognise(
  value: unknown,
  source: string,
): {
  shape: InputShape;
  resources: unknown[];
  errors: SnapshotError[];
  meta: Record<string, unknown>;
} {
  if (Array.isArray(value))
    return { shape: 'resource-array', resources: value, errors: [], meta: {} };
  if (!isObject(value))
    throw new InputError(
      'input.unknown-shape',
      `${source}: ${SHAPES_HELP}; found ${describe(value)}`,
    );
  if (Array.isArray(value.resources)) {
    return {
      shape: 'snapshot',
      resources: value.resources,
      errors: readErrors(value.errors, source),
      meta: value,
    };
  }
  if (Array.isArray(value.value))
    return { shape: 'arm-list', resources: value.value, errors: [], meta: {} };
  if (isObject(value.responses)) {
    const body = (value.responses['200'] as Record<string, unknown> | undefined)?.body;
    if (isObject(body) && Array.isArray(body.value))
      return { shape: 'arm-example', resources: body.value, errors: [], meta: {} };
    if (isObject(body) && Array.isArray(body.data) && 'totalRecords' in body)
      return {
        shape: 'resource-graph',
        resources: body.data,
        errors: graphPageErrors(body, source),
        meta: {},
      };
    if (isObject(body) && typeof body.id === 'string')
      return { shape: 'arm-example', resources: [body], errors: [], meta: {} };
    throw new InputError(
      'input.unknown-shape',
      `${source}: ARM example file has no resource in responses["200"].body`,
    );
  }
  if (Array.isArray(value.data) && GRAPH_COUNT_KEYS.some((k) => k in value)) {
    return {
      shape: 'resource-graph',
      resources: value.data,
      errors: graphPageErrors(value, source),
      meta: {},
    };
  }
  if (typeof value.id === 'string' && typeof value.type === 'string') {
    return { shape: 'resource', resources: [value], errors: [], meta: {} };
  }
  const keys = Object.keys(value).slice(0, 5).join(', ');
  throw new InputError(
    'input.unknown-shape',
    `${source}: ${SHAPES_HELP}; found an object with keys ${keys || '(none)'}`,
  );
}

/** A Resource Graph REST page has `totalRecords`; `az graph query` output has `count`/`total_records`. */
const GRAPH_COUNT_KEYS = ['totalRecords', 'count', 'total_records'] as const;

/**
 * A Graph result that names a next page (`$skipToken`, az's `skip_token`) or says it was
 * truncated is not the whole scope: the resources it lacks would read as removed, so the
 * snapshot is marked incomplete with the reason.
 */
function graphPageErrors(page: Record<string, unknown>, source: string): SnapshotError[] {
  const token = page.$skipToken ?? page.skip_token;
  const truncated = page.resultTruncated === true || page.resultTruncated === 'true';
  if ((typeof token !== 'string' || token === '') && !truncated) return [];
  return [
    {
      id: '/',
      message: `${source} is one page of a Resource Graph result (${truncated ? 'truncated' : 'a next page follows'}); export every page (az graph query --first 1000 with --skip-token, or driftwatch snapshot)`,
      code: 'graph-partial-result',
    },
  ];
}

function readErrors(raw: unknown, source: string): SnapshotError[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw new InputError(
      'input.bad-errors',
      `${source}: "errors" must be an array of { "id", "message" }`,
    );
  return raw.map((entry, i) => {
    if (!isObject(entry) || typeof entry.id !== 'string' || entry.id === '') {
      throw new InputError(
        'input.bad-errors',
        `${source}: errors[${i}] needs a string "id" (the resource or scope that could not be read)`,
      );
    }
    const error: SnapshotError = {
      id: entry.id,
      message: typeof entry.message === 'string' ? entry.message : 'not readable',
    };
    if (typeof entry.resourceType === 'string') error.resourceType = entry.resourceType;
    if (typeof entry.code === 'string') error.code = entry.code;
    if (typeof entry.status === 'number') error.status = entry.status;
    return error;
  });
}

function validateResources(resources: unknown[], source: string): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    if (!isObject(r))
      throw new InputError(
        'input.bad-resource',
        `${source}: resource #${i} is ${describe(r)}, expected an ARM resource object`,
      );
    const id = r.id;
    if (typeof id !== 'string' || id.trim() === '') {
      const name = typeof r.name === 'string' ? ` (name "${r.name}")` : '';
      throw new InputError('input.missing-id', `${source}: resource #${i}${name} has no "id"`);
    }
    const key = id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InputError(
        'input.duplicate-id',
        `${source}: duplicate resource id ${id} (resources #${first} and #${i})`,
      );
    }
    seen.set(key, i);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

import { READ_ONLY_ENTRIES } from '../engine/read-only-catalogue.js';
import { PermissionError } from '../errors.js';
import type { Finding } from '../model/report.js';
import type { ArmResource } from '../model/resource.js';
import { redactSecrets } from '../redact/redact-secrets.js';
import { hasSecretMarker } from '../secrets/secret-marker.js';
import { pathSegments, secretPathsFor } from '../secrets/secret-paths.js';
import { isObject, type Json, setAt, valueAt } from './json-path.js';
import type { PlannedRequest } from './remediation-plan.js';

/**
 * Types whose ARM PATCH updates `properties` (JSON merge patch), not only tags. Everything else
 * is reverted with a PUT of the whole body: many providers (Microsoft.Network among them) accept
 * PATCH for tags only and would silently ignore a property in it.
 */
export const PATCHABLE_TYPES: ReadonlySet<string> = new Set(
  [
    'Microsoft.Storage/storageAccounts',
    'Microsoft.Web/sites',
    'Microsoft.Web/serverfarms',
    'Microsoft.KeyVault/vaults',
    'Microsoft.Compute/virtualMachines',
    'Microsoft.Sql/servers',
    'Microsoft.Sql/servers/databases',
    'Microsoft.ContainerRegistry/registries',
    'Microsoft.DocumentDB/databaseAccounts',
    'Microsoft.Cache/redis',
    'Microsoft.App/containerApps',
  ].map((t) => t.toLowerCase()),
);

/** Top-level fields ARM assigns; never sent. */
const ENVELOPE = ['id', 'name', 'type', 'etag', 'systemData'];
/** Top-level fields the generic resources API (`GenericResource`) writes; others it drops. */
const WRITABLE_TOP = new Set([
  'location',
  'extendedLocation',
  'tags',
  'plan',
  'properties',
  'kind',
  'managedBy',
  'sku',
  'identity',
]);

/**
 * The property a change is written back through: its path up to the first array element (an
 * element of an unkeyed array cannot be addressed, so the whole array is restored).
 */
export function writablePath(changePath: string): string[] {
  const segments = pathSegments(changePath);
  const at = segments.indexOf('[]');
  return at === -1 ? segments : segments.slice(0, at);
}

/** Removes the read-only catalogue's paths (`*` matches any key) from `body`; returns what went. */
function stripReadOnly(body: Json, resourceType: string): string[] {
  const removed: string[] = [];
  const entry = READ_ONLY_ENTRIES.find(
    (e) => e.resourceType.toLowerCase() === resourceType.toLowerCase(),
  );
  const walk = (node: unknown, pattern: string[], done: string[]) => {
    if (!isObject(node) || pattern.length === 0) return;
    const [head, ...rest] = pattern as [string, ...string[]];
    const keys =
      head === '*'
        ? Object.keys(node)
        : Object.keys(node).filter((k) => k.toLowerCase() === head.toLowerCase());
    for (const key of keys) {
      if (rest.length === 0) {
        delete node[key];
        removed.push([...done, key].join('.'));
      } else walk(node[key], rest, [...done, key]);
    }
  };
  for (const path of entry?.paths ?? []) walk(body, path.split('.'), []);
  return removed;
}

/** Every leaf path of a JSON value, with `[]` for array elements. */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((v) => leafPaths(v, [...prefix, '[]']));
  if (isObject(value))
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  return [prefix];
}

/**
 * The ARM write that puts a modified resource's drifted properties back to their baseline
 * values: a PATCH of just those properties where the type supports it, else a PUT of the
 * resource as read now with those properties restored, minus read-only and envelope fields.
 * Refused (`remediation.cannot-revert`) for added/removed resources and for secrets, whose
 * values driftwatch never keeps.
 */
export function buildRevertRequest(input: {
  finding: Finding;
  baseline: ArmResource;
  current: ArmResource;
  apiVersion: string;
  etag?: string;
}): PlannedRequest {
  const { finding, baseline, current } = input;
  const refuse = (why: string) =>
    new PermissionError(
      'remediation.cannot-revert',
      `cannot revert ${finding.resourceId}: ${why}`,
      {
        details: { fingerprint: finding.fingerprint },
      },
    );
  if (finding.change !== 'modified')
    throw refuse(
      `revert handles modified resources only; this one is ${finding.change} (re-create or delete it by hand, or accept the drift)`,
    );
  const secret = finding.changes.find((c) => c.secret);
  if (secret)
    throw refuse(
      `${secret.path} holds a secret, and driftwatch keeps only a hash of it, so it cannot write the old value back; set it by hand`,
    );
  const paths = [
    ...new Map(
      finding.changes.map((c) => {
        const p = writablePath(c.path);
        return [p.join('.'), p] as const;
      }),
    ).values(),
  ];
  for (const path of paths) {
    const before = valueAt(baseline, path);
    if (before !== undefined && hasSecretMarker(JSON.stringify(before)))
      throw refuse(
        `${path.join('.')} contains a secret, which driftwatch cannot write back; set it by hand`,
      );
  }
  const unwritable = paths.find((p) => !WRITABLE_TOP.has(p[0] ?? ''));
  if (unwritable)
    throw refuse(
      `${unwritable.join('.')} cannot be written through the generic resources API; change it with the resource type's own tooling`,
    );
  const type = finding.resourceType;
  const patch = PATCHABLE_TYPES.has(type.toLowerCase());
  let body: Json;
  let omitted: string[] = [];
  if (patch) {
    body = {};
    // JSON merge patch: null removes a property the baseline did not have.
    for (const path of paths) setAt(body, path, valueAt(baseline, path), 'null');
  } else {
    body = structuredClone(current) as Json;
    for (const key of ENVELOPE) delete body[key];
    for (const path of paths) setAt(body, path, valueAt(baseline, path), 'delete');
    omitted = stripReadOnly(body, type);
    for (const key of Object.keys(body)) {
      if (ENVELOPE.includes(key) || WRITABLE_TOP.has(key)) continue;
      delete body[key];
      omitted.push(key);
    }
    const secrets = secretPathsFor(type, finding.resourceId);
    const held = leafPaths(body).find((p) => secrets.classify(p) !== undefined);
    if (held)
      throw refuse(
        `${type} is written with a PUT of the whole resource, which would have to resend its secret ${held.join('.').replace(/\.\[\]/g, '[]')}; driftwatch never sends secrets, so revert it by hand`,
      );
  }
  // Anything the sanitiser would mask (a key inside a connection string, a SAS token) is a secret
  // too: the body is stored with the plan and shown in previews, so it must not hold one.
  const text = JSON.stringify(body);
  if (redactSecrets(text) !== text)
    throw refuse(
      'the request body would carry a value that looks like a secret (a key, token or connection string); driftwatch never sends or stores secrets, so revert it by hand',
    );
  const url = `${finding.resourceId}?api-version=${input.apiVersion}`;
  return {
    resourceId: finding.resourceId,
    method: patch ? 'PATCH' : 'PUT',
    url,
    apiVersion: input.apiVersion,
    ...(input.etag ? { ifMatch: input.etag } : {}),
    body,
    omitted,
  };
}

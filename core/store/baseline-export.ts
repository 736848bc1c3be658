import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Snapshot } from '../model/resource.js';
import { toSnapshot } from '../snapshot/to-snapshot.js';
import type { BaselineVersion } from './drift-store.js';

/** What `baseline export` writes in `kind`, so `baseline import` knows the document. */
export const BASELINE_EXPORT_KIND = 'driftwatch-baseline';

const ExportedBaseline = z.object({
  scope: z.string().min(1),
  version: z.number().int().min(1),
  setAt: z.string(),
  setBy: z.string().optional(),
  note: z.string().optional(),
  restoredFrom: z.number().int().optional(),
});
export type ExportedBaseline = z.infer<typeof ExportedBaseline>;

const ExportDocument = z.looseObject({
  kind: z.literal(BASELINE_EXPORT_KIND),
  exportSchemaVersion: z.literal(1),
  exportedAt: z.string(),
  baseline: ExportedBaseline,
});

/**
 * A baseline version as one portable document: the stored snapshot (secrets stay keyed hashes,
 * never values) with the version's facts under `baseline`. It is also a driftwatch snapshot, so
 * `baseline set --file` and `diff --baseline` read it as they read any snapshot.
 *
 * @example
 * writeFileSync('prod-v7.json', JSON.stringify(exportBaseline(record, snapshot, new Date())));
 */
export function exportBaseline(record: BaselineVersion, snapshot: Snapshot, at: Date) {
  const baseline: ExportedBaseline = {
    scope: record.scope,
    version: record.version,
    setAt: record.setAt,
    ...(record.setBy ? { setBy: record.setBy } : {}),
    ...(record.note ? { note: record.note } : {}),
    ...(record.restoredFrom ? { restoredFrom: record.restoredFrom } : {}),
  };
  return {
    kind: BASELINE_EXPORT_KIND,
    exportSchemaVersion: 1 as const,
    exportedAt: at.toISOString(),
    baseline,
    ...snapshot,
  };
}

/**
 * Reads a document written by {@link exportBaseline}: its facts and its snapshot (validated as
 * any snapshot is). Any other document is one clear error naming the file and what is expected.
 */
export function readBaselineExport(
  value: unknown,
  source: string,
): { baseline: ExportedBaseline; snapshot: Snapshot } {
  const parsed = ExportDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      'input.not-a-baseline-export',
      `${source}: not a baseline export (${issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'unknown shape'}); expected a file written by driftwatch baseline export, with "kind": "${BASELINE_EXPORT_KIND}"`,
    );
  }
  const { snapshot } = toSnapshot(value, source);
  return { baseline: parsed.data.baseline, snapshot };
}

import { z } from 'zod';
import { SEVERITIES } from '../model/severity.js';
import { PLAN_STATES } from '../remediate/remediation-plan.js';

/**
 * Request and response schemas of the results API, defined once: the router validates requests
 * with them and the OpenAPI document is generated from them (`build-openapi-document.ts`).
 * Messages say what would be valid, since they are what a caller reads in a 400.
 */

const CHANGES = ['added', 'removed', 'modified', 'unknown'] as const;

function listOf(name: string, values: readonly string[]) {
  const one = values.join('|');
  return z
    .string()
    .regex(new RegExp(`^(${one})(,(${one}))*$`), {
      error: `expected one or more of ${values.join(', ')}, separated by commas`,
    })
    .meta({ description: `${name}: one or more of ${values.join(', ')}, comma-separated` });
}

const IsoTime = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 date-time such as 2026-11-21T09:00:00Z',
});
const ScopeParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}(,[A-Za-z0-9][A-Za-z0-9_.-]{0,62})*$/, {
    error: 'expected one or more scope names (letters, digits, ".", "_", "-"), separated by commas',
  });

/** `?limit=`: 1 to 200. */
export const Limit = z.coerce
  .number({ error: 'expected a whole number from 1 to 200' })
  .int({ error: 'expected a whole number from 1 to 200' })
  .min(1, { error: 'expected a whole number from 1 to 200' })
  .max(200, { error: 'expected a whole number from 1 to 200' });

export const Severity = z.enum(SEVERITIES).meta({ id: 'Severity' });
export const ChangeKind = z.enum(CHANGES).meta({ id: 'ChangeKind' });

/** Filters on the findings inside results (shared by the list and one result). */
const FindingFilters = {
  severity: listOf('severity', SEVERITIES).optional(),
  change: listOf('change', CHANGES).optional(),
  resourceType: z
    .string()
    .regex(/^[A-Za-z0-9.]+\/[A-Za-z0-9./]+(,[A-Za-z0-9.]+\/[A-Za-z0-9./]+)*$/, {
      error:
        'expected one or more resource types such as Microsoft.Network/networkSecurityGroups, separated by commas',
    })
    .optional(),
};

export const ResultListQuery = z.strictObject({
  scope: ScopeParam.optional(),
  ...FindingFilters,
  since: IsoTime.optional(),
  until: IsoTime.optional(),
  limit: Limit.default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, {
      error: 'expected the nextCursor of a previous page, unchanged',
    })
    .optional(),
});
export type ResultListQuery = z.infer<typeof ResultListQuery>;

export const ResultQuery = z.strictObject(FindingFilters);
export const SummaryQuery = z.strictObject({ scope: ScopeParam.optional() });
export const HistoryQuery = z.strictObject({
  scope: ScopeParam.optional(),
  since: IsoTime.optional(),
  until: IsoTime.optional(),
});

export const IdParam = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, {
    error: 'expected an id of 4 to 64 letters, digits, "_" or "-"',
  }),
});
export const ScopePathParam = z.strictObject({
  scope: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, {
    error: 'expected a scope name (letters, digits, ".", "_", "-")',
  }),
});

const Links = z
  .object({ self: z.string(), page: z.string().optional(), result: z.string().optional() })
  .meta({ id: 'Links' });

const Counts = z.record(z.string(), z.number().int());

export const Change = z
  .looseObject({
    path: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    severity: Severity,
    rule: z.string(),
    why: z.string(),
    secret: z.literal(true).optional(),
  })
  .meta({ id: 'Change' });

export const Finding = z
  .looseObject({
    resourceId: z.string(),
    resourceType: z.string(),
    resourceName: z.string(),
    change: ChangeKind,
    severity: Severity,
    fingerprint: z.string(),
    rule: z.string(),
    why: z.string(),
    changes: z.array(Change),
    reason: z.string().optional(),
    attribution: z.looseObject({ kind: z.string(), summary: z.string() }).optional(),
  })
  .meta({ id: 'Finding' });

export const ResultItem = z
  .object({
    id: z.string(),
    scope: z.string(),
    generatedAt: z.string(),
    complete: z.boolean(),
    findings: z.number().int(),
    maxSeverity: Severity.nullable(),
    matching: z
      .number()
      .int()
      .optional()
      .meta({ description: 'Findings matching severity/change/resourceType, when filtered' }),
    links: Links,
  })
  .meta({ id: 'ResultItem' });

export const ResultPage = z
  .object({ items: z.array(ResultItem), nextCursor: z.string().nullable() })
  .meta({ id: 'ResultPage' });

export const DriftResult = z
  .object({
    id: z.string(),
    scope: z.string(),
    generatedAt: z.string(),
    complete: z.boolean(),
    summary: z.looseObject({
      findings: z.number().int(),
      byChange: Counts,
      bySeverity: Counts,
      maxSeverity: Severity.nullable(),
    }),
    baseline: z.looseObject({ resources: z.number().int(), complete: z.boolean() }),
    current: z.looseObject({ resources: z.number().int(), complete: z.boolean() }),
    findings: z.array(Finding),
    links: Links,
  })
  .meta({ id: 'DriftResult' });

export const ScopeSummary = z
  .object({
    scope: z.string(),
    latestScanAt: z.string(),
    reportId: z.string(),
    complete: z.boolean(),
    findings: z.number().int(),
    bySeverity: Counts,
    byChange: Counts,
    unknown: z.number().int(),
    links: Links,
  })
  .meta({ id: 'ScopeSummary' });
export const DriftSummary = z
  .object({ scopes: z.array(ScopeSummary) })
  .meta({ id: 'DriftSummary' });

export const TrendPoint = z
  .object({
    reportId: z.string(),
    at: z.string(),
    findings: z.number().int(),
    bySeverity: Counts,
    newFindings: z.number().int().nullable(),
    resolved: z.number().int().nullable(),
    unknown: z.number().int(),
    meanHoursToResolve: z.number().nullable(),
  })
  .meta({ id: 'TrendPoint' });
export const DriftHistory = z
  .object({
    scopes: z.array(
      z.object({
        scope: z.string(),
        points: z.array(TrendPoint),
        meanHoursToResolve: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'DriftHistory' });

export const ScanRequest = z
  .strictObject({
    scope: z
      .string({ error: 'expected the name of a configured scope' })
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, {
        error: 'expected a configured scope name',
      }),
  })
  .meta({ id: 'ScanRequest' });

export const ScanJob = z
  .object({
    id: z.string(),
    scope: z.string(),
    state: z.enum(['queued', 'running', 'succeeded', 'failed']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    progress: z
      .object({
        phase: z.string(),
        done: z.number().int(),
        total: z.number().int().optional(),
        errors: z.number().int(),
      })
      .optional(),
    resultId: z.string().optional(),
    findings: z.number().int().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    links: Links,
  })
  .meta({ id: 'ScanJob' });

export const BaselineVersion = z
  .looseObject({
    scope: z.string(),
    snapshotId: z.string(),
    setAt: z.string(),
    setBy: z.string().optional(),
    resources: z.number().int(),
    complete: z.boolean(),
    note: z.string().optional(),
    version: z.number().int().optional(),
  })
  .meta({ id: 'BaselineVersion' });
export const BaselineList = z
  .object({ baselines: z.array(BaselineVersion) })
  .meta({ id: 'BaselineList' });
export const BaselineVersions = z
  .object({ scope: z.string(), versions: z.array(BaselineVersion) })
  .meta({ id: 'BaselineVersions' });
export const RestoreRequest = z
  .strictObject({
    version: z
      .number({ error: 'expected the version number to restore (GET …/versions lists them)' })
      .int({ error: 'expected a whole version number' })
      .min(1, { error: 'expected a version number of 1 or more' }),
    reason: z
      .string({ error: 'expected a reason (kept with the restore)' })
      .min(1, { error: 'expected a reason (kept with the restore)' })
      .max(500, { error: 'expected a reason of at most 500 characters' }),
  })
  .meta({ id: 'RestoreRequest' });

export const RemediationListQuery = z.strictObject({
  scope: ScopeParam.optional(),
  state: listOf('state', PLAN_STATES).optional(),
  limit: Limit.default(50),
});
export const RemediationPlan = z
  .looseObject({
    id: z.string(),
    scope: z.string(),
    state: z.string(),
    strategy: z.string(),
  })
  .meta({ id: 'RemediationPlan' });
export const RemediationList = z
  .object({ plans: z.array(RemediationPlan) })
  .meta({ id: 'RemediationList' });
export const RemediationRequest = z
  .strictObject({
    scope: z.string({ error: 'expected a scope name' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, {
      error: 'expected a scope name',
    }),
    findings: z
      .array(z.string().min(4, { error: 'expected finding fingerprints of 4+ characters' }), {
        error: 'expected a list of finding fingerprints',
      })
      .min(1, { error: 'expected at least one finding fingerprint' })
      .max(100, { error: 'expected at most 100 findings' }),
    strategy: z.enum(['revert', 'redeploy', 'accept'], {
      error: 'expected one of revert, redeploy, accept',
    }),
    reason: z.string().max(500, { error: 'expected at most 500 characters' }).optional(),
    dryRun: z.boolean({ error: 'expected true or false' }).optional(),
  })
  .meta({ id: 'RemediationRequest' });
export const RemediationDecision = z
  .strictObject({
    reason: z.string().max(500, { error: 'expected at most 500 characters' }).optional(),
  })
  .meta({ id: 'RemediationDecision' });
export const RemediationVerb = z.strictObject({
  id: IdParam.shape.id,
  verb: z.enum(['approve', 'reject', 'cancel', 'apply'], {
    error: 'expected one of approve, reject, cancel, apply',
  }),
});

export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      parameter: z.string().optional(),
      reason: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

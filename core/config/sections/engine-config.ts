import { z } from 'zod';
import { BUILT_IN_SEVERITY_RULES, FINDING_RULES } from '../../engine/severity-rules.js';
import { SEVERITIES } from '../../model/severity.js';

const Severity = z.enum(SEVERITIES);

/** A user ignore rule in the config file. At least one matcher is required. */
export const IgnoreRuleConfig = z
  .strictObject({
    resourceType: z.string().min(1).optional(),
    id: z.string().min(1).optional(),
    tag: z
      .string()
      .regex(/^[^=]+(=.*)?$/, 'expected key or key=value')
      .optional(),
    path: z.string().min(1).optional(),
    reason: z.string().optional(),
    expires: z
      .union([z.iso.date(), z.iso.datetime({ offset: true })], {
        error:
          'expected a date such as 2027-03-31 or a date-time with offset such as 2027-03-31T18:00:00Z',
      })
      .optional(),
    owner: z.string().optional(),
  })
  .refine((r) => r.resourceType || r.id || r.tag || r.path, {
    message: 'an ignore rule needs at least one of resourceType, id, tag or path',
  });
export type IgnoreRuleConfig = z.infer<typeof IgnoreRuleConfig>;

/** A user severity rule: matches a change path (glob) and optionally a resource type and values. */
export const SeverityRuleConfig = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'rule ids are lower-case words joined by "-"'),
  path: z.string().min(1),
  resourceType: z.string().optional(),
  /** Only when the new value is one of these. */
  after: z.array(z.unknown()).optional(),
  severity: Severity,
  why: z.string().min(1),
});
export type SeverityRuleConfig = z.infer<typeof SeverityRuleConfig>;

/** Ids of the built-in rules a config may override: change rules, then added/removed/unknown. */
export const BUILT_IN_RULE_IDS: readonly string[] = [
  ...BUILT_IN_SEVERITY_RULES.map((r) => r.id),
  ...Object.values(FINDING_RULES).map((r) => r.id),
];

export const SeverityConfig = z
  .strictObject({
    rules: z.array(SeverityRuleConfig).default([]),
    /** Change the severity of a rule, or turn it off (`off` falls through to the next rule). */
    overrides: z.record(z.string(), z.enum([...SEVERITIES, 'off'])).default({}),
  })
  .superRefine((severity, ctx) => {
    // An override of a rule that does not exist would be silently ignored: a typo keeps the
    // severity the user meant to change.
    const valid = [...severity.rules.map((r) => r.id), ...BUILT_IN_RULE_IDS];
    for (const id of Object.keys(severity.overrides)) {
      if (valid.includes(id)) continue;
      const near = valid.find(
        (v) => v.toLowerCase() === id.toLowerCase() || editDistance(v, id) <= 2,
      );
      ctx.addIssue({
        code: 'custom',
        path: ['overrides', id],
        message: `no rule "${id}"${near ? ` (did you mean "${near}"?)` : ''}; rule ids: ${valid.join(', ')}`,
      });
    }
  });
export type SeverityConfig = z.infer<typeof SeverityConfig>;

/** Levenshtein distance, for "did you mean" on short rule ids. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

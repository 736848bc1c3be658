import { z } from 'zod';
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
    expires: z.iso
      .date()
      .or(z.iso.datetime({ offset: true }))
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

export const SeverityConfig = z.strictObject({
  rules: z.array(SeverityRuleConfig).default([]),
  /** Change the severity of a built-in rule, or turn it off (`off` falls through to the next rule). */
  overrides: z.record(z.string(), z.union([Severity, z.literal('off')])).default({}),
});
export type SeverityConfig = z.infer<typeof SeverityConfig>;

import { z } from 'zod';
import { DURATION_FORMS, parseDuration } from '../../commands/parse-duration.js';
import { TimeZone } from './time-zone.js';

/** Remediation strategies. `revert` writes to Azure, so a scope must list it to allow it. */
export const STRATEGIES = ['revert', 'accept', 'redeploy'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * An identity string: `<kind>:<id>`. `cli:<user>` (the CLI, `DRIFTWATCH_ACTOR` or the OS user),
 * `slack:<user id>`, `slack-group:<user group id>`, `entra:<object id>`, `entra-group:<group
 * object id>`, `teams:<aad object id>`. Chat adapters resolve a person's groups and pass them in.
 */
export const IDENTITY_KINDS = [
  'cli',
  'slack',
  'slack-group',
  'entra',
  'entra-group',
  'teams',
] as const;
export const Identity = z
  .string()
  .regex(
    new RegExp(`^(${IDENTITY_KINDS.join('|')}):[^\\s:][^\\s]*$`),
    `expected <kind>:<id> with kind one of ${IDENTITY_KINDS.join(', ')} (e.g. cli:alice, slack:U024BE7LH, entra-group:6f1c…)`,
  );

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When apply is allowed: on these days, from `from` to `to` (24 h clock, `to` exclusive). */
export const ChangeWindow = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .default([...WEEKDAYS]),
    from: z.string().regex(TIME, 'expected HH:MM (24 h), e.g. 09:00'),
    to: z.string().regex(TIME, 'expected HH:MM (24 h), e.g. 17:30'),
  })
  .refine((w) => w.from < w.to, {
    error: 'from must be earlier than to (a window does not cross midnight; use two windows)',
  });
export type ChangeWindow = z.infer<typeof ChangeWindow>;

const Duration = z.string().refine((text) => parseDuration(text) !== undefined, {
  error: `expected a duration: ${DURATION_FORMS}`,
});

/** A template parameter value: YAML runtime parameters arrive as strings (numbers, booleans converted). */
const ParameterValue = z
  .union([z.string(), z.number(), z.boolean()], {
    error: 'expected a string, number or boolean (runtime parameters are sent as strings)',
  })
  .transform(String);

/**
 * The Azure DevOps pipeline `redeploy` queues for a scope: its project, the pipeline by id or by
 * name, the branch to run from (default: the pipeline's default branch) and its runtime
 * (template) parameters. Without it, the pipeline is inferred from the DevOps inventory.
 */
export const RedeployMapping = z
  .strictObject({
    project: z.string().min(1, 'expected the Azure DevOps project name'),
    pipelineId: z
      .number({ error: 'expected the pipeline id, a positive whole number' })
      .int('expected the pipeline id, a positive whole number')
      .positive('expected the pipeline id, a positive whole number')
      .optional(),
    pipeline: z.string().min(1, 'expected the pipeline name').optional(),
    branch: z
      .string()
      .regex(
        /^(refs\/(heads|tags)\/)?[^\s~^:?*[\\]+$/,
        'expected a branch such as main or refs/heads/main',
      )
      .optional(),
    parameters: z.record(z.string().min(1), ParameterValue).default({}),
  })
  .refine((m) => (m.pipelineId === undefined) !== (m.pipeline === undefined), {
    error:
      'name the pipeline by pipelineId (a number) or by pipeline (its name), not both or neither',
  });
export type RedeployMapping = z.infer<typeof RedeployMapping>;

/** Who may approve what on one scope, and when changes may be applied. */
export const RemediationPolicy = z
  .strictObject({
    approvers: z.array(Identity).min(1),
    /** Approvals needed (N of the M approvers). */
    approvals: z.number().int().min(1).default(1),
    requesterCannotApprove: z.boolean().default(true),
    /** How long a request stays open for approval and apply (default 24h). */
    expiry: Duration.default('24h'),
    /** `revert` needs write permission on the scope, so it is never allowed unless listed. */
    strategies: z.array(z.enum(STRATEGIES)).min(1).default(['accept']),
    /** When apply is allowed; no windows means any time. */
    windows: z.array(ChangeWindow).default([]),
    timezone: TimeZone.default('UTC'),
    /** `redeploy`: the pipeline that owns the scope (else inferred from the DevOps inventory). */
    redeploy: RedeployMapping.optional(),
  })
  .refine((p) => p.approvals <= p.approvers.length, {
    error: 'approvals cannot exceed the number of approvers',
    path: ['approvals'],
  });
export type RemediationPolicy = z.infer<typeof RemediationPolicy>;

/** `remediation:` in the config file: a policy per scope name. */
export const RemediationConfig = z.strictObject({
  scopes: z.record(z.string(), RemediationPolicy).default({}),
  /**
   * How long an apply holds its lease without renewing it; after that another process may take
   * it over and reconcile (finish polling or mark it failed, never send the write again).
   */
  applyLeaseSeconds: z.number().int().min(1).max(3600).default(300),
  /**
   * `redeploy` follows the queued run by polling it: first after this many seconds, then twice
   * as long each time up to `runPollMaxSeconds` (every poll passes the DevOps rate limiter).
   */
  runPollSeconds: z.number().positive().max(300).default(5),
  runPollMaxSeconds: z.number().positive().max(600).default(60),
});
export type RemediationConfig = z.infer<typeof RemediationConfig>;

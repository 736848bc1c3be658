import { z } from 'zod';
import { ScopeName, SubscriptionId } from './scope-config.js';

const UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** A duration: `90s`, `10m`, `1h`, or a number of seconds. Parsed to milliseconds. */
export const Duration = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(/^\d+(ms|s|m|h)$/, 'expected a duration such as 30s, 10m or 1h'),
  ])
  .transform((v) => {
    if (typeof v === 'number') return v * 1000;
    const [, n, unit] = /^(\d+)(ms|s|m|h)$/.exec(v) as unknown as [
      string,
      string,
      keyof typeof UNITS,
    ];
    return Number(n) * UNITS[unit];
  });

const Targets = {
  subscriptions: z.array(SubscriptionId).optional(),
  resourceGroups: z.array(z.string().min(1)).optional(),
  /** Scope names from `scopes:`; each stands for its subscriptions and resource groups. */
  scopes: z.array(ScopeName).optional(),
};

/** What a pipeline and/or environment deploys to (Azure DevOps does not say; you tell us). */
export const DevOpsTargetConfig = z
  .strictObject({
    pipeline: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    ...Targets,
  })
  .refine((t) => t.pipeline || t.environment, 'name a pipeline, an environment or both')
  .refine(
    (t) => t.subscriptions || t.resourceGroups || t.scopes,
    'list subscriptions, resourceGroups or scopes it deploys to',
  );
/** A `devops.targets` entry. */
export type DevOpsTargetConfig = z.infer<typeof DevOpsTargetConfig>;

/** An application: its repositories, pipelines and environments, and optionally what it deploys to. */
export const DevOpsApplicationConfig = z.strictObject({
  name: z.string().min(1),
  project: z.string().min(1).optional(),
  repositories: z.array(z.string().min(1)).optional(),
  pipelines: z.array(z.string().min(1)).optional(),
  environments: z.array(z.string().min(1)).optional(),
  ...Targets,
});
/** A `devops.applications` entry. */
export type DevOpsApplicationConfig = z.infer<typeof DevOpsApplicationConfig>;

/**
 * Azure DevOps discovery and attribution (`devops:`). The PAT is never in the file: it comes from
 * AZURE_DEVOPS_PAT or DRIFTWATCH_DEVOPS_PAT. `entra` signs in with the Azure credential
 * (`azure.credential`: service principal, workload identity, managed identity).
 */
export const DevOpsConfig = z.strictObject({
  orgUrl: z
    .url({
      protocol: /^https?$/,
      error: 'expected an organization URL such as https://dev.azure.com/contoso',
    })
    .optional(),
  projects: z.array(z.string().min(1)).optional(),
  auth: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('pat') }),
      z.strictObject({ kind: z.literal('entra') }),
    ])
    .default({ kind: 'pat' }),
  /** Requests per minute for this identity, shared by every process through Redis when set. */
  requestsPerMinute: z.number().int().min(1).max(6_000).default(200),
  /**
   * How long a discovered inventory is reused from the store. `prefault`, not `default`: zod 4
   * returns a `default` value as is, without the transform, so `default(600)` meant 600 ms.
   */
  cacheTtl: Duration.prefault('10m'),
  /** Builds read per project: those finished in the last N days, at most `maxBuilds`. */
  buildsSinceDays: z.number().int().min(1).default(30),
  maxBuilds: z.number().int().min(1).default(5_000),
  applications: z.array(DevOpsApplicationConfig).default([]),
  targets: z.array(DevOpsTargetConfig).default([]),
});
/** The validated `devops` section (durations in milliseconds). */
export type DevOpsConfig = z.infer<typeof DevOpsConfig>;

import type {
  DevOpsApplicationConfig,
  DevOpsTargetConfig,
} from '../config/sections/devops-config.js';
import type { ScopeConfig } from '../config/sections/scope-config.js';

/** A subscription and/or resource group a deployment touches (lower case). */
export type DeploymentTarget = { subscriptionId?: string; resourceGroup?: string };

/** The configuration that says what deployments touch. */
export interface TargetMappings {
  targets: readonly DevOpsTargetConfig[];
  applications: readonly DevOpsApplicationConfig[];
  scopes: Readonly<Record<string, ScopeConfig>>;
}

/**
 * What a deployment by `pipeline` to `environment` targets. Azure DevOps does not record it, so:
 * `devops.targets` entries matching the pipeline and/or environment; `devops.applications` whose
 * pipelines or environments include them; and, inferred, a scope whose name equals the
 * environment's, when nothing is declared. Scopes expand to their subscriptions × resource groups. Lower-cased.
 */
export function resolveDeploymentTargets(
  deployment: { pipeline: string; environment?: string },
  mappings: TargetMappings,
): DeploymentTarget[] {
  const eq = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  const out: DeploymentTarget[] = [];
  const add = (t: { subscriptions?: string[]; resourceGroups?: string[]; scopes?: string[] }) => {
    for (const scope of t.scopes ?? []) {
      const config = Object.entries(mappings.scopes).find(([name]) => eq(name, scope))?.[1];
      if (config) out.push(...expand(config.subscriptions, config.resourceGroups));
    }
    if (t.subscriptions || t.resourceGroups) out.push(...expand(t.subscriptions, t.resourceGroups));
  };
  for (const t of mappings.targets) {
    const pipelineOk = !t.pipeline || eq(t.pipeline, deployment.pipeline);
    const envOk = !t.environment || eq(t.environment, deployment.environment);
    if (pipelineOk && envOk) add(t);
  }
  for (const app of mappings.applications) {
    const listed =
      app.pipelines?.some((p) => eq(p, deployment.pipeline)) ||
      app.environments?.some((e) => eq(e, deployment.environment));
    if (listed) add(app);
  }
  // Inference only when nothing is declared for this deployment: declarations are authoritative.
  if (out.length === 0 && deployment.environment) {
    const scope = Object.keys(mappings.scopes).find((name) => eq(name, deployment.environment));
    if (scope) add({ scopes: [scope] });
  }
  return dedupe(out);
}

function expand(
  subscriptions: string[] | undefined,
  resourceGroups: string[] | undefined,
): DeploymentTarget[] {
  const subs = subscriptions?.length ? subscriptions : [undefined];
  const rgs = resourceGroups?.length ? resourceGroups : [undefined];
  return subs.flatMap((s) =>
    rgs.map((g) => ({
      ...(s ? { subscriptionId: s.toLowerCase() } : {}),
      ...(g ? { resourceGroup: g.toLowerCase() } : {}),
    })),
  );
}

function dedupe(targets: DeploymentTarget[]): DeploymentTarget[] {
  const seen = new Map<string, DeploymentTarget>();
  for (const t of targets) seen.set(`${t.subscriptionId ?? ''}/${t.resourceGroup ?? ''}`, t);
  return [...seen.values()];
}

import type { DevOpsConfig } from '../config/sections/devops-config.js';
import type { ScopeConfig } from '../config/sections/scope-config.js';
import type { DevOpsInventory } from '../devops/devops-inventory.js';
import {
  type DeploymentTarget,
  resolveDeploymentTargets,
} from '../devops/resolve-deployment-targets.js';
import { PermissionError } from '../errors.js';
import type { PipelineRef } from './remediation-devops.js';

const RESOURCE_GROUP = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/i;

/**
 * The YAML pipeline that owns every one of `resourceIds`, inferred as attribution does: a
 * pipeline owns a resource when one of its deployments (to an environment it deployed to, or
 * the pipeline alone) targets the resource's subscription and resource group through
 * `devops.targets`, `devops.applications` or an environment named like a scope. Exactly one
 * pipeline must own them all; otherwise a refusal names the candidates and the config key.
 *
 * @example
 * inferOwningPipeline({ inventory, devops: config.devops, scopes: config.scopes, scope: 'prod', resourceIds })
 */
export function inferOwningPipeline(input: {
  inventory: DevOpsInventory;
  devops: DevOpsConfig;
  scopes: Readonly<Record<string, ScopeConfig>>;
  scope: string;
  resourceIds: readonly string[];
}): PipelineRef & { why: string } {
  const mappings = {
    targets: input.devops.targets,
    applications: input.devops.applications,
    scopes: input.scopes,
  };
  const owners: Array<PipelineRef & { why: string }> = [];
  for (const project of input.inventory.projects) {
    for (const pipeline of project.pipelines) {
      const environments = project.environments
        .filter((e) => e.deployments.some((d) => d.pipeline.id === pipeline.id))
        .map((e) => e.name);
      const targets = [undefined, ...environments].flatMap((environment) =>
        resolveDeploymentTargets(
          { pipeline: pipeline.name, ...(environment ? { environment } : {}) },
          mappings,
        ),
      );
      if (targets.length && input.resourceIds.every((id) => targets.some((t) => covers(t, id))))
        owners.push({
          project: project.name,
          id: pipeline.id,
          name: pipeline.name,
          why: `inferred: pipeline "${pipeline.name}"${environments.length ? ` (deploys to ${environments.join(', ')})` : ''} targets ${describe(targets)}`,
        });
    }
  }
  const [only, ...others] = owners;
  if (only && others.length === 0) return only;
  const partial = input.inventory.complete
    ? ''
    : ' (the Azure DevOps inventory was read only in part)';
  throw new PermissionError(
    'remediation.no-pipeline',
    owners.length === 0
      ? `no Azure DevOps pipeline is known to deploy ${input.resourceIds.join(', ')}${partial}; name it in remediation.scopes.${input.scope}.redeploy ({ project, pipeline or pipelineId, branch, parameters }) or say what it deploys to in devops.targets`
      : `${owners.length} pipelines deploy ${input.resourceIds.join(', ')}: ${owners.map((o) => `${o.project}/${o.name} (id ${o.id})`).join(', ')}; choose one in remediation.scopes.${input.scope}.redeploy`,
  );
}

function covers(target: DeploymentTarget, resourceId: string): boolean {
  const [, sub, group] = RESOURCE_GROUP.exec(resourceId) ?? [];
  if (!sub) return false;
  return (
    (!target.subscriptionId || target.subscriptionId === sub.toLowerCase()) &&
    (!target.resourceGroup || target.resourceGroup === group?.toLowerCase())
  );
}

function describe(targets: DeploymentTarget[]): string {
  return targets
    .map((t) => [t.subscriptionId, t.resourceGroup].filter(Boolean).join('/'))
    .join(', ');
}

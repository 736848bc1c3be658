import type { DeploymentRecord } from './attribution-sources.js';

/** The subscription and resource group an ARM id lives in, lower-cased. */
export function resourceScope(resourceId: string): {
  subscriptionId?: string;
  resourceGroup?: string;
} {
  const sub = /\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1];
  const rg = /\/resourcegroups\/([^/]+)/i.exec(resourceId)?.[1];
  return {
    ...(sub ? { subscriptionId: sub.toLowerCase() } : {}),
    ...(rg ? { resourceGroup: rg.toLowerCase() } : {}),
  };
}

/**
 * Whether a deployment targeted a resource. Declared or scope-derived targets decide when the
 * deployment has any: a target matches when its subscription (if set) and resource group (if
 * set) equal the resource's. Without targets, a conservative name inference: the resource
 * group's name appears whole (between non-alphanumerics) in the environment or pipeline name.
 */
export function deploymentTargets(
  deployment: DeploymentRecord,
  resourceId: string,
): 'declared' | 'inferred' | false {
  const scope = resourceScope(resourceId);
  if (deployment.targets.length > 0) {
    const hit = deployment.targets.some(
      (t) =>
        (t.subscriptionId !== undefined || t.resourceGroup !== undefined) &&
        (t.subscriptionId === undefined ||
          t.subscriptionId.toLowerCase() === scope.subscriptionId) &&
        (t.resourceGroup === undefined || t.resourceGroup.toLowerCase() === scope.resourceGroup),
    );
    return hit ? 'declared' : false;
  }
  const rg = scope.resourceGroup;
  if (!rg || rg.length < 3) return false;
  const whole = new RegExp(
    `(^|[^a-z0-9])${rg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9]|$)`,
  );
  const names = [deployment.environment, deployment.pipeline].filter((n): n is string =>
    Boolean(n),
  );
  return names.some((n) => whole.test(n.toLowerCase())) ? 'inferred' : false;
}

/** Whether a deployment ran (at least partly) inside the window; a running one counts until `to`. */
export function overlapsWindow(
  deployment: DeploymentRecord,
  window: { from: Date; to: Date },
): boolean {
  const start = Date.parse(deployment.startedAt);
  const end = deployment.finishedAt ? Date.parse(deployment.finishedAt) : window.to.getTime();
  return start <= window.to.getTime() && end >= window.from.getTime();
}

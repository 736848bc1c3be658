import type { Actor, PlanState } from '../../remediate/remediation-plan.js';
import { ApiError } from '../api-error.js';
import type { ApiPrincipal } from '../api-principal.js';
import { mayAccess } from '../api-principal.js';
import { type ApiDeps, type ApiRoute, defineRoute } from '../api-route.js';
import {
  IdParam,
  RemediationDecision,
  RemediationList,
  RemediationListQuery,
  RemediationPlan,
  RemediationRequest,
} from '../api-schemas.js';
import { requestedScopes, requireScope } from '../scope-access.js';

function workflow(deps: ApiDeps): NonNullable<ApiDeps['remediation']> {
  if (!deps.remediation) {
    throw new ApiError(
      'not-configured',
      'remediation is not set up on this server: add a remediation section to driftwatch.config.yaml',
    );
  }
  return deps.remediation;
}

const actorOf = (principal: ApiPrincipal): Actor => ({
  id: principal.id,
  ...(principal.groups?.length ? { groups: principal.groups } : {}),
});

/** `GET /remediations`: plans newest first (the CLI's `remediate list`). */
export const listRemediations = defineRoute({
  method: 'GET',
  path: '/remediations',
  operationId: 'listRemediations',
  summary: 'Remediation plans, newest first (remediate list)',
  access: 'read',
  query: RemediationListQuery,
  response: { status: 200, schema: RemediationList, description: 'The plans' },
  async handle({ query, principal, deps }) {
    const scopes = requestedScopes(principal, query.scope);
    const states = query.state?.split(',') as PlanState[] | undefined;
    const plans = await workflow(deps).list({ ...(states ? { states } : {}) });
    const visible = plans
      .filter((p) => (scopes ? scopes.has(p.scope.toLowerCase()) : true))
      .filter((p) => mayAccess(principal, p.scope, 'read'))
      .slice(0, query.limit);
    return { status: 200, body: { plans: visible } };
  },
});

/** `GET /remediations/{id}`: one plan (the CLI's `remediate status ID`). */
export const getRemediation = defineRoute({
  method: 'GET',
  path: '/remediations/{id}',
  operationId: 'getRemediation',
  summary: 'One remediation plan (remediate status ID)',
  access: 'read',
  params: IdParam,
  response: { status: 200, schema: RemediationPlan, description: 'The plan' },
  async handle({ params, principal, deps }) {
    const plan = await workflow(deps).show(params.id);
    requireScope(principal, plan.scope, 'read');
    return { status: 200, body: plan };
  },
});

/** `POST /remediations`: plans a remediation (the CLI's `remediate plan`). */
export const planRemediation = defineRoute({
  method: 'POST',
  path: '/remediations',
  operationId: 'planRemediation',
  summary: 'Plans a remediation of findings (remediate plan); dryRun previews without storing',
  access: 'change',
  body: RemediationRequest,
  response: { status: 201, schema: RemediationPlan, description: 'The plan (200 for a dry run)' },
  async handle({ body, principal, deps }) {
    requireScope(principal, body.scope, 'change');
    const plan = await workflow(deps).plan({
      scope: body.scope,
      findings: body.findings,
      strategy: body.strategy,
      actor: actorOf(principal),
      ...(body.reason ? { reason: body.reason } : {}),
      ...(body.dryRun ? { dryRun: true } : {}),
    });
    return { status: body.dryRun ? 200 : 201, body: plan };
  },
});

const VERBS = ['approve', 'reject', 'cancel', 'apply'] as const;

/** `POST /remediations/{id}/approve|reject|cancel|apply`: the CLI's verbs of the same names. */
export const remediationVerbs: ApiRoute[] = VERBS.map((verb) =>
  defineRoute({
    method: 'POST',
    path: `/remediations/{id}/${verb}`,
    operationId: `${verb}Remediation`,
    summary: `remediate ${verb} ID`,
    access: 'change',
    params: IdParam,
    body: RemediationDecision,
    response: { status: 200, schema: RemediationPlan, description: 'The plan after the decision' },
    async handle({ params, body, principal, deps }) {
      const remediation = workflow(deps);
      const plan = await remediation.show(params.id);
      requireScope(principal, plan.scope, 'change');
      const actor = actorOf(principal);
      const reason = body?.reason ? { reason: body.reason } : {};
      const next =
        verb === 'apply'
          ? await remediation.apply({ id: plan.id, actor })
          : await remediation[verb]({ id: plan.id, actor, ...reason });
      return { status: 200, body: next };
    },
  }),
);

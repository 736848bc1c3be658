import { mayAccess } from '../api-principal.js';
import { defineRoute } from '../api-route.js';
import {
  BaselineList,
  BaselineVersion,
  BaselineVersions,
  RestoreRequest,
  ScopePathParam,
} from '../api-schemas.js';
import { requireScope } from '../scope-access.js';

/** `GET /baselines`: the current baseline of every scope the caller may read. */
export const listBaselines = defineRoute({
  method: 'GET',
  path: '/baselines',
  operationId: 'listBaselines',
  summary: 'The current baseline of each scope',
  access: 'read',
  response: { status: 200, schema: BaselineList, description: 'One per scope' },
  async handle({ principal, deps }) {
    const all = await deps.store.listBaselines();
    return {
      status: 200,
      body: { baselines: all.filter((b) => mayAccess(principal, b.scope, 'read')) },
    };
  },
});

/** `GET /baselines/{scope}/versions`: every kept version, newest first. */
export const listBaselineVersions = defineRoute({
  method: 'GET',
  path: '/baselines/{scope}/versions',
  operationId: 'listBaselineVersions',
  summary: 'Every kept baseline version of a scope, newest first',
  access: 'read',
  params: ScopePathParam,
  response: { status: 200, schema: BaselineVersions, description: 'The versions' },
  async handle({ params, principal, deps }) {
    requireScope(principal, params.scope, 'read');
    return {
      status: 200,
      body: { scope: params.scope, versions: await deps.baselines.versions(params.scope) },
    };
  },
});

/** `POST /baselines/{scope}/restore` (admin): a kept version becomes the baseline again. */
export const restoreBaseline = defineRoute({
  method: 'POST',
  path: '/baselines/{scope}/restore',
  operationId: 'restoreBaseline',
  summary:
    'Makes a kept version the current baseline again, atomically (admin; records who and why)',
  access: 'change',
  params: ScopePathParam,
  body: RestoreRequest,
  response: { status: 200, schema: BaselineVersion, description: 'The new current baseline' },
  async handle({ params, body, principal, deps }) {
    requireScope(principal, params.scope, 'change');
    const restored = await deps.baselines.restore({
      scope: params.scope,
      version: body.version,
      by: principal.id,
      reason: body.reason,
    });
    return { status: 200, body: restored };
  },
});

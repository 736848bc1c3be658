import { AuthError } from '../errors.js';
import type { ArmResource, SnapshotError } from '../model/resource.js';
import { checkNestingDepth } from '../snapshot/check-nesting-depth.js';
import { classifyAzureError, isAbort, statusOf } from './classify-azure-error.js';
import type { CollectRun } from './collect-scope-types.js';

/** What one GET by id gave: the body exactly as ARM sent it, gone (404), or an error to record. */
export type ReadOutcome =
  | { kind: 'resource'; resource: ArmResource }
  | { kind: 'gone' }
  | { kind: 'error'; error: SnapshotError };

/**
 * GETs a resource by id through `@azure/arm-resources` (`resources.getById`) and keeps the raw
 * JSON body: the SDK's model mapping would turn timestamps into Dates and drop unknown fields,
 * and drift must compare what ARM actually returned. A broken credential stops the run (thrown);
 * anything else about this one resource is recorded as an error (the resource becomes `unknown`).
 */
export async function readResource(
  run: CollectRun,
  input: { subscriptionId: string; id: string; type: string; apiVersion: string | undefined },
): Promise<ReadOutcome> {
  if (!input.apiVersion) {
    return {
      kind: 'error',
      error: {
        id: input.id,
        resourceType: input.type,
        code: 'azure.no-api-version',
        message: `no api-version is registered for type ${input.type}`,
      },
    };
  }
  let raw: string | undefined;
  try {
    await run.clients.arm(input.subscriptionId).resources.getById(input.id, input.apiVersion, {
      ...(run.signal ? { abortSignal: run.signal } : {}),
      onResponse: (response) => {
        raw = response.bodyAsText ?? undefined;
      },
    });
    const resource = JSON.parse(raw ?? '') as ArmResource;
    if (typeof resource?.id !== 'string') throw new SyntaxError('the response has no "id"');
    // Azure's answer is untrusted: a body nested deeper than a snapshot file may be would
    // overflow the engine's recursion later, for the whole scan; here it is one unknown resource.
    checkNestingDepth(resource, 'the ARM response');
    return { kind: 'resource', resource };
  } catch (error) {
    if (isAbort(error, run.signal)) throw error;
    const classified = classifyAzureError(error);
    if (classified.code === 'azure.not-found') return { kind: 'gone' };
    if (classified instanceof AuthError && classified.code !== 'auth.forbidden') throw classified;
    const status = statusOf(classified);
    return {
      kind: 'error',
      error: {
        id: input.id,
        resourceType: input.type,
        code: classified.code,
        message: classified.message,
        ...(status !== undefined ? { status } : {}),
      },
    };
  }
}

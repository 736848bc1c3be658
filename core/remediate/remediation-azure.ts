import type { GenericResource } from '@azure/arm-resources';
import { isRestError } from '@azure/core-rest-pipeline';
import { classifyAzureError } from '../collect/classify-azure-error.js';
import type { AzureClients } from '../collect/create-azure-clients.js';
import { pickApiVersion } from '../collect/resolve-api-versions.js';
import { typeFromId } from '../engine/resource-identity.js';
import { UsageError } from '../errors.js';
import type { ArmResource } from '../model/resource.js';
import { describeError } from '../redact/redact-secrets.js';
import type { PlannedRequest } from './remediation-plan.js';

/** A resource as read for remediation: the raw body and the etag to send as `If-Match`. */
export type RemediationRead =
  | { kind: 'resource'; body: ArmResource; etag?: string }
  | { kind: 'gone' }
  | { kind: 'error'; message: string };

/** How a write ended. `precondition-failed` is ARM's 412: the resource changed since the plan. */
export type WriteOutcome =
  | { kind: 'succeeded' }
  | { kind: 'precondition-failed'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'failed'; message: string };

/** The Azure side of remediation, as a port: tests and hosts pass the real ARM adapter. */
export interface RemediationAzure {
  /** The newest stable api-version of the resource's type (providers API, once per subscription). */
  apiVersionOf(resourceId: string): Promise<string>;
  read(resourceId: string, apiVersion: string): Promise<RemediationRead>;
  /**
   * Sends the write and follows a long-running operation to its end. `started` receives the
   * SDK poller's serialised state once ARM accepted the write, before polling: kept in the store,
   * it lets another process resume polling after a crash without sending the write again.
   */
  write(
    request: PlannedRequest,
    started: (operation: string) => Promise<void>,
  ): Promise<WriteOutcome>;
  /** Resumes polling an operation from its saved state (never re-sends the write). */
  resume(request: PlannedRequest, operation: string): Promise<WriteOutcome>;
}

const SUBSCRIPTION = /^\/subscriptions\/([^/]+)/i;

/**
 * The ARM adapter: `@azure/arm-resources` (`getById`, `beginUpdateById`, `beginCreateOrUpdateById`)
 * on the collectors' pipeline (auth, retries, pacing). Long-running writes are followed by the
 * SDK's own poller (`@azure/core-lro`: `Azure-AsyncOperation`, then `Location`, honouring
 * `Retry-After`), which serialises its state so polling can resume in another process.
 *
 * @example
 * const azure = createRemediationAzure({ clients });
 */
export function createRemediationAzure(options: {
  clients: AzureClients;
  /** Poll interval when ARM sends no `Retry-After` (the SDK's default is 2 s). */
  pollIntervalMs?: number;
}): RemediationAzure {
  const { clients } = options;
  const versions = new Map<string, Promise<Record<string, string>>>();
  const armFor = (resourceId: string) => {
    const sub = SUBSCRIPTION.exec(resourceId)?.[1];
    if (!sub)
      throw new UsageError(
        'usage.bad-resource-id',
        `${resourceId} is not an ARM resource id (/subscriptions/<id>/…)`,
      );
    return { sub, client: clients.arm(sub) };
  };
  const pollOptions: { updateIntervalInMs?: number } =
    options.pollIntervalMs !== undefined ? { updateIntervalInMs: options.pollIntervalMs } : {};
  const begin = (request: PlannedRequest, resumeFrom?: string) => {
    const { client } = armFor(request.resourceId);
    const customHeaders: Record<string, string> = request.ifMatch
      ? { 'If-Match': request.ifMatch }
      : {};
    const requestOptions = {
      ...pollOptions,
      ...(resumeFrom ? { resumeFrom } : {}),
      requestOptions: { customHeaders },
    };
    const body = request.body as GenericResource;
    return request.method === 'PATCH'
      ? client.resources.beginUpdateById(
          request.resourceId,
          request.apiVersion,
          body,
          requestOptions,
        )
      : client.resources.beginCreateOrUpdateById(
          request.resourceId,
          request.apiVersion,
          body,
          requestOptions,
        );
  };
  const finish = async (poller: Awaited<ReturnType<typeof begin>>): Promise<WriteOutcome> => {
    try {
      await poller.pollUntilDone();
    } catch (error) {
      return outcomeOf(error);
    }
    const status = poller.getOperationState().status;
    return status === 'succeeded'
      ? { kind: 'succeeded' }
      : { kind: 'failed', message: `the operation ended ${status}` };
  };

  return {
    async apiVersionOf(resourceId) {
      const { sub, client } = armFor(resourceId);
      const key = sub.toLowerCase();
      let resolved = versions.get(key);
      if (!resolved) {
        resolved = (async () => {
          const out: Record<string, string> = {};
          try {
            for await (const provider of client.providers.list()) {
              for (const type of provider.resourceTypes ?? []) {
                const picked = pickApiVersion(type.apiVersions ?? []);
                if (picked && type.resourceType)
                  out[`${provider.namespace}/${type.resourceType}`.toLowerCase()] = picked;
              }
            }
          } catch (error) {
            versions.delete(key);
            throw classifyAzureError(error, `resource providers of subscription ${sub}`);
          }
          return out;
        })();
        versions.set(key, resolved);
      }
      const type = typeFromId(resourceId);
      const version = (await resolved)[type.toLowerCase()];
      if (!version)
        throw new UsageError(
          'usage.no-api-version',
          `no api-version is registered for type ${type} in subscription ${sub}`,
        );
      return version;
    },
    async read(resourceId, apiVersion) {
      const { client } = armFor(resourceId);
      let raw: string | undefined;
      let etag: string | undefined;
      try {
        await client.resources.getById(resourceId, apiVersion, {
          onResponse: (response) => {
            raw = response.bodyAsText ?? undefined;
            etag = response.headers.get('etag') ?? undefined;
          },
        });
        const body = JSON.parse(raw ?? '') as ArmResource;
        const bodyEtag = typeof body.etag === 'string' ? body.etag : undefined;
        const found = bodyEtag ?? etag;
        return { kind: 'resource', body, ...(found ? { etag: found } : {}) };
      } catch (error) {
        if (isRestError(error) && error.statusCode === 404) return { kind: 'gone' };
        return { kind: 'error', message: describeError(error) };
      }
    },
    async write(request, started) {
      let poller: Awaited<ReturnType<typeof begin>>;
      try {
        poller = await begin(request);
      } catch (error) {
        return outcomeOf(error);
      }
      await started(poller.toString());
      return finish(poller);
    },
    async resume(request, operation) {
      let poller: Awaited<ReturnType<typeof begin>>;
      try {
        poller = await begin(request, operation);
      } catch (error) {
        return outcomeOf(error);
      }
      return finish(poller);
    },
  };
}

function outcomeOf(error: unknown): WriteOutcome {
  const message = describeError(error);
  if (isRestError(error) && error.statusCode === 412)
    return { kind: 'precondition-failed', message };
  if (isRestError(error) && error.statusCode === 403) return { kind: 'forbidden', message };
  return { kind: 'failed', message };
}

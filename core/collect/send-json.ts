import type { FullOperationResponse, ServiceClient } from '@azure/core-client';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';

/**
 * Sends a JSON request through an SDK client's pipeline (auth, retries, pacing) and returns the
 * parsed body; an error status becomes a `RestError` carrying ARM's `error.code` and message,
 * like the generated operations throw.
 */
export async function sendJson(
  client: ServiceClient,
  request: { url: string; method: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal },
): Promise<unknown> {
  const pipelineRequest = createPipelineRequest({
    url: request.url,
    method: request.method,
    headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    ...(request.signal ? { abortSignal: request.signal } : {}),
  });
  const response = (await client.sendRequest(pipelineRequest)) as FullOperationResponse;
  let body = response.parsedBody;
  if (body === undefined && response.bodyAsText) {
    try {
      body = JSON.parse(response.bodyAsText);
    } catch {
      throw new RestError('the response body is not valid JSON', {
        code: 'PARSE_ERROR',
        statusCode: response.status,
        request: pipelineRequest,
        response,
      });
    }
  }
  if (response.status >= 400) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new RestError(error?.message ?? `HTTP ${response.status}`, {
      ...(error?.code ? { code: error.code } : {}),
      statusCode: response.status,
      request: pipelineRequest,
      response,
    });
  }
  return body;
}

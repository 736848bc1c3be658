import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ApiRoute } from './api-route.js';
import { ApiErrorSchema } from './api-schemas.js';

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the same zod schemas the router
 * validates with (zod-to-openapi), never written by hand.
 *
 * @example
 * const doc = buildOpenApiDocument(API_ROUTES, { version: '0.1.0' });
 */
export function buildOpenApiDocument(
  routes: readonly ApiRoute[],
  options: { version: string },
): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (dwk_…) from api.keys, or a Microsoft Entra ID access token',
  });
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: ApiErrorSchema } },
  });
  for (const route of routes) {
    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post' | 'delete',
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      security: [{ [bearer.name]: [] }],
      ...(route.access === 'change'
        ? { description: 'Needs change (admin) access to the scope.' }
        : {}),
      request: {
        ...(route.params ? { params: route.params as never } : {}),
        ...(route.query ? { query: route.query as never } : {}),
        ...(route.body
          ? {
              body: {
                content: { 'application/json': { schema: route.body } },
                // A body whose fields are all optional may be left out (`POST …/approve`).
                required: !route.body.safeParse({}).success,
              },
            }
          : {}),
      },
      responses: {
        [route.response.status]: {
          description: route.response.description,
          ...(route.response.schema
            ? { content: { 'application/json': { schema: route.response.schema } } }
            : {}),
        },
        400: error('A parameter is not valid; the message names it and what would be valid'),
        401: error('No credentials, or not valid ones'),
        403: error('The caller may not read or change this scope'),
        404: error('No such thing'),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'driftwatch results API',
      version: options.version,
      description: 'Drift results, summaries, history, scans, baselines and remediations.',
    },
    servers: [{ url: '/api/v1' }],
  });
}

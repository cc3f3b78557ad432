import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { serveOpenApi } from '../src/api/openapi-route.js';
import { entityApiFor } from '../src/api/runtime-api.js';
import { getRuntime } from '../src/runtime.js';
import { toApiRequest, toHttpResponse } from './entities-http.js';
import { errorResponse } from './http.js';
import { processLogger } from './process-logger.js';
import { register } from './register.js';

/** `GET /api/openapi.json`: OpenAPI 3.1 for the configured entities, from the catalog. */
export async function openapi(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    const runtime = getRuntime(process.env, processLogger);
    const api = entityApiFor(runtime);
    return toHttpResponse(await serveOpenApi(api, runtime.database, await toApiRequest(request)));
  } catch (error) {
    return errorResponse(error, context);
  }
}

export const definition = register({
  name: 'openapi',
  trigger: 'http',
  options: { methods: ['GET'], authLevel: 'function', route: 'openapi.json', handler: openapi },
});

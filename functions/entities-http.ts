import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { ApiRequest, ApiResponse } from '../src/api/api-request.js';
import { entityApiFor } from '../src/api/runtime-api.js';
import { getRuntime } from '../src/runtime.js';
import { contextLogger, errorResponse } from './http.js';
import { processLogger } from './process-logger.js';

/** Methods both entity routes accept; the API answers 405 for what a route does not serve. */
export const ENTITY_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;

/** Serves an entity request: the host's request to the core's and the answer back. */
export async function serveEntityRequest(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  let api;
  try {
    api = entityApiFor(getRuntime(process.env, processLogger));
  } catch (error) {
    return errorResponse(error, context);
  }
  const response = await api.handle(await toApiRequest(request), contextLogger(context));
  return toHttpResponse(response);
}

/** The core's request: lower-case headers, route values, body bytes. */
export async function toApiRequest(request: HttpRequest): Promise<ApiRequest> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  const params: ApiRequest['params'] = { entity: request.params.entity ?? '' };
  if (request.params.key !== undefined) params.key = request.params.key;
  const apiRequest: ApiRequest = { method: request.method, url: request.url, headers, params };
  if (hasBody) apiRequest.body = new Uint8Array(await request.arrayBuffer());
  return apiRequest;
}

/** The host's response: JSON bodies as jsonBody, none for 204. */
export function toHttpResponse(response: ApiResponse): HttpResponseInit {
  if (response.body === undefined) return { status: response.status, headers: response.headers };
  return {
    status: response.status,
    jsonBody: response.body,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...response.headers },
  };
}

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ENTITY_METHODS, serveEntityRequest } from './entities-http.js';
import { register } from './register.js';

/**
 * `GET`, `PATCH`, `PUT` and `DELETE /api/{entity}/{key}`: one row by its key, the key's
 * values comma-separated in key order, each URL-encoded.
 */
export function entitiesItem(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return serveEntityRequest(request, context);
}

export const definition = register({
  name: 'entities-item',
  trigger: 'http',
  options: {
    methods: [...ENTITY_METHODS],
    authLevel: 'function',
    route: '{entity}/{key}',
    handler: entitiesItem,
  },
});

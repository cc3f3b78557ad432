import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ENTITY_METHODS, serveEntityRequest } from './entities-http.js';
import { register } from './register.js';

/** `GET /api/{entity}` lists rows; `POST /api/{entity}` inserts one row or an array. */
export function entities(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return serveEntityRequest(request, context);
}

export const definition = register({
  name: 'entities',
  trigger: 'http',
  options: {
    methods: [...ENTITY_METHODS],
    authLevel: 'function',
    route: '{entity}',
    handler: entities,
  },
});

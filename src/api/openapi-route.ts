import type { ApiRequest, ApiResponse } from './api-request.js';
import { jsonAnswer } from './api-request.js';
import type { EntityApi } from './entity-api.js';
import { errorAnswer } from './entity-api.js';
import type { Database } from '../db/database.js';
import { openApiDocument } from './openapi-document.js';
import { publicUrl } from './public-url.js';

/**
 * `GET /api/openapi.json`: the document for the entities as the database describes them
 * now, with the server URL the caller used (proxy headers honoured). 503 when the catalog
 * cannot be read.
 */
export async function serveOpenApi(
  api: EntityApi,
  database: Database,
  request: ApiRequest,
): Promise<ApiResponse> {
  try {
    const tables = await database.run((engine) =>
      Promise.all(api.registry.all().map((entity) => api.catalog.table(engine, entity))),
    );
    const url = publicUrl(request);
    const root = `${url.origin}${url.pathname.replace(/\/openapi\.json\/?$/i, '')}`;
    return jsonAnswer(200, openApiDocument(tables, root));
  } catch (error) {
    return errorAnswer(error);
  }
}

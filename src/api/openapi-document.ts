import type { EntityDefinition } from './entity-registry.js';
import { allows } from './entity-registry.js';
import type { EntityTable } from './entity-table.js';
import { rowSchema } from './openapi-schema.js';

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 description of the configured entities as their tables are now: one path
 * for the collection and one for a row, with only the operations each entity allows.
 *
 * @param serverUrl the absolute URL of the API root, e.g. `https://app.example.com/api`.
 */
export function openApiDocument(tables: readonly EntityTable[], serverUrl: string): Json {
  const paths: Json = {};
  const schemas: Json = { Error: ERROR_SCHEMA };
  for (const table of tables) {
    const name = schemaName(table.entity.name);
    schemas[name] = rowSchema(table);
    paths[`/${table.entity.name}`] = collectionPath(table.entity, name);
    if (table.shape.key.length > 0) paths[`/${table.entity.name}/{key}`] = itemPath(table, name);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Vaultgate', version: '1', description: 'CRUD over the configured tables.' },
    servers: [{ url: serverUrl }],
    security: [{ functionKey: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key' } },
      responses: ERROR_RESPONSES,
    },
  };
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        target: { type: 'string' },
      },
    },
  },
};

const ERROR_STATUSES: Record<string, string> = {
  '400': 'The query, key or body is malformed.',
  '404': 'No such entity or row.',
  '405': 'The entity does not allow this action.',
  '409': 'A unique or foreign-key conflict.',
  '412': 'If-Match or If-None-Match failed.',
  '413': 'More rows than one request may insert.',
  '415': 'The body is not JSON.',
  '422': 'A value does not fit its column.',
  '503': 'Key Vault or the database is unavailable; retry after Retry-After seconds.',
};

const ERROR_RESPONSES = Object.fromEntries(
  Object.entries(ERROR_STATUSES).map(([status, description]) => [
    `E${status}`,
    {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
  ]),
);

function errors(...statuses: string[]): Json {
  return Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/E${s}` }]));
}

function json(schema: Json): Json {
  return { 'application/json': { schema } };
}

function ref(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

const QUERY_OPTIONS = [
  ['$filter', "A condition, e.g. status eq 'paid' and total gt 100."],
  ['$select', 'Columns to return, comma-separated.'],
  ['$orderby', 'Columns to sort by, each optionally followed by asc or desc.'],
  ['$first', 'The page size, capped by the entity.'],
  ['$after', 'The continuation token from nextLink.'],
  ['$count', 'true to include the count of matching rows.'],
].map(([name, description]) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
}));

function collectionPath(entity: EntityDefinition, name: string): Json {
  const path: Json = {};
  if (allows(entity, 'read')) {
    const page = {
      type: 'object',
      properties: {
        value: { type: 'array', items: ref(name) },
        nextLink: { type: 'string' },
        count: { type: 'integer' },
      },
    };
    path.get = {
      operationId: `list-${entity.name}`,
      parameters: QUERY_OPTIONS,
      responses: {
        '200': { description: 'A page of rows.', content: json(page) },
        ...errors('400', '404', '503'),
      },
    };
  }
  if (allows(entity, 'create')) {
    path.post = {
      operationId: `create-${entity.name}`,
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string', maxLength: 200 },
        },
      ],
      requestBody: {
        required: true,
        content: json({ oneOf: [ref(name), { type: 'array', items: ref(name) }] }),
      },
      responses: {
        '201': { description: 'The new row, or for an array the new keys in input order.' },
        ...errors('400', '404', '405', '409', '413', '415', '422', '503'),
      },
    };
  }
  return path;
}

function itemPath(table: EntityTable, name: string): Json {
  const { entity } = table;
  const key = {
    name: 'key',
    in: 'path',
    required: true,
    description: `The key (${table.shape.key.join(', ')}), comma-separated, each URL-encoded.`,
    schema: { type: 'string' },
  };
  const path: Json = { parameters: [key] };
  const row = { description: 'The row.', content: json(ref(name)) };
  if (allows(entity, 'read')) {
    path.get = {
      operationId: `get-${entity.name}`,
      responses: { '200': row, ...errors('400', '404', '503') },
    };
  }
  if (allows(entity, 'update')) {
    path.patch = {
      operationId: `update-${entity.name}`,
      requestBody: { required: true, content: json({ type: 'object' }) },
      responses: { '200': row, ...errors('400', '404', '405', '409', '415', '422', '503') },
    };
  }
  if (allows(entity, 'create') || allows(entity, 'update')) {
    path.put = {
      operationId: `upsert-${entity.name}`,
      requestBody: { required: true, content: json(ref(name)) },
      responses: {
        '200': row,
        '201': row,
        ...errors('400', '405', '409', '412', '415', '422', '503'),
      },
    };
  }
  if (allows(entity, 'delete')) {
    path.delete = {
      operationId: `delete-${entity.name}`,
      responses: {
        '204': { description: 'Deleted.' },
        ...errors('400', '404', '405', '409', '503'),
      },
    };
  }
  return path;
}

/** A component name from an entity name: `order-lines` becomes `OrderLines`. */
function schemaName(entity: string): string {
  return entity
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

import type { ColumnShape } from '../sql/table.js';
import type { EntityTable } from './entity-table.js';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of a column's values as the API sends them. */
export function columnSchema(column: ColumnShape, readOnly: boolean): JsonSchema {
  const schema = { ...TYPE_SCHEMAS[column.type] };
  if (column.type === 'string' && column.maxLength !== undefined)
    schema.maxLength = column.maxLength;
  if (column.nullable && column.type !== 'json') schema.type = [...types(schema), 'null'];
  if (column.identity || readOnly) schema.readOnly = true;
  schema.description = `${column.dbType}${column.hasDefault ? ', has a default' : ''}`;
  return schema;
}

/** The schema of a row: every exposed column; required are those a new row must give. */
export function rowSchema(table: EntityTable): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const column of table.shape.columns) {
    properties[column.name] = columnSchema(column, table.readOnly.has(column.name));
  }
  const required = table.shape.columns
    .filter((c) => !c.nullable && !c.hasDefault && !c.identity && !table.readOnly.has(c.name))
    .map((c) => c.name);
  return { type: 'object', properties, required, additionalProperties: false };
}

const TYPE_SCHEMAS: Record<ColumnShape['type'], JsonSchema> = {
  string: { type: 'string' },
  integer: { type: 'integer', format: 'int32' },
  bigint: { type: ['integer', 'string'], format: 'int64' },
  decimal: { type: ['number', 'string'], description: 'text beyond 15 significant digits' },
  float: { type: 'number', format: 'double' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  datetimeoffset: { type: 'string', format: 'date-time' },
  time: { type: 'string', format: 'time' },
  uuid: { type: 'string', format: 'uuid' },
  json: {},
  binary: { type: 'string', contentEncoding: 'base64' },
};

function types(schema: JsonSchema): string[] {
  const type = schema.type;
  return Array.isArray(type) ? (type as string[]) : [type as string];
}

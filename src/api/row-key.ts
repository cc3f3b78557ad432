import { VaultgateError } from '../errors.js';
import type { SqlValue } from '../sql/sql-value.js';
import type { RowValues } from '../sql/statement.js';
import type { ColumnShape, TableShape } from '../sql/table.js';
import { fitValue } from './column-value.js';

/**
 * The key of one row from the last segment of the request path: the values in key order,
 * comma-separated, each URL-encoded (so a comma inside a value is `%2C`). The raw segment is
 * read from the URL because hosts hand over route values already decoded.
 */
export function parseKey(segment: string, table: TableShape): RowValues {
  if (table.key.length === 0) {
    throw new VaultgateError(
      405,
      'NoKey',
      `'${table.name}' has no primary key, so single rows cannot be addressed; configure a key`,
    );
  }
  const parts = segment.split(',');
  if (parts.length !== table.key.length) {
    throw badKey(
      `the key has ${table.key.length} part(s) (${table.key.join(', ')}), ` +
        `given in that order and separated by commas; found ${parts.length}`,
    );
  }
  const key: RowValues = {};
  table.key.forEach((name, index) => {
    const column = table.columns.find((candidate) => candidate.name === name)!;
    key[name] = keyValue(column, decode(parts[index]!));
  });
  return key;
}

/** The path segment that addresses a row: its key values, encoded, in key order. */
export function keySegment(row: Readonly<Record<string, unknown>>, table: TableShape): string {
  return table.key.map((name) => encodeURIComponent(String(row[name]))).join(',');
}

/** The last path segment of the URL, still percent-encoded. */
export function lastSegment(url: string): string {
  const path = new URL(url).pathname.replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

function keyValue(column: ColumnShape, text: string): Exclude<SqlValue, null> {
  const fitted = fitValue({ ...column, nullable: false }, fromText(column, text));
  if (!fitted.ok) throw badKey(`the key column '${column.name}' ${fitted.reason}`);
  return fitted.value as Exclude<SqlValue, null>;
}

/** Path text as the JSON value a body would hold for the column. */
function fromText(column: ColumnShape, text: string): unknown {
  switch (column.type) {
    case 'integer':
    case 'float':
      return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badKey('the key is not valid URL encoding');
  }
}

function badKey(message: string): VaultgateError {
  return new VaultgateError(400, 'BadKey', message, { target: 'key' });
}

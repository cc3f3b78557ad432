import { createHash } from 'node:crypto';
import { requireColumn } from '../../sql/column-lookup.js';
import type { OrderItem } from '../../sql/order.js';
import type { SqlValue } from '../../sql/sql-value.js';
import type { ColumnShape, TableShape } from '../../sql/table.js';
import { QUERY_LIMITS } from './limits.js';
import { queryError, type OptionContext } from './query-error.js';

const AFTER: OptionContext = { code: 'BadAfter', target: '$after' };

/** What a token carries: the order's fingerprint and the last row's value per order item. */
interface TokenBody {
  o: string;
  v: (string | number | boolean | null)[];
}

/**
 * The `$after` token for the page that follows `row`: base64url JSON of the row's values for
 * every item of the (complete) order, plus a fingerprint of the order, so a token cannot be
 * replayed under another `$orderby`. It is not signed: its values only ever become
 * parameters, so an edited token can move a caller's position but reach nothing else.
 *
 * A shortcoming: a timestamp handed over as a Date keeps only milliseconds, so rows that
 * differ below a millisecond can repeat across pages; this ends when the engines return
 * temporal columns as text, which passes through exactly.
 */
export function encodeAfter(
  order: readonly OrderItem[],
  row: Readonly<Record<string, unknown>>,
  table: TableShape,
): string {
  const values = order.map((item) => {
    const column = requireColumn(table, item.column);
    if (!Object.hasOwn(row, column.name)) {
      throw new Error(`The page query must return the order column ${column.name}.`);
    }
    return tokenValue(column, row[column.name]);
  });
  const body: TokenBody = { o: fingerprint(order, table), v: values };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The position a token holds, as parameter values in order; a 400 BadAfter if it is not ours. */
export function decodeAfter(
  token: string,
  order: readonly OrderItem[],
  table: TableShape,
): SqlValue[] {
  const body = readBody(token);
  if (body.o !== fingerprint(order, table)) {
    throw queryError(AFTER, '$after was issued for a different $orderby; start again without it');
  }
  if (body.v.length !== order.length) throw notOurs();
  return order.map((item, index) =>
    parameterValue(requireColumn(table, item.column), body.v[index]),
  );
}

function readBody(token: string): TokenBody {
  if (token.length > QUERY_LIMITS.maxAfterLength || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw notOurs();
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw notOurs();
  }
  const candidate = body as Partial<TokenBody> | null;
  if (typeof candidate?.o !== 'string' || !Array.isArray(candidate.v)) throw notOurs();
  return candidate as TokenBody;
}

function fingerprint(order: readonly OrderItem[], table: TableShape): string {
  const shape = JSON.stringify([
    table.schema,
    table.name,
    order.map((i) => [i.column, i.direction]),
  ]);
  return createHash('sha256').update(shape).digest('base64url').slice(0, 16);
}

function notOurs() {
  return queryError(
    AFTER,
    '$after is not a continuation token from this API; start again without it',
  );
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const CHECKS: Partial<Record<ColumnShape['type'], RegExp>> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  datetime: /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/,
  time: /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/,
  uuid: /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i,
  binary: /^[A-Za-z0-9+/]*={0,2}$/,
};

/** A token value back to a parameter, checked against the column so a forged one is refused. */
function parameterValue(column: ColumnShape, value: unknown): SqlValue {
  if (value === null) {
    if (column.nullable) return null;
    throw notOurs();
  }
  switch (column.type) {
    case 'integer':
    case 'bigint':
    case 'decimal':
    case 'float':
      if (typeof value === 'number' || (typeof value === 'string' && NUMERIC.test(value))) {
        return value;
      }
      throw notOurs();
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw notOurs();
    case 'string':
      if (typeof value === 'string') return value;
      throw notOurs();
    default:
      return checkedText(column, value);
  }
}

function checkedText(column: ColumnShape, value: unknown): SqlValue {
  const type = column.type === 'datetimeoffset' ? 'datetime' : column.type;
  const pattern = CHECKS[type];
  if (typeof value !== 'string' || pattern === undefined || !pattern.test(value)) throw notOurs();
  return column.type === 'binary' ? Buffer.from(value, 'base64') : value;
}

/** A row value in the token's JSON form; temporal values as ISO text, bytes as base64. */
function tokenValue(column: ColumnShape, value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return dateText(column, value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  throw new Error(`The order column ${column.name} holds a value a token cannot carry.`);
}

/**
 * Drivers hand date-only and time-only values over as Dates: the mssql driver at UTC
 * midnight (or on 1970-01-01 UTC), pg at local midnight. A date at UTC midnight reads in
 * UTC, any other in local time, which gives the stored day under both drivers.
 */
function dateText(column: ColumnShape, value: Date): string {
  const iso = value.toISOString();
  if (column.type === 'time') return iso.slice(11, 23);
  if (column.type !== 'date') return iso;
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

import type { SqlValue } from '../../sql/sql-value.js';
import type { ColumnShape } from '../../sql/table.js';
import { describeToken, type Token } from './lexer.js';
import { queryError, type OptionContext } from './query-error.js';

type Value = Exclude<SqlValue, null>;

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/**
 * The parameter value for a literal compared with the column, checked against the column's
 * type. A mismatch is a 400 at the literal's position saying what the column holds.
 */
export function literalValue(token: Token, column: ColumnShape, context: OptionContext): Value {
  const value = convert(token, column);
  if (value !== undefined) return value;
  const what = describeLiteral(token);
  throw queryError(
    context,
    `${what} at ${token.position} does not fit column '${column.name}', ` +
      `which holds ${HOLDS[column.type]}`,
  );
}

/** Whether the token is a literal at all (as opposed to a column name or punctuation). */
export function isLiteral(token: Token): boolean {
  if (token.kind === 'identifier') return /^(true|false|null)$/i.test(token.text);
  return ['string', 'number', 'datetime', 'date', 'time', 'guid'].includes(token.kind);
}

const HOLDS: Record<ColumnShape['type'], string> = {
  string: "text (write it in quotes: 'like this')",
  integer: 'whole numbers',
  bigint: 'whole numbers',
  decimal: 'numbers',
  float: 'numbers',
  boolean: 'true or false',
  date: 'dates (write 2024-01-31)',
  datetime: 'date-times (write 2024-01-31T12:00:00)',
  datetimeoffset: 'date-times (write 2024-01-31T12:00:00Z)',
  time: 'times of day (write 12:30:00)',
  uuid: 'GUIDs (write 01234567-89ab-cdef-0123-456789abcdef)',
  json: 'JSON, which can only be tested with eq null or ne null',
  binary: 'bytes, which can only be tested with eq null or ne null',
};

function convert(token: Token, column: ColumnShape): Value | undefined {
  switch (column.type) {
    case 'string':
      return token.kind === 'string' ? token.value : undefined;
    case 'integer':
      return integerValue(token, INT32.min, INT32.max);
    case 'bigint':
      return bigintValue(token);
    case 'decimal':
    case 'float':
      return token.kind === 'number' ? numberValue(token.text) : undefined;
    case 'boolean':
      return booleanValue(token);
    case 'date':
      return checked(temporalText(token, 'date', DATE), validDate);
    case 'datetime':
    case 'datetimeoffset':
      return checked(temporalText(token, 'datetime', DATETIME), validDateTime);
    case 'time':
      return checked(temporalText(token, 'time', TIME), validTime);
    case 'uuid':
      return guidValue(token);
    case 'json':
    case 'binary':
      return undefined;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** The literal's text, written bare as OData does or, as people often do, in quotes. */
function temporalText(token: Token, kind: Token['kind'], pattern: RegExp): string | undefined {
  if (token.kind === kind) return token.text;
  if (token.kind === 'string' && pattern.test(token.value!)) return token.value;
  return undefined;
}

function checked(text: string | undefined, valid: (text: string) => boolean): string | undefined {
  return text !== undefined && valid(text) ? text : undefined;
}

function integerValue(token: Token, min: number, max: number): number | undefined {
  if (token.kind !== 'number' || !/^-?\d+$/.test(token.text)) return undefined;
  const value = Number(token.text);
  return value >= min && value <= max ? value : undefined;
}

/** Beyond 2^53 a JS number loses digits, so such values travel as text. */
function bigintValue(token: Token): number | string | undefined {
  if (token.kind !== 'number' || !/^-?\d+$/.test(token.text)) return undefined;
  const value = BigInt(token.text);
  if (value < INT64.min || value > INT64.max) return undefined;
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

/**
 * Up to 15 significant digits survive a double exactly; longer literals travel as text so
 * the server converts them without rounding.
 */
function numberValue(text: string): number | string | undefined {
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const digits = text
    .replace(/[eE].*$/, '')
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '');
  return digits.length <= 15 ? value : text;
}

function booleanValue(token: Token): boolean | undefined {
  if (token.kind !== 'identifier') return undefined;
  const word = token.text.toLowerCase();
  return word === 'true' ? true : word === 'false' ? false : undefined;
}

function guidValue(token: Token): string | undefined {
  const text = token.kind === 'string' ? token.value! : token.kind === 'guid' ? token.text : '';
  return /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(text) ? text.toLowerCase() : undefined;
}

function validDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validTime(text: string): boolean {
  const [hours, minutes, seconds = 0] = text.split(':').map(Number) as number[];
  return hours! < 24 && minutes! < 60 && seconds < 60;
}

function validDateTime(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})T([\d:.]+)(Z|[+-](\d{2}):(\d{2}))?$/.exec(text);
  if (match === null || !validDate(match[1]!) || !validTime(match[2]!)) return false;
  return match[4] === undefined || (Number(match[4]) <= 14 && Number(match[5]) < 60);
}

function describeLiteral(token: Token): string {
  const kind = token.kind === 'identifier' ? 'value' : token.kind === 'guid' ? 'GUID' : token.kind;
  return `the ${kind} ${describeToken(token)}`;
}

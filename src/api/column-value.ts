import { shortText } from '../sql/column-lookup.js';
import type { ColumnShape } from '../sql/table.js';

/**
 * Checks one caller value against its column before any SQL runs, and returns it in the
 * form the dialects bind (bytes for binary, text for big numbers). Returns the reason it
 * does not fit as a sentence fragment ("takes whole numbers ...") instead when it does not.
 */
export function fitValue(
  column: ColumnShape,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (value === null) {
    return column.nullable ? { ok: true, value: null } : { ok: false, reason: 'cannot be null' };
  }
  const fitted = FITTERS[column.type](column, value);
  if (fitted !== undefined) return { ok: true, value: fitted };
  return { ok: false, reason: `takes ${describeType(column)}, not ${describeValue(value)}` };
}

type Fitter = (column: ColumnShape, value: unknown) => unknown;

const INTEGER_RANGES: Record<string, [number, number]> = {
  tinyint: [0, 255],
  smallint: [-32768, 32767],
};
const INT32: [number, number] = [-2147483648, 2147483647];
const INT64: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const NUMERIC_TEXT = /^-?(\d+)(\.(\d+))?([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/;
const TIME = /^(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?$/;
const UUID = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const FITTERS: Record<ColumnShape['type'], Fitter> = {
  string: (column, value) => {
    if (typeof value !== 'string') return undefined;
    // Characters as PostgreSQL counts them; SQL Server's byte-sized varchar may still refuse.
    const length = Array.from(value).length;
    return column.maxLength === undefined || length <= column.maxLength ? value : undefined;
  },
  integer: (column, value) => {
    const [min, max] = INTEGER_RANGES[baseType(column)] ?? INT32;
    return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? value
      : undefined;
  },
  bigint: (_column, value) => {
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text)) return undefined;
    const big = BigInt(text);
    if (big < INT64[0] || big > INT64[1]) return undefined;
    return Number.isSafeInteger(Number(big)) ? Number(big) : text;
  },
  decimal: (column, value) => fitDecimal(column, value),
  float: (_column, value) => {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return typeof value === 'string' && NUMERIC_TEXT.test(value) ? value : undefined;
  },
  boolean: (_column, value) => (typeof value === 'boolean' ? value : undefined),
  date: (_column, value) => (typeof value === 'string' && validDate(value) ? value : undefined),
  datetime: (_column, value) =>
    typeof value === 'string' && validDateTime(value) ? value : undefined,
  datetimeoffset: (_column, value) =>
    typeof value === 'string' && validDateTime(value) ? value : undefined,
  time: (_column, value) => (typeof value === 'string' && validTime(value) ? value : undefined),
  uuid: (_column, value) =>
    typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined,
  json: (_column, value) => value,
  binary: (_column, value) =>
    typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64') : undefined,
};

function fitDecimal(column: ColumnShape, value: unknown): unknown {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = NUMERIC_TEXT.exec(text);
  if (match === null) return undefined;
  if (column.precision !== undefined && column.scale !== undefined && match[4] === undefined) {
    // Extra fraction digits are rounded by the server; extra whole digits overflow.
    const whole = match[1]!.replace(/^0+/, '').length;
    if (whole > column.precision - column.scale) return undefined;
  }
  return value;
}

function validDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validTime(text: string): boolean {
  const match = TIME.exec(text);
  if (match === null) return false;
  return Number(match[1]) < 24 && Number(match[2]) < 60 && Number(match[4] ?? 0) < 60;
}

function validDateTime(text: string): boolean {
  const match = DATETIME.exec(text);
  return match !== null && validDate(match[1]!) && validTime(match[2]!);
}

/** The type name without its modifiers, e.g. `smallint` (both engines spell it so). */
function baseType(column: ColumnShape): string {
  return column.dbType.toLowerCase().replace(/\(.*$/, '');
}

const TYPE_WORDS: Record<ColumnShape['type'], string> = {
  string: 'text',
  integer: 'whole numbers',
  bigint: 'whole numbers (as a number or as digits in a string)',
  decimal: 'numbers',
  float: 'numbers',
  boolean: 'true or false',
  date: 'dates like 2024-01-31',
  datetime: 'date-times like 2024-01-31T12:00:00',
  datetimeoffset: 'date-times like 2024-01-31T12:00:00Z',
  time: 'times of day like 12:30:00',
  uuid: 'GUIDs like 01234567-89ab-cdef-0123-456789abcdef',
  json: 'any JSON value',
  binary: 'bytes written as base64 text',
};

function describeType(column: ColumnShape): string {
  const words = TYPE_WORDS[column.type];
  if (column.type === 'string' && column.maxLength !== undefined) {
    return `${words} of at most ${column.maxLength} characters`;
  }
  if (column.type === 'integer') {
    const [min, max] = INTEGER_RANGES[baseType(column)] ?? INT32;
    return `${words} from ${min} to ${max}`;
  }
  if (column.type === 'decimal' && column.precision !== undefined && column.scale !== undefined) {
    return `${words} of at most ${column.precision - column.scale} digits before the point`;
  }
  return words;
}

/** A value quoted for a message: its JSON, shortened, never more than an excerpt. */
export function describeValue(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return shortText(json);
}

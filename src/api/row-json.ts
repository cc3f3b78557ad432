import type { EngineName } from '../db/engine.js';
import type { ColumnShape, TableShape } from '../sql/table.js';

/**
 * A database row as the JSON a caller gets, with only the named columns, whatever the driver
 * handed over: the same value reads the same from either engine.
 * - whole numbers as numbers, or as digit strings beyond 2^53 (pg and mssql give bigint as
 *   text); decimals as numbers when 15 significant digits hold them, else as text;
 * - dates as `2024-01-31`, times as `12:30:00.000`, date-times as ISO 8601 (with `Z` when
 *   the column keeps an offset, without when it does not); bytes as base64; GUIDs in lower case.
 */
export function toJsonRow(
  row: Readonly<Record<string, unknown>>,
  columns: readonly ColumnShape[],
  engine: EngineName,
): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const column of columns) {
    if (Object.hasOwn(row, column.name))
      json[column.name] = jsonValue(column, row[column.name], engine);
  }
  return json;
}

/** The exposed columns of the table that are in `names`, in the order of `names`. */
export function columnsNamed(table: TableShape, names: readonly string[]): ColumnShape[] {
  return names.map((name) => table.columns.find((column) => column.name === name)!);
}

function jsonValue(column: ColumnShape, value: unknown, engine: EngineName): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return temporalText(column, value, engine);
  switch (column.type) {
    case 'bigint':
    case 'integer':
      return wholeNumber(value);
    case 'decimal':
    case 'float':
      return decimalNumber(value);
    case 'uuid':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'json':
      return typeof value === 'string' && engine === 'mssql' ? parseJson(value) : value;
    default:
      return typeof value === 'bigint' ? value.toString() : value;
  }
}

function wholeNumber(value: unknown): unknown {
  const text = String(value);
  const asNumber = Number(text);
  return /^-?\d+$/.test(text) && Number.isSafeInteger(asNumber) ? asNumber : text;
}

function decimalNumber(value: unknown): unknown {
  if (typeof value === 'number') return value;
  const text = String(value);
  const [whole = '', fraction = ''] = text.replace(/^-/, '').split('.');
  // A double holds 15 significant digits exactly; beyond that the text is the value.
  const digits = whole.replace(/^0+/, '').length + fraction.replace(/0+$/, '').length;
  const asNumber = Number(text);
  return Number.isFinite(asNumber) && digits <= 15 ? asNumber : text;
}

/**
 * pg builds dates and zone-less timestamps from local time; mssql reads them as UTC (its
 * useUTC default). Reading the parts back the same way gives the stored value under both.
 */
function temporalText(column: ColumnShape, value: Date, engine: EngineName): string {
  const utc = engine === 'mssql' || column.type === 'datetimeoffset';
  const parts = utc ? utcParts(value) : localParts(value);
  const date = `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
  const seconds = `${pad(parts.seconds)}.${pad(parts.ms, 3)}`;
  const time = `${pad(parts.hours)}:${pad(parts.minutes)}:${seconds}`;
  if (column.type === 'date') return date;
  if (column.type === 'time') return time;
  return column.type === 'datetimeoffset' ? value.toISOString() : `${date}T${time}`;
}

function utcParts(d: Date) {
  return {
    year: pad(d.getUTCFullYear(), 4),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

function localParts(d: Date) {
  return {
    year: pad(d.getFullYear(), 4),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hours: d.getHours(),
    minutes: d.getMinutes(),
    seconds: d.getSeconds(),
    ms: d.getMilliseconds(),
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

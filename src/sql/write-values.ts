import { VaultgateError } from '../errors.js';
import { requireColumn, shortText } from './column-lookup.js';
import type { RowValues } from './statement.js';
import type { SqlValue } from './sql-value.js';
import type { ColumnShape, TableShape } from './table.js';

/** A catalog column with the parameter value to write or match. */
export interface ColumnValue {
  column: ColumnShape;
  value: SqlValue;
}

/**
 * The columns a write sets, checked against the catalog: every name known, none filled in
 * by the database. Values are turned into parameter values (see toParameter).
 */
export function writableValues(table: TableShape, row: RowValues): ColumnValue[] {
  return Object.entries(row).map(([name, value]) => {
    const column = requireColumn(table, name);
    if (column.identity || column.readOnly) throw notWritable(column);
    return { column, value: toParameter(column, value) };
  });
}

/** The key's columns in key order, each present and not null. */
export function keyValues(table: TableShape, key: RowValues): ColumnValue[] {
  const columns = keyColumns(table);
  for (const name of Object.keys(key)) {
    if (!table.key.includes(name)) requireColumn(table, name);
  }
  return columns.map((column) => {
    const value = key[column.name];
    if (value === undefined || value === null) {
      throw new VaultgateError(422, 'MissingKey', `the key column '${column.name}' needs a value`, {
        target: column.name,
      });
    }
    return { column, value: toParameter(column, value) };
  });
}

/** The key's columns; a table without a key cannot have single rows addressed. */
export function keyColumns(table: TableShape): ColumnShape[] {
  if (table.key.length === 0) {
    throw new VaultgateError(
      405,
      'NoKey',
      `'${table.name}' has no primary key, so single rows cannot be addressed`,
    );
  }
  return table.key.map((name) => requireColumn(table, name));
}

/** The columns a write returns: those asked for, else the key, else (no key) every column. */
export function returningColumns(table: TableShape, returning?: string[]): ColumnShape[] {
  const names = returning ?? (table.key.length > 0 ? table.key : table.columns.map((c) => c.name));
  return names.map((name) => requireColumn(table, name));
}

/** The refusal for writing a column the database fills in. */
export function notWritable(column: ColumnShape): VaultgateError {
  return new VaultgateError(
    422,
    'ColumnNotWritable',
    `column '${column.name}' is filled in by the database; leave it out`,
    { target: column.name },
  );
}

/**
 * A caller's value as a parameter value: json columns take any JSON value and travel as JSON
 * text; binary takes bytes; the rest take scalars (or a Date) and the server converts them.
 */
export function toParameter(column: ColumnShape, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (column.type === 'json') return JSON.stringify(value);
  if (column.type === 'binary' && value instanceof Uint8Array) return value;
  if (value instanceof Date) return value;
  const kind = typeof value;
  if (column.type !== 'binary' && (kind === 'string' || kind === 'number' || kind === 'boolean')) {
    return value as string | number | boolean;
  }
  if (kind === 'bigint') return String(value);
  throw new VaultgateError(
    422,
    'BadValue',
    `column '${shortText(column.name)}' takes a ${column.type} value`,
    { target: column.name },
  );
}

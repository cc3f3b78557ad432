import { VaultgateError } from '../errors.js';
import type { InsertStatement, RowValues } from './statement.js';
import type { SqlValue } from './sql-value.js';
import type { ColumnShape, TableShape } from './table.js';
import { writableValues } from './write-values.js';

/** Rows that share one column list, with their 0-based positions in the caller's input. */
export interface InsertGroup {
  columns: ColumnShape[];
  rows: { ordinal: number; values: Map<string, SqlValue> }[];
}

/**
 * Splits a batch into groups that can share a column list. A row that omits a column with a
 * default must get the default, not NULL, so rows are grouped by which defaulted columns
 * they give; nullable columns without a default simply read as NULL where omitted. Almost
 * every batch is one group, and so one statement.
 */
export function planInsert(statement: InsertStatement): InsertGroup[] {
  const { table, rows } = statement;
  if (rows.length === 0) {
    throw new VaultgateError(400, 'EmptyBatch', 'the request body holds no rows to insert');
  }
  const groups = new Map<string, InsertGroup['rows']>();
  rows.forEach((row, ordinal) => {
    const values = new Map(writableValues(table, row).map((cv) => [cv.column.name, cv.value]));
    const shape = defaultedNames(table, row).join('\u0000');
    const members = groups.get(shape) ?? [];
    members.push({ ordinal, values });
    groups.set(shape, members);
  });
  return [...groups.values()].map((members) => ({
    columns: unionColumns(table, members),
    rows: members,
  }));
}

function defaultedNames(table: TableShape, row: RowValues): string[] {
  return table.columns
    .filter((column) => column.hasDefault && Object.hasOwn(row, column.name))
    .map((column) => column.name);
}

/** Every column some member gives, in table order so the text is stable. */
function unionColumns(table: TableShape, members: InsertGroup['rows']): ColumnShape[] {
  return table.columns.filter((column) => members.some((m) => m.values.has(column.name)));
}

/** A name for a helper column that no table column (or other helper) already uses. */
export function freeName(base: string, taken: readonly string[]): string {
  let name = base;
  while (taken.includes(name)) name = `${name}_`;
  return name;
}

import { VaultgateError } from '../errors.js';
import { unknownColumnMessage } from '../sql/column-lookup.js';
import type { RowValues } from '../sql/statement.js';
import type { ColumnShape } from '../sql/table.js';
import { fitValue } from './column-value.js';
import type { EntityTable } from './entity-table.js';

/** What a body is for: a new row needs every required column; the others need none. */
export type WriteKind = 'insert' | 'update' | 'upsert';

/**
 * Checks each row of a body against the exposed columns before any SQL runs: known names,
 * nothing the database fills in, values that fit the column types, and for inserts every
 * column that has neither a default nor NULL to fall back on. The first mistake is a 422
 * naming the row (for arrays) and the column.
 *
 * @param batch whether the body was an array, so messages name the row index.
 */
export function checkRows(
  table: EntityTable,
  rows: readonly unknown[],
  kind: WriteKind,
  batch: boolean,
): RowValues[] {
  return rows.map((row, index) => checkRow(table, row, kind, batch ? index : undefined));
}

function checkRow(
  table: EntityTable,
  row: unknown,
  kind: WriteKind,
  index: number | undefined,
): RowValues {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw rowError(index, undefined, 'BadRow', 'must be a JSON object of column names and values');
  }
  const checked: RowValues = {};
  for (const [name, value] of Object.entries(row)) {
    const column = table.shape.columns.find((candidate) => candidate.name === name);
    if (column === undefined) {
      throw rowError(index, name, 'UnknownColumn', unknownColumnMessage(table.shape, name));
    }
    const isKey = table.shape.key.includes(name);
    if (!(isKey && kind !== 'insert') && (column.identity || table.readOnly.has(name))) {
      throw rowError(
        index,
        name,
        'ColumnNotWritable',
        `column '${name}' is filled in by the database; leave it out`,
      );
    }
    const fitted = fitValue(column, value);
    if (!fitted.ok) throw rowError(index, name, 'BadValue', `column '${name}' ${fitted.reason}`);
    checked[name] = fitted.value;
  }
  if (kind === 'insert') requireColumns(table, checked, index);
  return checked;
}

/**
 * Refuses a new row that leaves out a column with neither a default nor NULL to fall back
 * on, naming the row (for arrays) and the column.
 */
export function requireColumns(table: EntityTable, row: RowValues, index?: number): void {
  const missing = table.shape.columns.find(
    (column) => needsValue(column, table) && !Object.hasOwn(row, column.name),
  );
  if (missing === undefined) return;
  throw rowError(
    index,
    missing.name,
    'MissingValue',
    `column '${missing.name}' needs a value: it has no default and cannot be null`,
  );
}

function needsValue(column: ColumnShape, table: EntityTable): boolean {
  return (
    !column.nullable && !column.hasDefault && !column.identity && !table.readOnly.has(column.name)
  );
}

function rowError(
  index: number | undefined,
  column: string | undefined,
  code: string,
  message: string,
): VaultgateError {
  const where = index === undefined ? '' : `row ${index}: `;
  const target =
    index === undefined
      ? (column ?? 'body')
      : `[${index}]${column === undefined ? '' : `.${column}`}`;
  return new VaultgateError(422, code, `${where}${message}`, { target });
}

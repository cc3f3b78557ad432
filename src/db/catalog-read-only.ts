import type { TableShape } from '../sql/table.js';

// Keyed by the shape object readTableShape made, so a shape copied or built elsewhere has
// no entry. Ends when ColumnShape carries a read-only flag of its own.
const readOnlyByShape = new WeakMap<TableShape, ReadonlySet<string>>();

const NONE: ReadonlySet<string> = new Set();

/**
 * The columns of a catalog shape that the database computes (PostgreSQL generated columns,
 * SQL Server computed, period and rowversion columns): reads return them, writes must leave
 * them out. Empty for a shape the catalog did not make.
 */
export function readOnlyColumns(table: TableShape): ReadonlySet<string> {
  return readOnlyByShape.get(table) ?? NONE;
}

/** Records the read-only columns of a shape the catalog made. */
export function markReadOnly(table: TableShape, columns: Iterable<string>): void {
  readOnlyByShape.set(table, new Set(columns));
}

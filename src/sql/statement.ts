import type { FilterNode } from './filter.js';
import type { OrderItem } from './order.js';
import type { SqlValue } from './sql-value.js';
import type { TableShape } from './table.js';

/**
 * A page of rows. `order` should already be total (see completeOrder) when `after` is used;
 * `after` holds the previous page's last values, one per order item.
 */
export interface SelectStatement {
  kind: 'select';
  table: TableShape;
  /** Columns to return; empty means every column of the table. */
  columns: string[];
  filter?: FilterNode;
  order: OrderItem[];
  limit: number;
  after?: SqlValue[];
}

/** The number of rows matching the filter, returned as one row with a `count` column. */
export interface CountStatement {
  kind: 'count';
  table: TableShape;
  filter?: FilterNode;
}

/** A row as given by a caller: column name to value; json columns take any JSON value. */
export type RowValues = Record<string, unknown>;

/**
 * Inserts every row in one set-based statement and returns the `returning` columns (the key
 * by default) in input order. A row may omit nullable and defaulted columns.
 */
export interface InsertStatement {
  kind: 'insert';
  table: TableShape;
  rows: RowValues[];
  returning?: string[];
}

/** Sets the given columns of the row with this key; returns the key when the row exists. */
export interface UpdateStatement {
  kind: 'update';
  table: TableShape;
  key: RowValues;
  values: RowValues;
  returning?: string[];
}

/** Deletes the row with this key; returns the key when the row existed. */
export interface DeleteStatement {
  kind: 'delete';
  table: TableShape;
  key: RowValues;
  returning?: string[];
}

/**
 * Writes one row identified by its key, without a race between the check and the write.
 * - `upsert`: insert, or update the given columns when the key exists.
 * - `update-only` (If-Match: *): update; no row returned when the key does not exist.
 * - `insert-only` (If-None-Match: *): insert; no row returned when the key exists.
 */
export interface UpsertStatement {
  kind: 'upsert';
  table: TableShape;
  mode: UpsertMode;
  row: RowValues;
  returning?: string[];
}

export type UpsertMode = 'upsert' | 'update-only' | 'insert-only';

export type Statement =
  | SelectStatement
  | CountStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | UpsertStatement;

/**
 * What a dialect produces. Write statements report what they touched as rows (the returned
 * columns); callers count rows, not the driver's rowCount, which T-SQL batches inflate.
 */
export interface CompiledStatement {
  text: string;
  params: SqlValue[];
}

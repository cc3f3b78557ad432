import type { TableShape } from './table.js';

export type SortDirection = 'asc' | 'desc';

/**
 * One `ORDER BY` term. NULL ordering is fixed for both dialects: NULL sorts as the lowest
 * value (first when ascending, last when descending). That is SQL Server's own rule, so T-SQL
 * needs nothing extra, and the postgres dialect states NULLS FIRST / NULLS LAST explicitly.
 * Keyset paging relies on this rule being the same everywhere.
 */
export interface OrderItem {
  column: string;
  direction: SortDirection;
}

/**
 * The requested order followed by every key column not already in it (ascending), so the
 * order is total and a keyset continuation is exact. A table without a key gets no tail.
 */
export function completeOrder(order: readonly OrderItem[], table: TableShape): OrderItem[] {
  const named = new Set(order.map((item) => item.column));
  const tail = table.key
    .filter((column) => !named.has(column))
    .map((column): OrderItem => ({ column, direction: 'asc' }));
  return [...order, ...tail];
}

/** True when the order contains every key column, so rows cannot tie. */
export function isTotalOrder(order: readonly OrderItem[], table: TableShape): boolean {
  if (table.key.length === 0) return false;
  const named = new Set(order.map((item) => item.column));
  return table.key.every((column) => named.has(column));
}

import type { OrderItem } from './order.js';
import type { ColumnShape, TableShape } from './table.js';

/** The small differences in spelling that the shared compilers ask a dialect about. */
export interface SqlSyntax {
  /** Quotes a catalog identifier so any character in it is taken literally. */
  quote(identifier: string): string;
  /** The placeholder of the 1-based parameter position. */
  placeholder(position: number): string;
  /** Escapes LIKE wildcards (and the escape character) for use with `ESCAPE '\'`. */
  escapeLike(text: string): string;
  /** One ORDER BY term, spelling out the NULL rule of order.ts where the engine needs it. */
  orderTerm(item: OrderItem, column: ColumnShape): string;
}

/** `schema.name`, each part quoted. */
export function qualifiedName(syntax: SqlSyntax, table: TableShape): string {
  return `${syntax.quote(table.schema)}.${syntax.quote(table.name)}`;
}

/** The escape character every LIKE we emit declares. */
export const LIKE_ESCAPE = '\\';

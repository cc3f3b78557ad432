import type { SqlValue } from './sql-value.js';

/** The comparison operators of `$filter`, by their grammar names. */
export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The string-matching functions of `$filter`; each becomes a LIKE with an ESCAPE clause. */
export type MatchFunction = 'contains' | 'startswith' | 'endswith';

/**
 * A filter condition over the columns of one table. Column names are catalog names; values
 * are always compiled to parameters. `and`/`or` are n-ary so long chains stay shallow.
 */
export type FilterNode =
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode }
  | { kind: 'compare'; column: string; op: CompareOp; value: Exclude<SqlValue, null> }
  | { kind: 'in'; column: string; values: Exclude<SqlValue, null>[] }
  | { kind: 'null'; column: string; negated: boolean }
  | { kind: 'match'; column: string; fn: MatchFunction; value: string };

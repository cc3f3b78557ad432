import { requireColumn } from '../sql/column-lookup.js';
import type { FilterNode } from '../sql/filter.js';
import { compileFilter } from '../sql/filter-compiler.js';
import type { ParameterList } from '../sql/parameter-list.js';
import type { SqlSyntax } from '../sql/sql-syntax.js';
import type { ColumnShape, TableShape } from '../sql/table.js';
import type { Dialect } from '../db/engine.js';
import { ConfigurationError } from '../errors.js';

/** Which rows purge and archive touch: older than a cutoff, and the extra filter if any. */
export interface AgeCondition {
  table: TableShape;
  timestampColumn: string;
  cutoff: Date;
  filter?: FilterNode;
}

/**
 * The WHERE condition of an age-based job. The cutoff is one instant, sent as a parameter
 * and cast to the column's own type so an index on the column is used; a column without a
 * time zone is taken to hold UTC.
 */
export function compileAgeCondition(
  condition: AgeCondition,
  dialect: Dialect,
  syntax: SqlSyntax,
  params: ParameterList,
): string {
  const column = requireColumn(condition.table, condition.timestampColumn);
  const placeholder = params.add(condition.cutoff);
  const cutoff = castCutoff(placeholder, column, dialect, condition.table);
  const age = `${syntax.quote(column.name)} < ${cutoff}`;
  if (condition.filter === undefined) return age;
  const extra = compileFilter(condition.filter, { table: condition.table, syntax, params });
  return `${age} AND (${extra})`;
}

function castCutoff(
  placeholder: string,
  column: ColumnShape,
  dialect: Dialect,
  table: TableShape,
): string {
  if (dialect === 'tsql') {
    if (column.type === 'datetimeoffset') return placeholder;
    if (column.type === 'datetime') return `CAST(${placeholder} AS ${column.dbType})`;
    if (column.type === 'date') return `CAST(${placeholder} AS date)`;
  } else {
    if (column.type === 'datetimeoffset') return `${placeholder}::timestamptz`;
    if (column.type === 'datetime') return `(${placeholder}::timestamptz AT TIME ZONE 'UTC')`;
    if (column.type === 'date') return `(${placeholder}::timestamptz AT TIME ZONE 'UTC')::date`;
  }
  throw new ConfigurationError(
    `The column ${column.name} of ${table.schema}.${table.name} is ${column.dbType}; ` +
      'timestampColumn must be a date or timestamp column.',
  );
}

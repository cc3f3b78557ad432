import type { Dialect } from '../db/engine.js';
import { qualifiedName, type SqlSyntax } from '../sql/sql-syntax.js';
import type { TableShape } from '../sql/table.js';
import { compileAgeCondition, type AgeCondition } from './age-condition.js';
import { parametersFor, syntaxFor } from './dialect-syntax.js';
import type { SqlText } from './job-step.js';

/**
 * One purge batch: delete at most `batchSize` of the rows the condition picks. Run alone, the
 * statement is its own transaction. SQL Server deletes with TOP; PostgreSQL has no LIMIT on
 * DELETE, so it picks the batch's keys in a sub-select.
 */
export function purgeBatchSql(
  condition: AgeCondition,
  batchSize: number,
  dialect: Dialect,
): SqlText {
  const syntax = syntaxFor(dialect);
  const params = parametersFor(dialect);
  const where = compileAgeCondition(condition, dialect, syntax, params);
  const table = qualifiedName(syntax, condition.table);
  const text =
    dialect === 'tsql'
      ? `DELETE TOP (${batchSize}) FROM ${table}\nWHERE ${where};`
      : `DELETE FROM ${table}\n${keyBatch(condition.table, where, batchSize, syntax)}`;
  return { text, params: params.values };
}

/** How many rows the condition picks now, for a dry run. */
export function countSql(condition: AgeCondition, dialect: Dialect): SqlText {
  const syntax = syntaxFor(dialect);
  const params = parametersFor(dialect);
  const where = compileAgeCondition(condition, dialect, syntax, params);
  const table = qualifiedName(syntax, condition.table);
  const count = dialect === 'tsql' ? 'COUNT_BIG(*) AS [count]' : 'count(*)::int8 AS "count"';
  return { text: `SELECT ${count}\nFROM ${table}\nWHERE ${where};`, params: params.values };
}

/**
 * `WHERE key IN (SELECT key ... LIMIT n)`: the PostgreSQL way to bound a DELETE. A composite
 * key compares as a row.
 */
export function keyBatch(
  table: TableShape,
  where: string,
  batchSize: number,
  syntax: SqlSyntax,
): string {
  const keys = table.key.map((column) => syntax.quote(column)).join(', ');
  const key = table.key.length === 1 ? keys : `(${keys})`;
  return (
    `WHERE ${key} IN (\n  SELECT ${keys} FROM ${qualifiedName(syntax, table)}\n` +
    `  WHERE ${where}\n  LIMIT ${batchSize})`
  );
}

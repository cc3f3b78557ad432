import type { Dialect } from '../db/engine.js';
import { qualifiedName } from '../sql/sql-syntax.js';
import type { TableShape } from '../sql/table.js';
import { compileAgeCondition, type AgeCondition } from './age-condition.js';
import { parametersFor, syntaxFor } from './dialect-syntax.js';
import type { SqlText } from './job-step.js';
import { keyBatch } from './purge-sql.js';

/**
 * One archive batch: move at most `batchSize` rows into the archive in one statement, so a
 * run that dies mid-way loses no row and copies none twice: the delete and the insert commit
 * together or not at all. `columns` are the archive's columns, each filled from the source
 * column of the same name.
 *
 * SQL Server's OUTPUT ... INTO refuses an archive table with enabled triggers, foreign keys
 * or check constraints pointing elsewhere; keep the archive a plain table.
 */
export function archiveBatchSql(
  condition: AgeCondition,
  archive: TableShape,
  columns: readonly string[],
  batchSize: number,
  dialect: Dialect,
): SqlText {
  const syntax = syntaxFor(dialect);
  const params = parametersFor(dialect);
  const where = compileAgeCondition(condition, dialect, syntax, params);
  const source = qualifiedName(syntax, condition.table);
  const target = qualifiedName(syntax, archive);
  const names = columns.map((column) => syntax.quote(column));
  if (dialect === 'tsql') {
    const text =
      `DELETE TOP (${batchSize}) FROM ${source}\n` +
      `OUTPUT ${names.map((name) => `deleted.${name}`).join(', ')}\n` +
      `INTO ${target} (${names.join(', ')})\n` +
      `WHERE ${where};`;
    return { text, params: params.values };
  }
  const text =
    `WITH moved AS (\n` +
    `DELETE FROM ${source}\n${keyBatch(condition.table, where, batchSize, syntax)}\n` +
    `RETURNING ${names.join(', ')})\n` +
    `INSERT INTO ${target} (${names.join(', ')})\n` +
    `SELECT ${names.join(', ')} FROM moved;`;
  return { text, params: params.values };
}

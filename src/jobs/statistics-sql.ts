import type { Dialect } from '../db/engine.js';
import { qualifiedName } from '../sql/sql-syntax.js';
import type { TableShape } from '../sql/table.js';
import { syntaxFor } from './dialect-syntax.js';
import type { SqlText } from './job-step.js';

/**
 * Refreshes the optimizer statistics of one table: UPDATE STATISTICS (default sampling, as
 * the automatic update would) or ANALYZE.
 */
export function statisticsSql(table: TableShape, dialect: Dialect): SqlText {
  const name = qualifiedName(syntaxFor(dialect), table);
  return {
    text: dialect === 'tsql' ? `UPDATE STATISTICS ${name};` : `ANALYZE ${name};`,
    params: [],
  };
}

import { unknownColumnMessage } from '../../sql/column-lookup.js';
import type { ColumnShape, TableShape } from '../../sql/table.js';
import { describeToken, type Token } from './lexer.js';
import { queryError, type OptionContext } from './query-error.js';

/**
 * The catalog column a query names. An exact match wins; otherwise a match ignoring case is
 * taken when only one column fits (SQL Server names are usually case-insensitive anyway).
 * Only names spelled as identifiers (letters, digits, underscore) can be referred to.
 */
export function resolveColumn(
  token: Token,
  table: TableShape,
  context: OptionContext,
): ColumnShape {
  if (token.kind !== 'identifier') {
    const found = describeToken(token);
    throw queryError(context, `expected a column name at ${token.position}, found ${found}`);
  }
  const exact = table.columns.find((column) => column.name === token.text);
  if (exact !== undefined) return exact;
  const lower = token.text.toLowerCase();
  const loose = table.columns.filter((column) => column.name.toLowerCase() === lower);
  if (loose.length === 1) return loose[0]!;
  throw queryError(context, unknownColumnMessage(table, token.text, token.position));
}

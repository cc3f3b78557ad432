import type { TableShape } from '../../sql/table.js';
import { resolveColumn } from './column-reference.js';
import { describeToken, tokenize } from './lexer.js';
import { QUERY_LIMITS } from './limits.js';
import { checkLength, queryError, type OptionContext } from './query-error.js';

const SELECT: OptionContext = { code: 'BadSelect', target: '$select' };

/**
 * Parses `$select`: catalog column names, comma-separated, or `*` for all of them.
 * Returns the catalog names in the order given.
 *
 * @example parseSelect('id, name', customers) // ['id', 'name']
 */
export function parseSelect(text: string, table: TableShape): string[] {
  checkLength(SELECT, text, QUERY_LIMITS.maxOptionLength);
  const tokens = tokenize(text, SELECT);
  if (tokens.length === 2 && tokens[0]!.kind === '*') {
    return table.columns.map((column) => column.name);
  }
  const names: string[] = [];
  let index = 0;
  for (;;) {
    const token = tokens[index++]!;
    const column = resolveColumn(token, table, SELECT);
    if (names.includes(column.name)) {
      throw queryError(SELECT, `column '${column.name}' at ${token.position} is named twice`);
    }
    names.push(column.name);
    const separator = tokens[index++]!;
    if (separator.kind === 'end') return names;
    if (separator.kind !== ',') {
      throw queryError(
        SELECT,
        `expected ',' or the end at ${separator.position}, found ${describeToken(separator)}`,
      );
    }
  }
}

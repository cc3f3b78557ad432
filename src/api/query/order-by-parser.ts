import type { OrderItem, SortDirection } from '../../sql/order.js';
import type { TableShape } from '../../sql/table.js';
import { resolveColumn } from './column-reference.js';
import { describeToken, tokenize } from './lexer.js';
import { QUERY_LIMITS } from './limits.js';
import { checkLength, queryError, type OptionContext } from './query-error.js';

const ORDER_BY: OptionContext = { code: 'BadOrderBy', target: '$orderby' };

/**
 * Parses `$orderby`: `column [asc|desc]`, comma-separated. Nullable columns are allowed;
 * NULL sorts as the lowest value in both dialects (see src/sql/order.ts). json and binary
 * columns cannot be ordered by. The key is appended later by completeOrder.
 *
 * @example parseOrderBy('total desc, ordered_at', orders)
 */
export function parseOrderBy(text: string, table: TableShape): OrderItem[] {
  checkLength(ORDER_BY, text, QUERY_LIMITS.maxOptionLength);
  const tokens = tokenize(text, ORDER_BY);
  const items: OrderItem[] = [];
  let index = 0;
  for (;;) {
    const token = tokens[index++]!;
    const column = resolveColumn(token, table, ORDER_BY);
    if (column.type === 'json' || column.type === 'binary') {
      throw queryError(
        ORDER_BY,
        `column '${column.name}' at ${token.position} cannot be ordered by`,
      );
    }
    if (items.some((item) => item.column === column.name)) {
      throw queryError(ORDER_BY, `column '${column.name}' at ${token.position} is named twice`);
    }
    let direction: SortDirection = 'asc';
    const word = tokens[index]!;
    if (word.kind === 'identifier' && /^(asc|desc)$/i.test(word.text)) {
      direction = word.text.toLowerCase() as SortDirection;
      index++;
    }
    items.push({ column: column.name, direction });
    if (items.length > QUERY_LIMITS.maxOrderTerms) {
      throw queryError(ORDER_BY, `$orderby has more than ${QUERY_LIMITS.maxOrderTerms} columns`);
    }
    const separator = tokens[index++]!;
    if (separator.kind === 'end') return items;
    if (separator.kind !== ',') {
      throw queryError(
        ORDER_BY,
        `expected 'asc', 'desc', ',' or the end at ${separator.position}, ` +
          `found ${describeToken(separator)}`,
      );
    }
  }
}

import type { FilterNode } from '../../sql/filter.js';
import { completeOrder, isTotalOrder, type OrderItem } from '../../sql/order.js';
import type { SqlValue } from '../../sql/sql-value.js';
import type { CountStatement, SelectStatement } from '../../sql/statement.js';
import type { TableShape } from '../../sql/table.js';
import { decodeAfter } from './after-token.js';
import { parseFilter } from './filter-parser.js';
import { parseCount, parseFirst } from './first-parser.js';
import { parseOrderBy } from './order-by-parser.js';
import { excerpt, queryError } from './query-error.js';
import { parseSelect } from './select-parser.js';

/** The read options of `GET /api/{entity}`, parsed and checked against the table. */
export interface ReadOptions {
  filter?: FilterNode;
  /** The columns the caller asked for, in their order (all columns when `$select` is absent). */
  select: string[];
  /** The complete order: `$orderby` followed by the key (see completeOrder). */
  order: OrderItem[];
  first: number;
  after?: SqlValue[];
  count: boolean;
  /** Whether `$after` tokens can be issued: only when the order is total (the table has a key). */
  pageable: boolean;
}

const KNOWN = ['$filter', '$select', '$orderby', '$first', '$after', '$count'];
const HINTS: Record<string, string> = { $top: '$first', $skip: '$after', $skiptoken: '$after' };

/**
 * Parses every `$` option of a request's query string. Names without `$` (such as the
 * function key `code`) are left alone; an unknown or repeated `$` option is a 400 BadQuery.
 */
export function parseReadOptions(
  query: URLSearchParams,
  table: TableShape,
  limits: { maxPageSize: number },
): ReadOptions {
  checkOptionNames(query);
  const text = (name: string) => query.get(name) ?? undefined;
  const filterText = text('$filter');
  const selectText = text('$select');
  const orderText = text('$orderby');
  const afterText = text('$after');
  const order = completeOrder(orderText === undefined ? [] : parseOrderBy(orderText, table), table);
  return {
    filter: filterText === undefined ? undefined : parseFilter(filterText, table),
    select:
      selectText === undefined ? table.columns.map((c) => c.name) : parseSelect(selectText, table),
    order,
    first: parseFirst(text('$first'), limits.maxPageSize),
    after: afterText === undefined ? undefined : decodeAfter(afterText, order, table),
    count: parseCount(text('$count')),
    pageable: isTotalOrder(order, table),
  };
}

/**
 * The page query for the options. It also fetches the order columns the caller did not
 * select, because the next `$after` token is made from them; drop those from the response.
 */
export function toSelectStatement(options: ReadOptions, table: TableShape): SelectStatement {
  const extra = options.order.map((item) => item.column).filter((c) => !options.select.includes(c));
  const statement: SelectStatement = {
    kind: 'select',
    table,
    columns: [...options.select, ...extra],
    order: options.order,
    limit: options.first,
  };
  if (options.filter !== undefined) statement.filter = options.filter;
  if (options.after !== undefined) statement.after = options.after;
  return statement;
}

/** The `$count=true` query: the rows matching the filter, ignoring paging. */
export function toCountStatement(options: ReadOptions, table: TableShape): CountStatement {
  const statement: CountStatement = { kind: 'count', table };
  if (options.filter !== undefined) statement.filter = options.filter;
  return statement;
}

function checkOptionNames(query: URLSearchParams): void {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!name.startsWith('$')) continue;
    if (!KNOWN.includes(name)) {
      const hint = HINTS[name] === undefined ? '' : `; use ${HINTS[name]}`;
      throw queryError(
        { code: 'BadQuery', target: name.slice(0, 40) },
        `unknown query option ${excerpt(name)}${hint}`,
      );
    }
    if (seen.has(name)) {
      throw queryError({ code: 'BadQuery', target: name }, `${name} is given more than once`);
    }
    seen.add(name);
  }
}

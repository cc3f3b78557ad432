import type { CompareOp, FilterNode, MatchFunction } from './filter.js';
import { requireColumn } from './column-lookup.js';
import type { ParameterList } from './parameter-list.js';
import { LIKE_ESCAPE, type SqlSyntax } from './sql-syntax.js';
import type { TableShape } from './table.js';

const OPERATORS: Record<CompareOp, string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/** Everything compiling a filter needs: the table for names, the dialect, the parameters. */
export interface FilterContext {
  table: TableShape;
  syntax: SqlSyntax;
  params: ParameterList;
}

/**
 * The SQL condition for a filter. Comparisons keep SQL's three-valued logic: a comparison
 * with a NULL column is never true, so `ne` does not match NULLs (ask with `eq null`).
 * Text comparisons and LIKE follow the column's collation: usually case-insensitive on
 * SQL Server, case-sensitive on PostgreSQL.
 */
export function compileFilter(node: FilterNode, context: FilterContext): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return compileLogical(node.kind, node.items, context);
    case 'not':
      return `NOT (${compileFilter(node.item, context)})`;
    case 'compare': {
      const placeholder = context.params.add(node.value);
      return `${column(node.column, context)} ${OPERATORS[node.op]} ${placeholder}`;
    }
    case 'in': {
      const placeholders = node.values.map((value) => context.params.add(value));
      return `${column(node.column, context)} IN (${placeholders.join(', ')})`;
    }
    case 'null':
      return `${column(node.column, context)} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'match':
      return compileMatch(node.column, node.fn, node.value, context);
  }
}

function compileLogical(kind: 'and' | 'or', items: FilterNode[], context: FilterContext): string {
  // An empty conjunction is true and an empty disjunction false, as in logic.
  if (items.length === 0) return kind === 'and' ? '1 = 1' : '1 = 0';
  if (items.length === 1) return compileFilter(items[0]!, context);
  const parts = items.map((item) => {
    const text = compileFilter(item, context);
    const compound = (item.kind === 'and' || item.kind === 'or') && item.items.length > 1;
    return compound ? `(${text})` : text;
  });
  return parts.join(kind === 'and' ? ' AND ' : ' OR ');
}

function compileMatch(
  name: string,
  fn: MatchFunction,
  value: string,
  context: FilterContext,
): string {
  const escaped = context.syntax.escapeLike(value);
  const pattern =
    fn === 'contains' ? `%${escaped}%` : fn === 'startswith' ? `${escaped}%` : `%${escaped}`;
  const placeholder = context.params.add(pattern);
  return `${column(name, context)} LIKE ${placeholder} ESCAPE '${LIKE_ESCAPE}'`;
}

function column(name: string, context: FilterContext): string {
  return context.syntax.quote(requireColumn(context.table, name).name);
}

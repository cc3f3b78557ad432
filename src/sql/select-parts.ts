import type { FilterNode } from './filter.js';
import { compileFilter } from './filter-compiler.js';
import { keysetFilter } from './keyset.js';
import { requireColumn } from './column-lookup.js';
import { ParameterList } from './parameter-list.js';
import type { CountStatement, SelectStatement } from './statement.js';
import { qualifiedName, type SqlSyntax } from './sql-syntax.js';

/** The clauses of a page query, each already in the dialect's spelling, for it to arrange. */
export interface SelectParts {
  columns: string;
  from: string;
  /** ` WHERE ...` or empty. */
  where: string;
  /** ` ORDER BY ...` or empty. */
  orderBy: string;
  /** The placeholder holding the page size. */
  limit: string;
  params: ParameterList;
}

/** Compiles the clauses shared by both dialects; the limit parameter is always the last. */
export function selectParts(statement: SelectStatement, syntax: SqlSyntax): SelectParts {
  const { table } = statement;
  const params = new ParameterList(syntax.placeholder);
  const names = statement.columns.length > 0 ? statement.columns : table.columns.map((c) => c.name);
  const columns = names.map((name) => syntax.quote(requireColumn(table, name).name)).join(', ');

  const conditions: FilterNode[] = [];
  if (statement.filter !== undefined) conditions.push(statement.filter);
  if (statement.after !== undefined) {
    conditions.push(keysetFilter(statement.order, statement.after, table));
  }
  const where = whereClause(conditions, { table, syntax, params });

  const terms = statement.order.map((item) =>
    syntax.orderTerm(item, requireColumn(table, item.column)),
  );
  const orderBy = terms.length > 0 ? ` ORDER BY ${terms.join(', ')}` : '';
  const limit = params.add(statement.limit);
  return { columns, from: qualifiedName(syntax, table), where, orderBy, limit, params };
}

/** The FROM and WHERE of a count, with its parameters. */
export function countParts(
  statement: CountStatement,
  syntax: SqlSyntax,
): Pick<SelectParts, 'from' | 'where' | 'params'> {
  const params = new ParameterList(syntax.placeholder);
  const conditions = statement.filter === undefined ? [] : [statement.filter];
  const where = whereClause(conditions, { table: statement.table, syntax, params });
  return { from: qualifiedName(syntax, statement.table), where, params };
}

function whereClause(
  conditions: FilterNode[],
  context: Parameters<typeof compileFilter>[1],
): string {
  if (conditions.length === 0) return '';
  const node: FilterNode =
    conditions.length === 1 ? conditions[0]! : { kind: 'and', items: conditions };
  return ` WHERE ${compileFilter(node, context)}`;
}

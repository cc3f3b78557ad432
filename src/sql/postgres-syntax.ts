import type { SqlSyntax } from './sql-syntax.js';

/**
 * PostgreSQL spelling: `"name"` with `"` doubled, `$1..$n`, LIKE escaping of `%` and `_`.
 * PostgreSQL sorts NULL highest by default, so nullable columns state our rule (NULL lowest)
 * explicitly; columns that cannot be NULL get no clause, which keeps plain indexes usable.
 */
export const postgresSyntax: SqlSyntax = {
  quote: (identifier) => `"${identifier.replaceAll('"', '""')}"`,
  placeholder: (position) => `$${position}`,
  escapeLike: (text) => text.replace(/[\\%_]/g, '\\$&'),
  orderTerm: (item, column) => {
    const term = `${postgresSyntax.quote(item.column)} ${item.direction.toUpperCase()}`;
    if (!column.nullable) return term;
    return `${term} ${item.direction === 'asc' ? 'NULLS FIRST' : 'NULLS LAST'}`;
  },
};

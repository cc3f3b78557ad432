import type { SqlSyntax } from './sql-syntax.js';

/**
 * T-SQL spelling: `[name]` with `]` doubled, `@p1..@pn` (the engine binds params[i] as
 * p{i+1}), and LIKE escaping of `%`, `_` and `[` (a bracket opens a character class in
 * T-SQL). SQL Server already sorts NULL lowest, which is our rule, so no NULLS clause.
 */
export const tsqlSyntax: SqlSyntax = {
  quote: (identifier) => `[${identifier.replaceAll(']', ']]')}]`,
  placeholder: (position) => `@p${position}`,
  escapeLike: (text) => text.replace(/[\\%_[]/g, '\\$&'),
  orderTerm: (item) => `${tsqlSyntax.quote(item.column)} ${item.direction.toUpperCase()}`,
};

import type { Dialect } from '../db/engine.js';
import { ParameterList } from '../sql/parameter-list.js';
import { postgresSyntax } from '../sql/postgres-syntax.js';
import type { SqlSyntax } from '../sql/sql-syntax.js';
import { tsqlSyntax } from '../sql/tsql-syntax.js';

/** The spelling rules of src/sql for a dialect. */
export function syntaxFor(dialect: Dialect): SqlSyntax {
  return dialect === 'tsql' ? tsqlSyntax : postgresSyntax;
}

/** An empty parameter list handing out the dialect's placeholders. */
export function parametersFor(dialect: Dialect): ParameterList {
  return new ParameterList(syntaxFor(dialect).placeholder);
}

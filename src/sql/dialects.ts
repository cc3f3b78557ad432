import type { Dialect, DialectName } from './dialect.js';
import { postgresDialect } from './postgres-dialect.js';
import { tsqlDialect } from './tsql-dialect.js';

/** The dialect of that name: `tsql` for SQL Server and Azure SQL, `postgres` for PostgreSQL. */
export function dialectFor(name: DialectName): Dialect {
  return name === 'tsql' ? tsqlDialect : postgresDialect;
}

import type { TableShape } from '../sql/table.js';
import { readPostgresColumns } from './catalog-postgres.js';
import { pickRelation, toTableShape, type CatalogColumn } from './catalog-relation.js';
import { readTsqlColumns } from './catalog-tsql.js';
import type { Engine, EngineName } from './engine.js';

/** What the catalog needs of an engine: its name, to pick the query, and a way to run it. */
export type CatalogEngine = Pick<Engine, 'name' | 'query'>;

/** The schema a configured source without one lives in. */
export const DEFAULT_SCHEMA: Readonly<Record<EngineName, string>> = {
  postgres: 'public',
  mssql: 'dbo',
};

/**
 * The shape of a table or view as the engine's catalog describes it, in one round trip, or
 * undefined when no table or view has that name. The exact spelling wins; otherwise a single
 * relation matching ignoring case (PostgreSQL folds unquoted names to lower case, so a
 * configured `Orders` finds `orders`). The shape carries the catalog's spelling.
 *
 * @param schema the configured schema; `public` (PostgreSQL) or `dbo` (SQL Server) if none.
 */
export async function readTableShape(
  engine: CatalogEngine,
  schema: string | undefined,
  name: string,
): Promise<TableShape | undefined> {
  const wantedSchema = schema ?? DEFAULT_SCHEMA[engine.name];
  const columns = await readColumns(engine, wantedSchema, name);
  const relation = pickRelation(columns, wantedSchema, name);
  if (relation === undefined) return undefined;

  return toTableShape(relation);
}

function readColumns(
  engine: CatalogEngine,
  schema: string,
  name: string,
): Promise<CatalogColumn[]> {
  return engine.name === 'postgres'
    ? readPostgresColumns(engine, schema, name)
    : readTsqlColumns(engine, schema, name);
}

import type { Database } from '../db/database.js';
import type { Engine } from '../db/engine.js';
import { dialectFor } from '../sql/dialects.js';
import type { Dialect } from '../sql/dialect.js';
import type { EntityCatalog } from './entity-catalog.js';
import type { EntityDefinition } from './entity-registry.js';
import type { EntityTable } from './entity-table.js';

/** What one request did, for its log line. */
export interface RequestStats {
  rows: number;
  /** Milliseconds spent inside the database path, catalog reads included. */
  dbMs: number;
}

/** What every operation needs: the way to the database, the catalog and the limits. */
export interface OperationContext {
  database: Database;
  catalog: EntityCatalog;
  maxBatchRows: number;
  stats: RequestStats;
}

/** The engine, its dialect and the entity's table, for one unit of work. */
export interface TableWork {
  engine: Engine;
  dialect: Dialect;
  table: EntityTable;
}

/**
 * Runs work on the entity's table through the one path to the database (secret, pool,
 * catalog), timing it for the request's log line.
 */
export function withTable<T>(
  context: OperationContext,
  entity: EntityDefinition,
  work: (unit: TableWork) => Promise<T>,
): Promise<T> {
  return context.database.run(async (engine) => {
    const started = performance.now();
    try {
      return await context.catalog.withTable(engine, entity, (table) =>
        work({ engine, dialect: dialectFor(engine.dialect), table }),
      );
    } finally {
      context.stats.dbMs += performance.now() - started;
    }
  });
}

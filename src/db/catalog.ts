import type { TableShape } from '../sql/table.js';
import { readTableShape, type CatalogEngine } from './catalog-read.js';

export { readTableShape, DEFAULT_SCHEMA, type CatalogEngine } from './catalog-read.js';
export { isSchemaChangeError } from './catalog-schema-change.js';

// A retired version may still have work in flight while the new one warms up; older ones
// are gone with their pools.
const VERSIONS_KEPT = 2;

/**
 * The table shapes of this process, read from the catalog once per secret version: a new
 * version (perhaps a new server or database) starts empty. Concurrent first reads of a table
 * share one catalog query. A table the catalog does not know is not remembered, so creating
 * it later needs no refresh.
 *
 * When a statement fails with isSchemaChangeError, `forget` the table and read it again.
 */
export class Catalog {
  readonly #versions = new Map<string, Map<string, Promise<TableShape | undefined>>>();

  /**
   * The shape of `schema.name` under this secret version, from the cache or the catalog.
   * `schema` is the configured one (undefined for the engine's default) and keys the cache
   * together with `name`, as given.
   */
  table(
    engine: CatalogEngine,
    version: string,
    schema: string | undefined,
    name: string,
  ): Promise<TableShape | undefined> {
    const shapes = this.#shapesOf(version);
    const id = cacheKey(schema, name);
    const cached = shapes.get(id);
    if (cached !== undefined) return cached;

    const reading = readTableShape(engine, schema, name);
    shapes.set(id, reading);
    // A failed read or an unknown table is not kept; the next call asks the catalog again.
    const drop = () => {
      if (shapes.get(id) === reading) shapes.delete(id);
    };
    reading.then((shape) => {
      if (shape === undefined) drop();
    }, drop);
    return reading;
  }

  /** Drops the cached shape, so the next `table` call with the same arguments reads it again. */
  forget(version: string, schema: string | undefined, name: string): void {
    this.#versions.get(version)?.delete(cacheKey(schema, name));
  }

  #shapesOf(version: string): Map<string, Promise<TableShape | undefined>> {
    const existing = this.#versions.get(version);
    if (existing !== undefined) return existing;
    const shapes = new Map<string, Promise<TableShape | undefined>>();
    this.#versions.set(version, shapes);
    for (const older of this.#versions.keys()) {
      if (this.#versions.size <= VERSIONS_KEPT) break;
      this.#versions.delete(older);
    }
    return shapes;
  }
}

function cacheKey(schema: string | undefined, name: string): string {
  return JSON.stringify([schema ?? null, name]);
}

/** The columns of a shape that the database computes: reads return them, writes leave them out. */
export function readOnlyColumns(table: TableShape): ReadonlySet<string> {
  return new Set(table.columns.filter((column) => column.readOnly).map((column) => column.name));
}

import { Catalog, isSchemaChangeError, type CatalogEngine } from '../db/catalog.js';
import type { Engine } from '../db/engine.js';
import { ConfigurationError } from '../errors.js';
import type { EntityDefinition } from './entity-registry.js';
import { entityTable, sourceOf, type EntityTable } from './entity-table.js';

/**
 * The catalog as the API uses it. `Database.run` hands over the engine of the current secret
 * version (one engine per pool per version), so each engine object stands for its version
 * here: a new version brings a new engine and so a fresh cache.
 */
export class EntityCatalog {
  readonly #catalog = new Catalog();
  readonly #versions = new WeakMap<CatalogEngine, string>();
  #next = 0;

  /** The entity's table under this engine, from the cache or the catalog. */
  async table(engine: CatalogEngine, entity: EntityDefinition): Promise<EntityTable> {
    const { schema, name } = sourceOf(entity);
    const shape = await this.#catalog.table(engine, this.#versionOf(engine), schema, name);
    if (shape === undefined) {
      throw new ConfigurationError(
        `vaultgate.json: entities.${entity.name}.source names ${entity.source}, which is not ` +
          'a table or view the database user can see.',
      );
    }
    return entityTable(entity, shape);
  }

  /**
   * Runs work on the entity's table; when it fails because the table changed under the
   * cached shape, reads the shape again and retries once.
   */
  async withTable<T>(
    engine: Engine,
    entity: EntityDefinition,
    work: (table: EntityTable) => Promise<T>,
  ): Promise<T> {
    try {
      return await work(await this.table(engine, entity));
    } catch (error) {
      if (!isSchemaChangeError(error)) throw error;
      const { schema, name } = sourceOf(entity);
      this.#catalog.forget(this.#versionOf(engine), schema, name);
      return work(await this.table(engine, entity));
    }
  }

  #versionOf(engine: CatalogEngine): string {
    let version = this.#versions.get(engine);
    if (version === undefined) {
      version = `engine-${++this.#next}`;
      this.#versions.set(engine, version);
    }
    return version;
  }
}

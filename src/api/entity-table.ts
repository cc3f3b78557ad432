import { ConfigurationError } from '../errors.js';
import type { TableShape } from '../sql/table.js';
import type { EntityDefinition } from './entity-registry.js';

/** An entity's table as callers see it: the exposed columns and the configured key. */
export interface EntityTable {
  entity: EntityDefinition;
  /** Exposed columns only; identifiers in SQL come from here. */
  shape: TableShape;
  /** Columns the database computes: readable, never written. */
  readOnly: ReadonlySet<string>;
}

/** Where an entity's table lives: the configured schema (or none) and name. */
export function sourceOf(entity: EntityDefinition): { schema: string | undefined; name: string } {
  const parts = entity.source.split('.');
  return parts.length === 2
    ? { schema: parts[0], name: parts[1]! }
    : { schema: undefined, name: parts[0]! };
}

/**
 * Applies the entity's configuration to the catalog shape: fields include/exclude and the
 * key. Key columns stay exposed whatever the field lists say, since rows are addressed,
 * paged and located by them. A configured name the table lacks is a configuration error.
 */
export function entityTable(entity: EntityDefinition, catalog: TableShape): EntityTable {
  const key = entity.key ?? catalog.key;
  const path = `entities.${entity.name}`;
  const known = new Set(catalog.columns.map((column) => column.name));
  checkNames(key, known, `${path}.key`, entity);
  const include = entity.fields?.include;
  const exclude = entity.fields?.exclude;
  if (include !== undefined) checkNames(include, known, `${path}.fields.include`, entity);
  if (exclude !== undefined) checkNames(exclude, known, `${path}.fields.exclude`, entity);
  const columns = catalog.columns.filter((column) => {
    if (key.includes(column.name)) return true;
    if (include !== undefined) return include.includes(column.name);
    return exclude === undefined || !exclude.includes(column.name);
  });
  return {
    entity,
    shape: { ...catalog, columns, key: [...key] },
    readOnly: new Set(catalog.columns.filter((c) => c.readOnly).map((c) => c.name)),
  };
}

function checkNames(
  names: readonly string[],
  known: ReadonlySet<string>,
  path: string,
  entity: EntityDefinition,
): void {
  const missing = names.find((name) => !known.has(name));
  if (missing === undefined) return;
  throw new ConfigurationError(
    `vaultgate.json: ${path} names '${missing}', which is not a column of ${entity.source}.`,
  );
}

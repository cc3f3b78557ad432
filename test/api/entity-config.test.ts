import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/api/config.js';
import { EntityRegistry } from '../../src/api/entity-registry.js';
import { entityTable } from '../../src/api/entity-table.js';
import { ConfigurationError, type VaultgateError } from '../../src/errors.js';
import type { TableShape } from '../../src/sql/table.js';

const customers: TableShape = {
  schema: 'public',
  name: 'customers',
  key: ['id'],
  columns: ['id', 'name', 'email'].map((name) => ({
    name,
    type: name === 'id' ? 'integer' : 'string',
    dbType: 'x',
    nullable: false,
    hasDefault: false,
    identity: name === 'id',
  })),
};

function registry(entities: Record<string, unknown>): EntityRegistry {
  return new EntityRegistry(parseConfig({ entities }));
}

describe('entity configuration', () => {
  it('finds configured entities and answers 404 for any other name', () => {
    const entities = registry({ customers: { source: 'customers' } });
    expect(entities.get('customers').actions).toEqual(['read']);
    const error = (() => {
      try {
        entities.get('Customers');
      } catch (e) {
        return e as VaultgateError;
      }
    })();
    expect([error?.status, error?.code]).toEqual([404, 'EntityNotFound']);
  });

  it('refuses entity names the app uses for its own routes', () => {
    expect(() => registry({ maintenance: { source: 'x' } })).toThrow(ConfigurationError);
    expect(() => registry({ health: { source: 'x' } })).toThrow(/'health' is a route of the app/);
  });

  it('exposes included fields plus the key, or all but the excluded ones', () => {
    const included = registry({ c: { source: 'customers', fields: { include: ['name'] } } }).get(
      'c',
    );
    expect(entityTable(included, customers).shape.columns.map((c) => c.name)).toEqual([
      'id',
      'name',
    ]);
    const excluded = registry({ c: { source: 'customers', fields: { exclude: ['email'] } } }).get(
      'c',
    );
    expect(entityTable(excluded, customers).shape.columns.map((c) => c.name)).toEqual([
      'id',
      'name',
    ]);
  });

  it('uses a configured key and names a configured column the table lacks', () => {
    const keyed = registry({ c: { source: 'customers', key: ['email'] } }).get('c');
    expect(entityTable(keyed, customers).shape.key).toEqual(['email']);
    const wrong = registry({ c: { source: 'customers', fields: { include: ['nme'] } } }).get('c');
    expect(() => entityTable(wrong, customers)).toThrow(/entities\.c\.fields\.include names 'nme'/);
  });
});

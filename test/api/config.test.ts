import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/api/config.js';

function mistake(value: unknown): string {
  try {
    parseConfig(value);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseConfig', () => {
  it('fills the defaults of an entity', () => {
    const config = parseConfig({ entities: { orders: { source: 'sales.orders' } } });

    expect(config.entities.orders).toEqual({
      source: 'sales.orders',
      actions: ['read'],
      maxPageSize: 1000,
      ingest: false,
    });
  });

  it('names the path in the file of a wrong value', () => {
    expect(mistake({ entities: { orders: { source: 'x', actions: ['read', 'drop'] } } })).toMatch(
      /^vaultgate\.json is not valid: entities\.orders\.actions\.1: /,
    );
  });

  it('names an unknown key', () => {
    expect(mistake({ entities: { orders: { source: 'x', maxpagesize: 5 } } })).toMatch(
      /entities\.orders: .*maxpagesize/,
    );
  });

  it('refuses a source that is not a table name', () => {
    expect(mistake({ entities: { orders: { source: 'orders; drop table x' } } })).toMatch(
      /entities\.orders\.source: must be `table` or `schema\.table`/,
    );
  });

  it('refuses include and exclude together', () => {
    expect(
      mistake({ entities: { c: { source: 'c', fields: { include: ['a'], exclude: ['b'] } } } }),
    ).toMatch(/entities\.c\.fields: give include or exclude, not both/);
  });
});

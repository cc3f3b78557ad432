import { describe, expect, it } from 'vitest';
import { pickRelation, toTableShape, type CatalogColumn } from '../../src/db/catalog-relation.js';

/** A not-null integer column of schema.table, in the key at keyOrdinal when given. */
function entry(schema: string, table: string, name: string, keyOrdinal?: number): CatalogColumn {
  const column = {
    name,
    type: 'integer' as const,
    dbType: 'int',
    nullable: false,
    hasDefault: false,
    identity: false,
  };
  return { schema, table, column, readOnly: false, keyOrdinal };
}

describe('pickRelation', () => {
  const twins = [entry('dbo', 'Twin', 'a'), entry('dbo', 'twin', 'b'), entry('dbo', 'twin', 'c')];

  it('prefers the relation spelled exactly as configured', () => {
    expect(pickRelation(twins, 'dbo', 'twin')?.map((e) => e.column.name)).toEqual(['b', 'c']);
    expect(pickRelation(twins, 'dbo', 'Twin')?.map((e) => e.column.name)).toEqual(['a']);
  });

  it('takes the only relation found when the spelling differs', () => {
    const found = pickRelation([entry('Sales', 'Regions', 'code')], 'sales', 'REGIONS');
    expect(found?.[0]).toMatchObject({ schema: 'Sales', table: 'Regions' });
  });

  it('chooses nothing between two relations that differ from the configured name', () => {
    expect(pickRelation(twins, 'dbo', 'TWIN')).toBeUndefined();
  });

  it('chooses nothing when the catalog found nothing', () => {
    expect(pickRelation([], 'dbo', 'orders')).toBeUndefined();
  });
});

describe('toTableShape', () => {
  it('keeps column order and sorts the key by key position', () => {
    const relation = [
      entry('dbo', 'lines', 'a', 2),
      entry('dbo', 'lines', 'b'),
      entry('dbo', 'lines', 'c', 1),
    ];
    const shape = toTableShape(relation);
    expect(shape.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(shape.key).toEqual(['c', 'a']);
    expect(shape).toMatchObject({ schema: 'dbo', name: 'lines' });
  });
});

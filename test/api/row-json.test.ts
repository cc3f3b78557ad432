import { describe, expect, it } from 'vitest';
import { toJsonRow } from '../../src/api/row-json.js';
import type { ColumnShape } from '../../src/sql/table.js';

function column(name: string, type: ColumnShape['type']): ColumnShape {
  return { name, type, dbType: type, nullable: true, hasDefault: false, identity: false };
}

const columns = [
  column('day', 'date'),
  column('at', 'datetime'),
  column('stamp', 'datetimeoffset'),
  column('big', 'bigint'),
  column('price', 'decimal'),
  column('guid', 'uuid'),
  column('bytes', 'binary'),
];

describe('toJsonRow', () => {
  it('reads mssql dates and zone-less times as UTC, as the driver made them', () => {
    const row = {
      day: new Date(Date.UTC(2024, 0, 31)),
      at: new Date(Date.UTC(2024, 0, 31, 12, 30, 5, 250)),
      stamp: new Date(Date.UTC(2024, 0, 31, 12)),
      big: '9007199254740993',
      price: 12.5,
      guid: 'ABCDEF01-2345-6789-ABCD-EF0123456789',
      bytes: Buffer.from([1, 2, 3]),
    };
    expect(toJsonRow(row, columns, 'mssql')).toEqual({
      day: '2024-01-31',
      at: '2024-01-31T12:30:05.250',
      stamp: '2024-01-31T12:00:00.000Z',
      big: '9007199254740993',
      price: 12.5,
      guid: 'abcdef01-2345-6789-abcd-ef0123456789',
      bytes: 'AQID',
    });
  });

  it('reads pg dates and zone-less times in local time, as pg made them', () => {
    const row = { day: new Date(2024, 0, 31), at: new Date(2024, 0, 31, 23, 59, 59, 1) };
    expect(toJsonRow(row, columns, 'postgres')).toEqual({
      day: '2024-01-31',
      at: '2024-01-31T23:59:59.001',
    });
  });

  it('gives decimals and bigints as numbers while they stay exact, and text beyond', () => {
    const row = { big: '42', price: '12.50' };
    expect(toJsonRow(row, columns, 'postgres')).toEqual({ big: 42, price: 12.5 });
    const wide = toJsonRow({ price: '1234567890.1234567' }, columns, 'postgres');
    expect(wide).toEqual({ price: '1234567890.1234567' });
  });

  it('keeps only the named columns that the row holds', () => {
    expect(toJsonRow({ day: null, other: 1 }, columns, 'postgres')).toEqual({ day: null });
  });
});

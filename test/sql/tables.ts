import type { ColumnShape, TableShape } from '../../src/sql/table.js';

/** A column with the usual defaults: not null, no default, not identity. */
export function column(
  name: string,
  type: ColumnShape['type'],
  dbType: string,
  extra: Partial<ColumnShape> = {},
): ColumnShape {
  return { name, type, dbType, nullable: false, hasDefault: false, identity: false, ...extra };
}

export const customers: TableShape = {
  schema: 'dbo',
  name: 'customers',
  key: ['id'],
  columns: [
    column('id', 'integer', 'int', { identity: true, hasDefault: true }),
    column('name', 'string', 'nvarchar(200)', { maxLength: 200 }),
    column('email', 'string', 'nvarchar(320)', { nullable: true, maxLength: 320 }),
    column('country', 'string', 'nvarchar(2)', { nullable: true, maxLength: 2 }),
    column('created_at', 'datetimeoffset', 'datetimeoffset(7)', { hasDefault: true }),
  ],
};

export const orders: TableShape = {
  schema: 'dbo',
  name: 'orders',
  key: ['id'],
  columns: [
    column('id', 'integer', 'int', { identity: true, hasDefault: true }),
    column('customer_id', 'integer', 'int'),
    column('status', 'string', 'nvarchar(20)', { hasDefault: true }),
    column('total', 'decimal', 'decimal(12,2)', { precision: 12, scale: 2 }),
    column('ordered_at', 'datetimeoffset', 'datetimeoffset(7)'),
    column('delivered_at', 'datetimeoffset', 'datetimeoffset(7)', { nullable: true }),
  ],
};

/** Composite key, no identity: rows are addressed by (order_id, line_no). */
export const orderLines: TableShape = {
  schema: 'dbo',
  name: 'order_lines',
  key: ['order_id', 'line_no'],
  columns: [
    column('order_id', 'integer', 'int'),
    column('line_no', 'integer', 'int'),
    column('product', 'string', 'nvarchar(100)'),
    column('quantity', 'integer', 'int', { hasDefault: true }),
    column('unit_price', 'decimal', 'decimal(10,2)'),
    column('note', 'string', 'nvarchar(max)', { nullable: true }),
  ],
};

export const events: TableShape = {
  schema: 'dbo',
  name: 'events',
  key: ['id'],
  columns: [
    column('id', 'uuid', 'uniqueidentifier'),
    column('kind', 'string', 'nvarchar(50)'),
    column('payload', 'json', 'nvarchar(max)', { nullable: true }),
    column('active', 'boolean', 'bit'),
    column('happened_on', 'date', 'date', { nullable: true }),
    column('at_time', 'time', 'time(7)', { nullable: true }),
    column('local_at', 'datetime', 'datetime2(7)', { nullable: true }),
    column('weight', 'float', 'float', { nullable: true }),
    column('big', 'bigint', 'bigint', { nullable: true }),
    column('blob', 'binary', 'varbinary(max)', { nullable: true }),
  ],
};

/** Identifiers that need quoting in both dialects. */
export const awkward: TableShape = {
  schema: 'odd]"schema',
  name: 'my]table"',
  key: ['k]"ey'],
  columns: [column('k]"ey', 'string', 'nvarchar(10)'), column('va"l]ue', 'string', 'nvarchar(10)')],
};

/** The same tables as PostgreSQL types, for executing compiled statements. */
export function postgresTable(table: TableShape): TableShape {
  return { ...table, schema: 'public' };
}

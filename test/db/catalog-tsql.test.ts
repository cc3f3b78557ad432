import { randomBytes } from 'node:crypto';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTableShape } from '../../src/db/catalog.js';
import type { TableShape } from '../../src/sql/table.js';

const readOnlyColumns = (shape: TableShape) =>
  new Set(shape.columns.filter((column) => column.readOnly).map((column) => column.name));
import {
  TSQL_CATALOG_SQL,
  tsqlCatalogColumn,
  tsqlCatalogParams,
  tsqlColumnType,
  tsqlDbType,
  type TsqlCatalogRow,
} from '../../src/db/catalog-tsql.js';
import { parseConnectionString } from '../../src/db/connection-string.js';
import { MssqlEngine } from '../../src/db/mssql-engine.js';
import { column as col } from '../sql/tables.js';

/** A row as sys.columns reports an ordinary nullable int column of dbo.t. */
function row(fields: Partial<TsqlCatalogRow>): TsqlCatalogRow {
  return {
    schema_name: 'dbo',
    table_name: 't',
    column_name: 'c',
    type_name: 'int',
    max_length: 4,
    precision: 10,
    scale: 0,
    is_nullable: true,
    is_identity: false,
    is_computed: false,
    generated_always_type: 0,
    has_default: false,
    key_ordinal: null,
    ...fields,
  };
}

describe('the T-SQL catalog query', () => {
  it('reads sys.columns, the base type and the primary key of the OBJECT_ID match', () => {
    expect(TSQL_CATALOG_SQL).toBe(`SELECT s.name AS schema_name,
  o.name AS table_name,
  c.name AS column_name,
  CASE WHEN t.user_type_id <> t.system_type_id THEN COALESCE(b.name, t.name) ELSE t.name END
    AS type_name,
  c.max_length,
  c.[precision],
  c.[scale],
  c.is_nullable,
  c.is_identity,
  c.is_computed,
  c.generated_always_type,
  CAST(CASE WHEN c.default_object_id <> 0 THEN 1 ELSE 0 END AS bit) AS has_default,
  ic.key_ordinal
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
JOIN sys.columns AS c ON c.object_id = o.object_id
JOIN sys.types AS t ON t.user_type_id = c.user_type_id
LEFT JOIN sys.types AS b ON b.user_type_id = c.system_type_id
LEFT JOIN sys.indexes AS i ON i.object_id = o.object_id AND i.is_primary_key = 1
LEFT JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
  AND ic.column_id = c.column_id AND ic.key_ordinal > 0
WHERE o.type IN ('U', 'V')
  AND (o.object_id = OBJECT_ID(@p1)
    OR (OBJECT_ID(@p1) IS NULL AND LOWER(s.name) = LOWER(@p2) AND LOWER(o.name) = LOWER(@p3)))
ORDER BY s.name, o.name, c.column_id;`);
  });

  it('passes the quoted two-part name first, then schema and name as they are', () => {
    expect(tsqlCatalogParams('dbo', 'orders')).toEqual(['[dbo].[orders]', 'dbo', 'orders']);
    expect(tsqlCatalogParams('odd]s', 'my.t]')).toEqual(['[odd]]s].[my.t]]]', 'odd]s', 'my.t]']);
  });
});

describe('reading a T-SQL catalog row', () => {
  it('gives nvarchar its length in characters and nvarchar(max) none', () => {
    expect(tsqlCatalogColumn(row({ type_name: 'nvarchar', max_length: 400 })).column).toEqual(
      col('c', 'string', 'nvarchar(200)', { nullable: true, maxLength: 200 }),
    );
    expect(tsqlCatalogColumn(row({ type_name: 'nvarchar', max_length: -1 })).column).toEqual(
      col('c', 'string', 'nvarchar(max)', { nullable: true }),
    );
  });

  it('gives varchar, char, binary and varbinary their length in bytes', () => {
    expect(tsqlDbType(row({ type_name: 'varchar', max_length: 30 }))).toBe('varchar(30)');
    expect(tsqlDbType(row({ type_name: 'char', max_length: 4 }))).toBe('char(4)');
    expect(tsqlDbType(row({ type_name: 'nchar', max_length: 4 }))).toBe('nchar(2)');
    const blob = tsqlCatalogColumn(row({ type_name: 'varbinary', max_length: 16 })).column;
    expect(blob).toMatchObject({ type: 'binary', dbType: 'varbinary(16)', maxLength: 16 });
    expect(tsqlDbType(row({ type_name: 'varbinary', max_length: -1 }))).toBe('varbinary(max)');
    expect(tsqlDbType(row({ type_name: 'binary', max_length: 8 }))).toBe('binary(8)');
  });

  it('gives decimal and money their precision and scale', () => {
    const total = row({ type_name: 'decimal', max_length: 9, precision: 12, scale: 2 });
    expect(tsqlCatalogColumn(total).column).toEqual(
      col('c', 'decimal', 'decimal(12,2)', { nullable: true, precision: 12, scale: 2 }),
    );
    const price = row({ type_name: 'money', max_length: 8, precision: 19, scale: 4 });
    expect(tsqlCatalogColumn(price).column).toMatchObject({
      type: 'decimal',
      dbType: 'money',
      precision: 19,
      scale: 4,
    });
  });

  it('spells the fractional seconds of datetime2, datetimeoffset and time', () => {
    expect(tsqlDbType(row({ type_name: 'datetime2', scale: 3 }))).toBe('datetime2(3)');
    expect(tsqlDbType(row({ type_name: 'datetimeoffset', scale: 7 }))).toBe('datetimeoffset(7)');
    expect(tsqlDbType(row({ type_name: 'time', scale: 0 }))).toBe('time(0)');
    expect(tsqlDbType(row({ type_name: 'datetime', scale: 3 }))).toBe('datetime');
    expect(tsqlDbType(row({ type_name: 'float', precision: 53 }))).toBe('float');
  });

  it('reads an identity key column as identity, defaulted and not null', () => {
    const id = row({ column_name: 'id', is_nullable: false, is_identity: true, key_ordinal: 1 });
    expect(tsqlCatalogColumn(id)).toEqual({
      schema: 'dbo',
      table: 't',
      column: col('id', 'integer', 'int', { identity: true, hasDefault: true }),
      readOnly: false,
      keyOrdinal: 1,
    });
  });

  it('reads a DEFAULT constraint as a default', () => {
    const status = row({ type_name: 'nvarchar', max_length: 40, has_default: true });
    expect(tsqlCatalogColumn(status).column.hasDefault).toBe(true);
    expect(tsqlCatalogColumn(status).readOnly).toBe(false);
  });

  it('marks computed, period and rowversion columns read-only and defaulted', () => {
    const computed = tsqlCatalogColumn(row({ is_computed: true }));
    const period = tsqlCatalogColumn(row({ type_name: 'datetime2', generated_always_type: 1 }));
    const version = tsqlCatalogColumn(row({ type_name: 'timestamp', max_length: 8 }));
    for (const entry of [computed, period, version]) {
      expect(entry.readOnly).toBe(true);
      expect(entry.column.hasDefault).toBe(true);
      expect(entry.column.identity).toBe(false);
    }
    expect(version.column).toMatchObject({ type: 'binary', dbType: 'timestamp' });
  });

  it.each([
    ['tinyint', 'integer'],
    ['smallint', 'integer'],
    ['int', 'integer'],
    ['bigint', 'bigint'],
    ['numeric', 'decimal'],
    ['smallmoney', 'decimal'],
    ['real', 'float'],
    ['float', 'float'],
    ['bit', 'boolean'],
    ['date', 'date'],
    ['datetime', 'datetime'],
    ['datetime2', 'datetime'],
    ['smalldatetime', 'datetime'],
    ['datetimeoffset', 'datetimeoffset'],
    ['time', 'time'],
    ['uniqueidentifier', 'uuid'],
    ['json', 'json'],
    ['image', 'binary'],
    ['nchar', 'string'],
    ['xml', 'string'],
    ['sql_variant', 'string'],
    ['hierarchyid', 'string'],
  ])('maps %s to %s', (typeName, type) => {
    expect(tsqlColumnType(typeName)).toBe(type);
  });
});

/** A real SQL Server or Azure SQL database; these tests are skipped without one. */
const cs = process.env.MSSQL_TEST_CONNECTION_STRING;

describe.skipIf(!cs)('readTableShape on SQL Server (MSSQL_TEST_CONNECTION_STRING)', () => {
  const schema = `catalog_${randomBytes(4).toString('hex')}`;
  let engine: MssqlEngine;

  beforeAll(async () => {
    const config = parseConnectionString(cs!, { credential: new DefaultAzureCredential() });
    if (config.engine !== 'mssql') throw new Error('MSSQL_TEST_CONNECTION_STRING is not ADO.NET');
    engine = new MssqlEngine(config.mssql);
    await engine.query(`CREATE SCHEMA [${schema}]`);
    await engine.query(`CREATE TYPE [${schema}].[code_t] FROM nvarchar(10) NOT NULL`);
    await engine.query(`CREATE TABLE [${schema}].[every_type] (
      c_id int IDENTITY(1, 1) NOT NULL,
      c_line int NOT NULL,
      c_tinyint tinyint NULL,
      c_bigint bigint NULL,
      c_decimal decimal(12, 2) NULL,
      c_money money NULL,
      c_real real NULL,
      c_float float NULL,
      c_bit bit NOT NULL DEFAULT 0,
      c_date date NULL,
      c_datetime datetime NULL,
      c_datetime2 datetime2(3) NULL,
      c_dto datetimeoffset NULL,
      c_time time(0) NULL,
      c_guid uniqueidentifier NOT NULL DEFAULT NEWID(),
      c_varbinary varbinary(16) NULL,
      c_blob varbinary(max) NULL,
      c_varchar varchar(30) NULL,
      c_nvarchar nvarchar(200) NULL,
      c_note nvarchar(max) NULL,
      c_xml xml NULL,
      c_code [${schema}].[code_t],
      c_version rowversion,
      c_double AS (c_line * 2),
      CONSTRAINT [PK_${schema}_every_type] PRIMARY KEY (c_line, c_id)
    )`);
    await engine.query(
      `CREATE VIEW [${schema}].[every_view] AS SELECT c_line, c_note FROM [${schema}].[every_type]`,
    );
    await engine.query(`CREATE PROCEDURE [${schema}].[every_proc] AS SELECT 1 AS one`);
  });
  afterAll(async () => {
    if (engine === undefined) return;
    await engine.query(`DROP PROCEDURE IF EXISTS [${schema}].[every_proc]`);
    await engine.query(`DROP VIEW IF EXISTS [${schema}].[every_view]`);
    await engine.query(`DROP TABLE IF EXISTS [${schema}].[every_type]`);
    await engine.query(`DROP TYPE IF EXISTS [${schema}].[code_t]`);
    await engine.query(`DROP SCHEMA IF EXISTS [${schema}]`);
    await engine.close();
  });

  it('reads a column of every type, the key in key order and the read-only columns', async () => {
    const shape = await readTableShape(engine, schema, 'every_type');
    const n = { nullable: true };
    expect(shape).toMatchObject({ schema, name: 'every_type', key: ['c_line', 'c_id'] });
    expect(shape?.columns.slice(0, -2)).toEqual([
      col('c_id', 'integer', 'int', { identity: true, hasDefault: true }),
      col('c_line', 'integer', 'int'),
      col('c_tinyint', 'integer', 'tinyint', n),
      col('c_bigint', 'bigint', 'bigint', n),
      col('c_decimal', 'decimal', 'decimal(12,2)', { ...n, precision: 12, scale: 2 }),
      col('c_money', 'decimal', 'money', { ...n, precision: 19, scale: 4 }),
      col('c_real', 'float', 'real', n),
      col('c_float', 'float', 'float', n),
      col('c_bit', 'boolean', 'bit', { hasDefault: true }),
      col('c_date', 'date', 'date', n),
      col('c_datetime', 'datetime', 'datetime', n),
      col('c_datetime2', 'datetime', 'datetime2(3)', n),
      col('c_dto', 'datetimeoffset', 'datetimeoffset(7)', n),
      col('c_time', 'time', 'time(0)', n),
      col('c_guid', 'uuid', 'uniqueidentifier', { hasDefault: true }),
      col('c_varbinary', 'binary', 'varbinary(16)', { ...n, maxLength: 16 }),
      col('c_blob', 'binary', 'varbinary(max)', n),
      col('c_varchar', 'string', 'varchar(30)', { ...n, maxLength: 30 }),
      col('c_nvarchar', 'string', 'nvarchar(200)', { ...n, maxLength: 200 }),
      col('c_note', 'string', 'nvarchar(max)', n),
      col('c_xml', 'string', 'xml', n),
      col('c_code', 'string', 'nvarchar(10)', { maxLength: 10 }),
    ]);
    expect(shape?.columns.slice(-2)).toMatchObject([
      { name: 'c_version', type: 'binary', dbType: 'timestamp', hasDefault: true },
      { name: 'c_double', type: 'integer', dbType: 'int', hasDefault: true, identity: false },
    ]);
    expect([...readOnlyColumns(shape!)]).toEqual(['c_version', 'c_double']);
  });

  it('reads a view with no key', async () => {
    const shape = await readTableShape(engine, schema, 'every_view');
    expect(shape?.key).toEqual([]);
    expect(shape?.columns.map((c) => [c.name, c.dbType])).toEqual([
      ['c_line', 'int'],
      ['c_note', 'nvarchar(max)'],
    ]);
  });

  it('returns undefined for an unknown table and for a procedure', async () => {
    expect(await readTableShape(engine, schema, 'no_such_table')).toBeUndefined();
    expect(await readTableShape(engine, schema, 'every_proc')).toBeUndefined();
  });

  it('finds a table ignoring case and reports the catalog spelling', async () => {
    const shape = await readTableShape(engine, schema.toUpperCase(), 'EVERY_TYPE');
    expect(shape).toMatchObject({ schema, name: 'every_type' });
  });
});

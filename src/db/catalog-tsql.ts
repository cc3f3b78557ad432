import { tsqlSyntax } from '../sql/tsql-syntax.js';
import type { ColumnShape, ColumnType } from '../sql/table.js';
import type { CatalogColumn } from './catalog-relation.js';
import type { Queryable } from './engine.js';

/**
 * Every column of the table or view OBJECT_ID finds for the quoted two-part name @p1, in
 * column order. Under a case-sensitive collation OBJECT_ID matches the exact spelling only,
 * so when it finds nothing the relations whose schema (@p2) and name (@p3) match ignoring
 * case are listed instead. An alias type (sysname too) is described by its system type;
 * `key_ordinal` is the position in the primary key.
 */
export const TSQL_CATALOG_SQL = `SELECT s.name AS schema_name,
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
ORDER BY s.name, o.name, c.column_id;`;

/** A row of TSQL_CATALOG_SQL as mssql returns it. */
export interface TsqlCatalogRow {
  schema_name: string;
  table_name: string;
  column_name: string;
  type_name: string;
  /** In bytes; -1 for (max). */
  max_length: number;
  precision: number;
  scale: number;
  is_nullable: boolean;
  is_identity: boolean;
  is_computed: boolean;
  /** Non-zero for the period columns of a system-versioned table. */
  generated_always_type: number;
  has_default: boolean;
  key_ordinal: number | null;
}

const TYPES: Readonly<Record<string, ColumnType>> = {
  tinyint: 'integer',
  smallint: 'integer',
  int: 'integer',
  bigint: 'bigint',
  decimal: 'decimal',
  numeric: 'decimal',
  money: 'decimal',
  smallmoney: 'decimal',
  real: 'float',
  float: 'float',
  bit: 'boolean',
  date: 'date',
  datetime: 'datetime',
  datetime2: 'datetime',
  smalldatetime: 'datetime',
  datetimeoffset: 'datetimeoffset',
  time: 'time',
  uniqueidentifier: 'uuid',
  json: 'json',
  binary: 'binary',
  varbinary: 'binary',
  image: 'binary',
  // SQL Server's timestamp is rowversion: eight bytes, not a point in time.
  timestamp: 'binary',
  rowversion: 'binary',
};

const BYTE_LENGTH = new Set(['char', 'varchar', 'binary', 'varbinary']);
const CHAR_LENGTH = new Set(['nchar', 'nvarchar']);
const EXACT_NUMERIC = new Set(['decimal', 'numeric', 'money', 'smallmoney']);
const FRACTIONAL_SECONDS = new Set(['datetime2', 'datetimeoffset', 'time']);
const ROWVERSION = new Set(['timestamp', 'rowversion']);
// sys.columns gives nchar and nvarchar lengths in bytes, two to a character.
const NCHAR_BYTES = 2;

/** The parameters of TSQL_CATALOG_SQL: the quoted two-part name, then schema and name. */
export function tsqlCatalogParams(schema: string, name: string): [string, string, string] {
  return [`${tsqlSyntax.quote(schema)}.${tsqlSyntax.quote(name)}`, schema, name];
}

/** The columns of the relation that schema and name mean, in column order. */
export async function readTsqlColumns(
  engine: Queryable,
  schema: string,
  name: string,
): Promise<CatalogColumn[]> {
  const params = tsqlCatalogParams(schema, name);
  const result = await engine.query<TsqlCatalogRow>(TSQL_CATALOG_SQL, params);
  return result.rows.map(tsqlCatalogColumn);
}

/** The portable type of a SQL Server system type name; unknown types are strings. */
export function tsqlColumnType(typeName: string): ColumnType {
  return TYPES[typeName] ?? 'string';
}

/** A catalog row as the portable column, with whether the database fills it in. */
export function tsqlCatalogColumn(row: TsqlCatalogRow): CatalogColumn {
  const rowversion = ROWVERSION.has(row.type_name);
  const readOnly = row.is_computed || row.generated_always_type !== 0 || rowversion;
  const column: ColumnShape = {
    name: row.column_name,
    type: tsqlColumnType(row.type_name),
    dbType: tsqlDbType(row),
    nullable: row.is_nullable,
    hasDefault: row.has_default || row.is_identity || readOnly,
    identity: row.is_identity,
    ...tsqlTypeModifiers(row),
  };
  return {
    schema: row.schema_name,
    table: row.table_name,
    column,
    readOnly,
    keyOrdinal: row.key_ordinal ?? undefined,
  };
}

/** The declaration of the column's type, e.g. `nvarchar(200)`, `decimal(12,2)`. */
export function tsqlDbType(
  row: Pick<TsqlCatalogRow, 'type_name' | 'max_length' | 'precision' | 'scale'>,
): string {
  const type = row.type_name;
  if (BYTE_LENGTH.has(type) || CHAR_LENGTH.has(type)) return `${type}(${lengthText(row)})`;
  if (type === 'decimal' || type === 'numeric') return `${type}(${row.precision},${row.scale})`;
  if (FRACTIONAL_SECONDS.has(type)) return `${type}(${row.scale})`;
  return type;
}

function lengthText(row: Pick<TsqlCatalogRow, 'type_name' | 'max_length'>): string {
  return row.max_length === -1 ? 'max' : String(characters(row));
}

function characters(row: Pick<TsqlCatalogRow, 'type_name' | 'max_length'>): number {
  return CHAR_LENGTH.has(row.type_name) ? row.max_length / NCHAR_BYTES : row.max_length;
}

function tsqlTypeModifiers(
  row: TsqlCatalogRow,
): Pick<ColumnShape, 'maxLength' | 'precision' | 'scale'> {
  const type = row.type_name;
  if (BYTE_LENGTH.has(type) || CHAR_LENGTH.has(type)) {
    return row.max_length === -1 ? {} : { maxLength: characters(row) };
  }
  if (EXACT_NUMERIC.has(type)) return { precision: row.precision, scale: row.scale };
  return {};
}

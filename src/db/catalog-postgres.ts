import type { ColumnShape, ColumnType } from '../sql/table.js';
import type { CatalogColumn } from './catalog-relation.js';
import type { Queryable } from './engine.js';

/**
 * Every column of the tables, views, materialized views and foreign tables whose schema and
 * name match $1 and $2 ignoring case, in column order. A domain is described by its base type;
 * identity and generated columns count as having a default; `key_ordinal` is the position in
 * the primary key (INCLUDE columns are not part of it).
 */
export const POSTGRES_CATALOG_SQL = `select n.nspname as schema_name,
  c.relname as table_name,
  a.attname as column_name,
  format_type(a.atttypid, a.atttypmod) as db_type,
  coalesce(b.typname, t.typname) as base_type,
  case when t.typtype = 'd' then t.typtypmod else a.atttypmod end as type_mod,
  not (a.attnotnull or (t.typtype = 'd' and t.typnotnull)) as nullable,
  a.atthasdef or a.attidentity <> '' as has_default,
  a.attidentity <> '' as is_identity,
  a.attgenerated <> '' as is_generated,
  k.ordinal::int4 as key_ordinal
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
join pg_catalog.pg_type t on t.oid = a.atttypid
left join pg_catalog.pg_type b on t.typtype = 'd' and b.oid = t.typbasetype
left join lateral (
  select pk.ordinal
  from pg_catalog.pg_index i
  cross join lateral unnest(i.indkey) with ordinality as pk (attnum, ordinal)
  where i.indrelid = c.oid and i.indisprimary
    and pk.attnum = a.attnum and pk.ordinal <= i.indnkeyatts
) k on true
where lower(n.nspname) = lower($1) and lower(c.relname) = lower($2)
  and c.relkind in ('r', 'p', 'v', 'm', 'f')
order by n.nspname, c.relname, a.attnum`;

/** A row of POSTGRES_CATALOG_SQL as pg returns it. */
export interface PostgresCatalogRow {
  schema_name: string;
  table_name: string;
  column_name: string;
  db_type: string;
  base_type: string;
  type_mod: number;
  nullable: boolean;
  has_default: boolean;
  is_identity: boolean;
  is_generated: boolean;
  key_ordinal: number | null;
}

const TYPES: Readonly<Record<string, ColumnType>> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'bigint',
  numeric: 'decimal',
  money: 'decimal',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  date: 'date',
  timestamp: 'datetime',
  timestamptz: 'datetimeoffset',
  time: 'time',
  timetz: 'time',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
  bytea: 'binary',
};

// The type modifier of varchar(n) and char(n) is n plus the 4-byte header length.
const TYPMOD_HEADER = 4;

/** The columns of every relation matching schema and name ignoring case, in column order. */
export async function readPostgresColumns(
  engine: Queryable,
  schema: string,
  name: string,
): Promise<CatalogColumn[]> {
  const result = await engine.query<PostgresCatalogRow>(POSTGRES_CATALOG_SQL, [schema, name]);
  return result.rows.map(toCatalogColumn);
}

/** The portable type of a PostgreSQL type name (pg_type.typname); unknown types are strings. */
export function postgresColumnType(typeName: string): ColumnType {
  return TYPES[typeName] ?? 'string';
}

function toCatalogColumn(row: PostgresCatalogRow): CatalogColumn {
  const column: ColumnShape = {
    name: row.column_name,
    type: postgresColumnType(row.base_type),
    dbType: row.db_type,
    nullable: row.nullable,
    hasDefault: row.has_default,
    identity: row.is_identity,
    ...typeModifiers(row.base_type, row.type_mod),
  };
  return {
    schema: row.schema_name,
    table: row.table_name,
    column,
    readOnly: row.is_generated,
    keyOrdinal: row.key_ordinal ?? undefined,
  };
}

/** The length, precision and scale a type modifier carries; -1 means none was given. */
export function typeModifiers(
  typeName: string,
  typeMod: number,
): Pick<ColumnShape, 'maxLength' | 'precision' | 'scale'> {
  if (typeMod < TYPMOD_HEADER) return {};
  const packed = typeMod - TYPMOD_HEADER;
  if (typeName === 'varchar' || typeName === 'bpchar') return { maxLength: packed };
  if (typeName !== 'numeric') return {};
  // Precision sits in the high 16 bits; the scale is an 11-bit signed number since PG 15.
  return { precision: (packed >> 16) & 0xffff, scale: ((packed & 0x7ff) ^ 1024) - 1024 };
}

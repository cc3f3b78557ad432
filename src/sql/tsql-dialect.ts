import type { Dialect } from './dialect.js';
import { freeName, planInsert, type InsertGroup } from './insert-plan.js';
import { ParameterList } from './parameter-list.js';
import { countParts, selectParts } from './select-parts.js';
import { qualifiedName } from './sql-syntax.js';
import type { SqlValue } from './sql-value.js';
import type {
  CompiledStatement,
  CountStatement,
  DeleteStatement,
  InsertStatement,
  SelectStatement,
  Statement,
  UpdateStatement,
  UpsertStatement,
} from './statement.js';
import type { ColumnShape, TableShape } from './table.js';
import { tsqlSyntax } from './tsql-syntax.js';
import { nothingToUpdate, planUpdate } from './update-plan.js';
import { keyValues, notWritable, returningColumns, type ColumnValue } from './write-values.js';

const q = tsqlSyntax.quote;

/**
 * SQL Server 2019+ and Azure SQL. Writes collect what they touched with `OUTPUT ... INTO`
 * a table variable and select it at the end: plain OUTPUT is refused on tables with
 * triggers, and the table variable lets a batch insert return keys in input order.
 * OPENJSON needs database compatibility level 130 or later, and the JSON parameter must be
 * bound as nvarchar(max).
 */
export const tsqlDialect: Dialect = {
  name: 'tsql',
  quote: q,
  compile(statement: Statement): CompiledStatement {
    switch (statement.kind) {
      case 'select':
        return compileSelect(statement);
      case 'count':
        return compileCount(statement);
      case 'insert':
        return compileInsert(statement);
      case 'update':
        return compileUpdate(statement);
      case 'delete':
        return compileDelete(statement);
      case 'upsert':
        return compileUpsert(statement);
    }
  },
};

function compileSelect(statement: SelectStatement): CompiledStatement {
  const parts = selectParts(statement, tsqlSyntax);
  const text = `SELECT TOP (${parts.limit}) ${parts.columns}\nFROM ${parts.from}`;
  return { text: text + clauses(parts.where, parts.orderBy), params: parts.params.values };
}

function compileCount(statement: CountStatement): CompiledStatement {
  const parts = countParts(statement, tsqlSyntax);
  const text = `SELECT COUNT_BIG(*) AS [count]\nFROM ${parts.from}${clauses(parts.where)}`;
  return { text, params: parts.params.values };
}

function compileInsert(statement: InsertStatement): CompiledStatement {
  const { table } = statement;
  const returning = returningColumns(table, statement.returning);
  const ordinal = freeName(
    'ordinal',
    table.columns.map((column) => column.name),
  );
  const params = new ParameterList(tsqlSyntax.placeholder);
  const lines = [declareOut([`${q(ordinal)} int`, ...returning.map(outColumn)])];
  for (const group of planInsert(statement)) {
    lines.push(mergeInsert(table, group, ordinal, returning, params));
  }
  lines.push(`SELECT ${names(returning)} FROM @out ORDER BY ${q(ordinal)};`);
  return { text: lines.join('\n'), params: params.values };
}

/** One group of a batch insert: a MERGE that never matches, so its OUTPUT can see `s`. */
function mergeInsert(
  table: TableShape,
  group: InsertGroup,
  ordinal: string,
  returning: ColumnShape[],
  params: ParameterList,
): string {
  const rows = group.rows.map((row) => [row.ordinal, jsonRow(group.columns, row.values)]);
  const json = params.add(JSON.stringify(rows));
  const source = [`j.[ordinal] AS ${q(ordinal)}`, ...group.columns.map((c) => `r.${q(c.name)}`)];
  const lines = [
    `MERGE INTO ${qualifiedName(tsqlSyntax, table)} AS t`,
    'USING (',
    `SELECT ${source.join(', ')}`,
    `FROM OPENJSON(${json}) WITH (${OPENJSON_PAIR}) AS j`,
  ];
  const empty = group.columns.length === 0;
  if (!empty) {
    const typed = group.columns.map(openJsonColumn).join(', ');
    lines.push(`CROSS APPLY OPENJSON(j.[row]) WITH (${typed}) AS r`);
  }
  const insert = empty
    ? 'INSERT DEFAULT VALUES'
    : `INSERT (${names(group.columns)}) VALUES (${prefixed('s', group.columns)})`;
  lines.push(
    ') AS s',
    'ON 1 = 0',
    `WHEN NOT MATCHED THEN ${insert}`,
    `OUTPUT s.${q(ordinal)}, ${prefixed('inserted', returning)} INTO @out;`,
  );
  return lines.join('\n');
}

/** Each batch element is [input position, row object], so positions never meet column names. */
const OPENJSON_PAIR = "[ordinal] int '$[0]', [row] nvarchar(max) '$[1]' AS JSON";

function compileUpdate(statement: UpdateStatement): CompiledStatement {
  const { table } = statement;
  const plan = planUpdate(table, statement.key, statement.values);
  if (plan.assignments.length === 0) throw nothingToUpdate();
  return updateByKey(table, plan.key, plan.assignments, statement.returning);
}

function updateByKey(
  table: TableShape,
  key: ColumnValue[],
  assignments: ColumnValue[],
  returningNames?: string[],
): CompiledStatement {
  const returning = returningColumns(table, returningNames);
  const params = new ParameterList(tsqlSyntax.placeholder);
  const set = assignments.map((a) => `${q(a.column.name)} = ${params.add(a.value)}`);
  const lines = [
    declareOut(returning.map(outColumn)),
    `UPDATE ${qualifiedName(tsqlSyntax, table)}`,
    `SET ${set.join(', ')}`,
    `OUTPUT ${prefixed('inserted', returning)} INTO @out`,
    `WHERE ${keyCondition(key, params)};`,
    `SELECT ${names(returning)} FROM @out;`,
  ];
  return { text: lines.join('\n'), params: params.values };
}

function compileDelete(statement: DeleteStatement): CompiledStatement {
  const { table } = statement;
  const key = keyValues(table, statement.key);
  const returning = returningColumns(table, statement.returning);
  const params = new ParameterList(tsqlSyntax.placeholder);
  const lines = [
    declareOut(returning.map(outColumn)),
    `DELETE FROM ${qualifiedName(tsqlSyntax, table)}`,
    `OUTPUT ${prefixed('deleted', returning)} INTO @out`,
    `WHERE ${keyCondition(key, params)};`,
    `SELECT ${names(returning)} FROM @out;`,
  ];
  return { text: lines.join('\n'), params: params.values };
}

function compileUpsert(statement: UpsertStatement): CompiledStatement {
  const { table, mode } = statement;
  const plan = planUpdate(table, statement.row, statement.row);
  if (mode === 'update-only') {
    if (plan.assignments.length === 0) throw nothingToUpdate();
    return updateByKey(table, plan.key, plan.assignments, statement.returning);
  }
  const identityKey = plan.key.find((part) => part.column.identity || part.column.readOnly);
  if (identityKey !== undefined) throw notWritable(identityKey.column);

  const returning = returningColumns(table, statement.returning);
  const params = new ParameterList(tsqlSyntax.placeholder);
  const all = [...plan.key, ...plan.assignments];
  const columns = all.map((part) => part.column);
  const placeholders = all.map((part) => params.add(part.value));
  const matches = plan.key.map((part) => `t.${q(part.column.name)} = s.${q(part.column.name)}`);
  const lines = [
    declareOut(returning.map(outColumn)),
    `MERGE INTO ${qualifiedName(tsqlSyntax, table)} WITH (HOLDLOCK) AS t`,
    `USING (VALUES (${placeholders.join(', ')})) AS s (${names(columns)})`,
    `ON ${matches.join(' AND ')}`,
  ];
  if (mode === 'upsert') lines.push(`WHEN MATCHED THEN UPDATE SET ${matchedSet(plan)}`);
  lines.push(
    `WHEN NOT MATCHED THEN INSERT (${names(columns)}) VALUES (${prefixed('s', columns)})`,
    `OUTPUT ${prefixed('inserted', returning)} INTO @out;`,
    `SELECT ${names(returning)} FROM @out;`,
  );
  return { text: lines.join('\n'), params: params.values };
}

/** The SET of an upsert's update branch; a key-only row sets the key to itself. */
function matchedSet(plan: { key: ColumnValue[]; assignments: ColumnValue[] }): string {
  const targets = plan.assignments.length > 0 ? plan.assignments : plan.key;
  return targets.map((p) => `t.${q(p.column.name)} = s.${q(p.column.name)}`).join(', ');
}

function keyCondition(key: ColumnValue[], params: ParameterList): string {
  return key.map((part) => `${q(part.column.name)} = ${params.add(part.value)}`).join(' AND ');
}

function declareOut(columns: string[]): string {
  return `DECLARE @out TABLE (${columns.join(', ')});`;
}

/** A table-variable column for a returned column; rowversion cannot be inserted into. */
function outColumn(column: ColumnShape): string {
  const type = /^(rowversion|timestamp)$/i.test(column.dbType) ? 'binary(8)' : column.dbType;
  return `${q(column.name)} ${type}`;
}

/** An OPENJSON WITH column: the catalog type and the JSON path of the property. */
function openJsonColumn(column: ColumnShape): string {
  const key = column.name.replace(/[\\"]/g, '\\$&').replaceAll("'", "''");
  return `${q(column.name)} ${column.dbType} '$."${key}"'`;
}

/** A row for the JSON document: bytes as base64 (OPENJSON decodes it for varbinary). */
function jsonRow(columns: ColumnShape[], values: Map<string, SqlValue>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    const value = values.get(column.name);
    if (value === undefined) continue;
    row[column.name] = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
  }
  return row;
}

function names(columns: ColumnShape[]): string {
  return columns.map((column) => q(column.name)).join(', ');
}

function prefixed(alias: string, columns: ColumnShape[]): string {
  return columns.map((column) => `${alias}.${q(column.name)}`).join(', ');
}

function clauses(...parts: string[]): string {
  return parts
    .filter((part) => part !== '')
    .map((part) => `\n${part.trimStart()}`)
    .join('');
}

import type { Dialect } from './dialect.js';
import { freeName, planInsert, type InsertGroup } from './insert-plan.js';
import { ParameterList } from './parameter-list.js';
import { postgresSyntax } from './postgres-syntax.js';
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
import { nothingToUpdate, planUpdate } from './update-plan.js';
import { keyValues, notWritable, returningColumns, type ColumnValue } from './write-values.js';

const q = postgresSyntax.quote;

/**
 * PostgreSQL 15 and later (also Azure Database for PostgreSQL and the embedded database).
 * Batch inserts read one jsonb parameter through jsonb_populate_record, so every value is
 * converted by the table's own column types.
 */
export const postgresDialect: Dialect = {
  name: 'postgres',
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
  const parts = selectParts(statement, postgresSyntax);
  const lines = [`SELECT ${parts.columns}`, `FROM ${parts.from}`, parts.where, parts.orderBy];
  lines.push(`LIMIT ${parts.limit}`);
  return { text: joinLines(lines), params: parts.params.values };
}

function compileCount(statement: CountStatement): CompiledStatement {
  const parts = countParts(statement, postgresSyntax);
  const text = joinLines(['SELECT count(*) AS "count"', `FROM ${parts.from}`, parts.where]);
  return { text, params: parts.params.values };
}

/**
 * One group is one INSERT ... SELECT ordered by input position; the executor inserts and
 * returns rows in the order its input delivers them, so RETURNING follows input order.
 * Several groups become data-modifying CTEs whose results are put back in input order with
 * each group's list of input positions.
 */
function compileInsert(statement: InsertStatement): CompiledStatement {
  const { table } = statement;
  const groups = planInsert(statement);
  const returning = returningColumns(table, statement.returning);
  const params = new ParameterList(postgresSyntax.placeholder);
  if (groups.length === 1) {
    const text = insertGroup(table, groups[0]!, returning, params);
    return { text, params: params.values };
  }
  const taken = returning.map((column) => column.name);
  const ordinal = freeName('ordinal', taken);
  const position = freeName('n', [...taken, ordinal]);
  const ctes = groups.map((group, i) => {
    return `${q(`i${i + 1}`)} AS (\n${insertGroup(table, group, returning, params)}\n)`;
  });
  const parts = groups.map((group, i) => {
    const ordinals = params.add(group.rows.map((row) => row.ordinal));
    const numbered = `${names(returning)}, row_number() OVER () AS ${q(position)}`;
    return [
      `SELECT ${prefixed('x', returning)}, m.${q(ordinal)}`,
      `FROM (SELECT ${numbered} FROM ${q(`i${i + 1}`)}) AS x`,
      `JOIN unnest(${ordinals}::int[]) WITH ORDINALITY AS m (${q(ordinal)}, ${q(position)})`,
      `ON m.${q(position)} = x.${q(position)}`,
    ].join('\n');
  });
  const text = [
    `WITH ${ctes.join(',\n')}`,
    `SELECT ${prefixed('o', returning)}`,
    `FROM (\n${parts.join('\nUNION ALL\n')}\n) AS o`,
    `ORDER BY o.${q(ordinal)}`,
  ].join('\n');
  return { text, params: params.values };
}

function insertGroup(
  table: TableShape,
  group: InsertGroup,
  returning: ColumnShape[],
  params: ParameterList,
): string {
  const rows = group.rows.map((row) => jsonRow(group.columns, row.values));
  const json = params.add(JSON.stringify(rows));
  const target = qualifiedName(postgresSyntax, table);
  const into = group.columns.length === 0 ? '' : ` (${names(group.columns)})`;
  return [
    `INSERT INTO ${target}${into}`,
    group.columns.length === 0 ? 'SELECT' : `SELECT ${prefixed('r', group.columns)}`,
    `FROM jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS j ("row", "ordinal")`,
    `CROSS JOIN LATERAL jsonb_populate_record(NULL::${target}, j."row") AS r`,
    'ORDER BY j."ordinal"',
    `RETURNING ${names(returning)}`,
  ].join('\n');
}

function compileUpdate(statement: UpdateStatement): CompiledStatement {
  const plan = planUpdate(statement.table, statement.key, statement.values);
  if (plan.assignments.length === 0) throw nothingToUpdate();
  return updateByKey(statement.table, plan.key, plan.assignments, statement.returning);
}

function updateByKey(
  table: TableShape,
  key: ColumnValue[],
  assignments: ColumnValue[],
  returningNames?: string[],
): CompiledStatement {
  const params = new ParameterList(postgresSyntax.placeholder);
  const set = assignments.map((a) => `${q(a.column.name)} = ${params.add(a.value)}`);
  const lines = [
    `UPDATE ${qualifiedName(postgresSyntax, table)}`,
    `SET ${set.join(', ')}`,
    `WHERE ${keyCondition(key, params)}`,
    `RETURNING ${names(returningColumns(table, returningNames))}`,
  ];
  return { text: lines.join('\n'), params: params.values };
}

function compileDelete(statement: DeleteStatement): CompiledStatement {
  const { table } = statement;
  const key = keyValues(table, statement.key);
  const params = new ParameterList(postgresSyntax.placeholder);
  const lines = [
    `DELETE FROM ${qualifiedName(postgresSyntax, table)}`,
    `WHERE ${keyCondition(key, params)}`,
    `RETURNING ${names(returningColumns(table, statement.returning))}`,
  ];
  return { text: lines.join('\n'), params: params.values };
}

/** INSERT ... ON CONFLICT on the primary key: atomic, so no race between check and write. */
function compileUpsert(statement: UpsertStatement): CompiledStatement {
  const { table, mode } = statement;
  const plan = planUpdate(table, statement.row, statement.row);
  if (mode === 'update-only') {
    if (plan.assignments.length === 0) throw nothingToUpdate();
    return updateByKey(table, plan.key, plan.assignments, statement.returning);
  }
  const identityKey = plan.key.find((part) => part.column.identity || part.column.readOnly);
  if (identityKey !== undefined) throw notWritable(identityKey.column);

  const params = new ParameterList(postgresSyntax.placeholder);
  const all = [...plan.key, ...plan.assignments];
  const columns = all.map((part) => part.column);
  const lines = [
    `INSERT INTO ${qualifiedName(postgresSyntax, table)} (${names(columns)})`,
    `VALUES (${all.map((part) => params.add(part.value)).join(', ')})`,
    `ON CONFLICT (${names(plan.key.map((part) => part.column))}) ${conflictAction(mode, plan)}`,
    `RETURNING ${names(returningColumns(table, statement.returning))}`,
  ];
  return { text: lines.join('\n'), params: params.values };
}

/** Insert-only does nothing on a conflict (no row returned); a key-only row sets itself. */
function conflictAction(
  mode: 'upsert' | 'insert-only',
  plan: { key: ColumnValue[]; assignments: ColumnValue[] },
): string {
  if (mode === 'insert-only') return 'DO NOTHING';
  const targets = plan.assignments.length > 0 ? plan.assignments : plan.key;
  const set = targets.map((p) => `${q(p.column.name)} = EXCLUDED.${q(p.column.name)}`);
  return `DO UPDATE SET ${set.join(', ')}`;
}

function keyCondition(key: ColumnValue[], params: ParameterList): string {
  return key.map((part) => `${q(part.column.name)} = ${params.add(part.value)}`).join(' AND ');
}

/**
 * A row for the jsonb document: json columns nested as JSON (jsonb_populate_record takes
 * them as they are), bytes in bytea's hex input form.
 */
function jsonRow(columns: ColumnShape[], values: Map<string, SqlValue>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    const value = values.get(column.name);
    if (value === undefined) continue;
    row[column.name] = jsonCell(column, value);
  }
  return row;
}

function jsonCell(column: ColumnShape, value: SqlValue): unknown {
  if (value === null) return null;
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (column.type === 'json' && typeof value === 'string') return JSON.parse(value);
  return value;
}

function names(columns: ColumnShape[]): string {
  return columns.map((column) => q(column.name)).join(', ');
}

function prefixed(alias: string, columns: ColumnShape[]): string {
  return columns.map((column) => `${alias}.${q(column.name)}`).join(', ');
}

function joinLines(lines: string[]): string {
  return lines
    .filter((line) => line !== '')
    .map((line) => line.trimStart())
    .join('\n');
}

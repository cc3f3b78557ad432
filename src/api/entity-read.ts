import { VaultgateError } from '../errors.js';
import type { FilterNode } from '../sql/filter.js';
import type { SqlValue } from '../sql/sql-value.js';
import type { SelectStatement } from '../sql/statement.js';
import { encodeAfter } from './query/after-token.js';
import { parseReadOptions, toCountStatement, toSelectStatement } from './query/read-options.js';
import { parseSelect } from './query/select-parser.js';
import { jsonAnswer, type ApiRequest, type ApiResponse } from './api-request.js';
import type { EntityDefinition } from './entity-registry.js';
import { withTable, type OperationContext, type TableWork } from './operation-context.js';
import { linkWith } from './public-url.js';
import { parseKey } from './row-key.js';
import { columnsNamed, toJsonRow } from './row-json.js';

/**
 * `GET /api/{entity}`: one page of rows, `{"value": [...]}`, with `count` when asked and a
 * `nextLink` (absolute, with an `$after` token) while more rows follow. One row more than
 * the page is fetched, so the last page carries no link to an empty one.
 */
export function listRows(
  context: OperationContext,
  request: ApiRequest,
  entity: EntityDefinition,
): Promise<ApiResponse> {
  const query = new URL(request.url).searchParams;
  return withTable(context, entity, async ({ engine, dialect, table }) => {
    const options = parseReadOptions(query, table.shape, { maxPageSize: entity.maxPageSize });
    const statement = toSelectStatement(options, table.shape);
    statement.limit = options.first + 1;
    const compiled = dialect.compile(statement);
    const result = await engine.query(compiled.text, compiled.params);
    const rows = result.rows.slice(0, options.first);
    context.stats.rows = rows.length;

    const columns = columnsNamed(table.shape, options.select);
    const body: Record<string, unknown> = {};
    if (options.count) {
      const count = dialect.compile(toCountStatement(options, table.shape));
      const counted = await engine.query<{ count: unknown }>(count.text, count.params);
      body.count = Number(counted.rows[0]?.count ?? 0);
    }
    body.value = rows.map((row) => toJsonRow(row, columns, engine.name));
    const last = rows[rows.length - 1];
    if (result.rows.length > options.first && options.pageable && last !== undefined) {
      const next = new URLSearchParams(query);
      next.set('$after', encodeAfter(options.order, last, table.shape));
      body.nextLink = linkWith(request, next);
    }
    return jsonAnswer(200, body);
  });
}

/** `GET /api/{entity}/{key}`: the row as an object (`$select` may name its columns), or 404. */
export function getRow(
  context: OperationContext,
  request: ApiRequest,
  entity: EntityDefinition,
  keyText: string,
): Promise<ApiResponse> {
  const selectText = new URL(request.url).searchParams.get('$select') ?? undefined;
  return withTable(context, entity, async (unit) => {
    const { engine, table } = unit;
    const key = parseKey(keyText, table.shape);
    const select =
      selectText === undefined
        ? table.shape.columns.map((c) => c.name)
        : parseSelect(selectText, table.shape);
    const row = await selectByKey(unit, key, select);
    if (row === undefined) throw rowNotFound(entity);
    context.stats.rows = 1;
    return jsonAnswer(200, toJsonRow(row, columnsNamed(table.shape, select), engine.name));
  });
}

/** The row with this key, reading the named columns; undefined when there is none. */
export async function selectByKey(
  { engine, dialect, table }: TableWork,
  key: Record<string, unknown>,
  columns: string[],
): Promise<Record<string, unknown> | undefined> {
  const items: FilterNode[] = table.shape.key.map((name) => ({
    kind: 'compare',
    column: name,
    op: 'eq',
    value: key[name] as Exclude<SqlValue, null>,
  }));
  const statement: SelectStatement = {
    kind: 'select',
    table: table.shape,
    columns,
    filter: { kind: 'and', items },
    order: [],
    limit: 1,
  };
  const compiled = dialect.compile(statement);
  const result = await engine.query(compiled.text, compiled.params);
  return result.rows[0];
}

/** The 404 for a key that addresses no row. */
export function rowNotFound(entity: EntityDefinition): VaultgateError {
  return new VaultgateError(404, 'RowNotFound', `no ${entity.name} row has that key`, {
    target: 'key',
  });
}

import { VaultgateError } from '../errors.js';
import type { Queryable } from '../db/engine.js';
import type { RowValues, Statement, UpsertMode } from '../sql/statement.js';
import { jsonAnswer, type ApiRequest, type ApiResponse } from './api-request.js';
import { rowNotFound } from './entity-read.js';
import type { EntityDefinition } from './entity-registry.js';
import { idempotencyKey, requestHash, runIdempotent, type StoredAnswer } from './idempotency.js';
import { withTable, type OperationContext, type TableWork } from './operation-context.js';
import { rowUrl } from './public-url.js';
import { bodyRows, readJsonBody } from './request-body.js';
import { keySegment, parseKey } from './row-key.js';
import { columnsNamed, toJsonRow } from './row-json.js';
import { checkRows, requireColumns } from './row-values.js';

/**
 * `POST /api/{entity}`: one object or an array, inserted in one transaction with one
 * set-based statement. One object answers 201 with the new row and its Location; an array
 * answers 201 with `{"value": [...]}` holding each new row's key in input order. With an
 * Idempotency-Key, a repeat of the same request replays the first answer.
 */
export async function insertRows(
  context: OperationContext,
  request: ApiRequest,
  entity: EntityDefinition,
): Promise<ApiResponse> {
  const key = idempotencyKey(request.headers['idempotency-key']);
  const { rows, batch } = bodyRows(readJsonBody(request), context.maxBatchRows);
  return withTable(context, entity, async (unit) => {
    const checked = checkRows(unit.table, rows, 'insert', batch);
    const insert = (tx: Queryable) => insertAnswer(unit, tx, request, checked, batch);
    if (key === undefined) {
      const answer = await unit.engine.transaction(insert);
      context.stats.rows = checked.length;
      return toResponse(answer, false);
    }
    const claim = { key, entity: entity.name, requestHash: requestHash(entity.name, request.body) };
    const { answer, replayed } = await runIdempotent(unit.engine, claim, insert);
    context.stats.rows = replayed ? 0 : checked.length;
    return toResponse(answer, replayed);
  });
}

async function insertAnswer(
  { engine, dialect, table }: TableWork,
  tx: Queryable,
  request: ApiRequest,
  rows: RowValues[],
  batch: boolean,
): Promise<StoredAnswer> {
  const shape = table.shape;
  const returning = batch && shape.key.length > 0 ? shape.key : shape.columns.map((c) => c.name);
  const columns = columnsNamed(shape, returning);
  const rowsBack = await insertCheckedRows({ dialect, table }, tx, rows, returning);
  const inserted = rowsBack.map((row) => toJsonRow(row, columns, engine.name));
  if (batch) return { status: 201, body: { value: inserted } };
  const row = inserted[0] ?? {};
  if (shape.key.length === 0) return { status: 201, body: row };
  return { status: 201, body: row, location: rowUrl(request, keySegment(row, shape)) };
}

/**
 * Inserts rows already checked against the table with one set-based statement, inside the
 * caller's transaction; returns the `returning` columns of each new row, in input order.
 */
export async function insertCheckedRows(
  { dialect, table }: Pick<TableWork, 'dialect' | 'table'>,
  tx: Queryable,
  rows: RowValues[],
  returning: string[],
): Promise<Record<string, unknown>[]> {
  const compiled = dialect.compile({ kind: 'insert', table: table.shape, rows, returning });
  return (await tx.query<Record<string, unknown>>(compiled.text, compiled.params)).rows;
}

function toResponse(answer: StoredAnswer, replayed: boolean): ApiResponse {
  const headers: Record<string, string> = {};
  if (answer.location !== undefined) headers.Location = answer.location;
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  return jsonAnswer(answer.status, answer.body, headers);
}

/** `PATCH /api/{entity}/{key}`: sets the given columns; 200 with the row, or 404. */
export async function updateRow(
  context: OperationContext,
  request: ApiRequest,
  entity: EntityDefinition,
  keyText: string,
): Promise<ApiResponse> {
  const body = readJsonBody(request);
  return withTable(context, entity, async ({ engine, dialect, table }) => {
    const key = parseKey(keyText, table.shape);
    const [values] = checkRows(table, [body], 'update', false);
    const returning = table.shape.columns.map((c) => c.name);
    const statement: Statement = {
      kind: 'update',
      table: table.shape,
      key,
      values: values!,
      returning,
    };
    const row = await runOne(engine, dialect.compile(statement));
    if (row === undefined) throw rowNotFound(entity);
    context.stats.rows = 1;
    return jsonAnswer(200, toJsonRow(row, table.shape.columns, engine.name));
  });
}

/**
 * `PUT /api/{entity}/{key}`: writes the whole row without a race. `If-Match: *` only
 * updates and `If-None-Match: *` only inserts; each answers 412 when the row is (not)
 * there. A plain PUT answers 200 whether it inserted or updated: the single atomic
 * statement does not say which.
 */
export async function upsertRow(
  context: OperationContext,
  request: ApiRequest,
  entity: EntityDefinition,
  keyText: string,
): Promise<ApiResponse> {
  const mode = upsertMode(request);
  const body = readJsonBody(request);
  return withTable(context, entity, async ({ engine, dialect, table }) => {
    const key = parseKey(keyText, table.shape);
    const [values] = checkRows(table, [body], mode === 'update-only' ? 'update' : 'upsert', false);
    const row = { ...values!, ...sameKey(values!, key) };
    if (mode !== 'update-only') requireColumns(table, row);
    const returning = table.shape.columns.map((c) => c.name);
    const statement: Statement = { kind: 'upsert', table: table.shape, mode, row, returning };
    const written = await runOne(engine, dialect.compile(statement));
    if (written === undefined) throw preconditionFailed(mode);
    context.stats.rows = 1;
    const json = toJsonRow(written, table.shape.columns, engine.name);
    if (mode !== 'insert-only') return jsonAnswer(200, json);
    return jsonAnswer(201, json, { Location: rowUrl(request, keyText) });
  });
}

/** `DELETE /api/{entity}/{key}`: 204, or 404 when no row has the key. */
export async function deleteRow(
  context: OperationContext,
  entity: EntityDefinition,
  keyText: string,
): Promise<ApiResponse> {
  return withTable(context, entity, async ({ engine, dialect, table }) => {
    const key = parseKey(keyText, table.shape);
    const row = await runOne(engine, dialect.compile({ kind: 'delete', table: table.shape, key }));
    if (row === undefined) throw rowNotFound(entity);
    context.stats.rows = 1;
    return { status: 204, headers: { 'Cache-Control': 'no-store' } };
  });
}

/** The mode the conditional headers ask for; only `*` is understood (there are no ETags). */
export function upsertMode(request: ApiRequest): UpsertMode {
  const ifMatch = request.headers['if-match']?.trim();
  const ifNoneMatch = request.headers['if-none-match']?.trim();
  for (const [name, value] of [
    ['If-Match', ifMatch],
    ['If-None-Match', ifNoneMatch],
  ] as const) {
    if (value !== undefined && value !== '*') {
      throw new VaultgateError(400, 'BadPrecondition', `${name} supports only *`, { target: name });
    }
  }
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw new VaultgateError(400, 'BadPrecondition', 'send If-Match or If-None-Match, not both', {
      target: 'If-Match',
    });
  }
  if (ifMatch !== undefined) return 'update-only';
  return ifNoneMatch !== undefined ? 'insert-only' : 'upsert';
}

/** The URL's key, refusing a body that names the key with another value. */
function sameKey(values: RowValues, key: RowValues): RowValues {
  for (const [name, value] of Object.entries(key)) {
    if (Object.hasOwn(values, name) && String(values[name]) !== String(value)) {
      throw new VaultgateError(
        422,
        'KeyNotUpdatable',
        `the body's '${name}' differs from the key in the URL; a key cannot be changed`,
        { target: name },
      );
    }
  }
  return key;
}

function preconditionFailed(mode: UpsertMode): VaultgateError {
  const [header, message] =
    mode === 'insert-only'
      ? ['If-None-Match', 'a row with this key already exists (If-None-Match: *)']
      : ['If-Match', 'no row has this key (If-Match: *)'];
  return new VaultgateError(412, 'PreconditionFailed', message, { target: header });
}

async function runOne(
  engine: Queryable,
  compiled: { text: string; params: unknown[] },
): Promise<Record<string, unknown> | undefined> {
  const result = await engine.query(compiled.text, compiled.params);
  return result.rows[0];
}

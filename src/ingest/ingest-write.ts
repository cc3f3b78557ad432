import type { Queryable } from '../db/engine.js';
import { VaultgateError } from '../errors.js';
import { translateDatabaseError } from '../api/database-errors.js';
import type { EntityDefinition } from '../api/entity-registry.js';
import type { EntityTable } from '../api/entity-table.js';
import { insertCheckedRows } from '../api/entity-write.js';
import { requestHash, runIdempotent, type StoredAnswer } from '../api/idempotency.js';
import { withTable, type OperationContext, type TableWork } from '../api/operation-context.js';
import { checkRows, requireColumns } from '../api/row-values.js';
import type { RowValues } from '../sql/statement.js';
import type { IngestMessage } from './ingest-message.js';

/** What writing one message did. */
export interface IngestResult {
  /** Rows written now; 0 when the message was written before. */
  rows: number;
  /** True when the key was already recorded, so nothing was written this time. */
  replayed: boolean;
}

/** Keeps queue keys apart from the HTTP API's Idempotency-Key values in the same table. */
export const QUEUE_KEY_PREFIX = 'ingest:';

/**
 * Writes a message's rows in one transaction, recording its key in the same transaction, so
 * a message delivered again writes nothing. Rows are checked like the API's: `insert` is the
 * set-based statement of `POST /api/{entity}`; `upsert` writes one row at a time by key, as
 * `PUT /api/{entity}/{key}` does, all inside the one transaction.
 *
 * @param key the message's idempotencyKey, or its queue message id.
 */
export async function ingestRows(
  context: OperationContext,
  entity: EntityDefinition,
  message: IngestMessage,
  key: string,
): Promise<IngestResult> {
  const claim = {
    key: `${QUEUE_KEY_PREFIX}${key}`,
    entity: entity.name,
    requestHash: requestHash(entity.name, contentBytes(message)),
  };
  try {
    return await withTable(context, entity, async (unit) => {
      const rows = checkMessageRows(unit.table, message);
      const { answer, replayed } = await runIdempotent(unit.engine, claim, (tx) =>
        writeRows(unit, tx, message, rows),
      );
      return { rows: replayed ? 0 : (answer.body as { rows: number }).rows, replayed };
    });
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/** What identifies a message's content for its key: the mode and the rows. */
function contentBytes(message: IngestMessage): Uint8Array {
  return Buffer.from(JSON.stringify({ mode: message.mode, rows: message.rows }), 'utf8');
}

function checkMessageRows(table: EntityTable, message: IngestMessage): RowValues[] {
  if (message.mode === 'insert') return checkRows(table, message.rows, 'insert', message.batch);
  if (table.shape.key.length === 0) {
    throw new VaultgateError(
      422,
      'NoKey',
      `'${table.entity.name}' has no key, so rows cannot be upserted; send mode "insert"`,
      { target: 'mode' },
    );
  }
  const rows = checkRows(table, message.rows, 'upsert', message.batch);
  rows.forEach((row, i) => requireUpsertable(table, row, message.batch ? i : undefined));
  return rows;
}

/** An upserted row may become a new row, so it needs its key and every required column. */
function requireUpsertable(table: EntityTable, row: RowValues, index: number | undefined): void {
  const missing = table.shape.key.find((name) => row[name] === undefined || row[name] === null);
  if (missing !== undefined) {
    const where = index === undefined ? '' : `row ${index}: `;
    throw new VaultgateError(
      422,
      'MissingKey',
      `${where}the key column '${missing}' needs a value`,
      {
        target: index === undefined ? missing : `[${index}].${missing}`,
      },
    );
  }
  requireColumns(table, row, index);
}

async function writeRows(
  { dialect, table }: TableWork,
  tx: Queryable,
  message: IngestMessage,
  rows: RowValues[],
): Promise<StoredAnswer> {
  const shape = table.shape;
  // Only a count is kept, so the fewest columns come back.
  const returning = shape.key.length > 0 ? shape.key : shape.columns.slice(0, 1).map((c) => c.name);
  let written = 0;
  if (message.mode === 'insert') {
    written = (await insertCheckedRows({ dialect, table }, tx, rows, returning)).length;
  } else {
    for (const row of rows) {
      const compiled = dialect.compile({
        kind: 'upsert',
        table: shape,
        mode: 'upsert',
        row,
        returning,
      });
      written += (await tx.query(compiled.text, compiled.params)).rows.length;
    }
  }
  return { status: 201, body: { rows: written } };
}

import { VaultgateError } from '../errors.js';

/** How the rows of a message are written. */
export type IngestMode = 'insert' | 'upsert';

/** A queue message after its shape was checked; the rows are checked against the catalog later. */
export interface IngestMessage {
  /** The entity's configured name, as in `/api/{entity}`. */
  entity: string;
  /** At least one row; each still unchecked against the table. */
  rows: unknown[];
  /** Whether the message gave `rows` (an array), so row errors name the index. */
  batch: boolean;
  mode: IngestMode;
  /** The producer's key; the queue message id stands in when it is missing. */
  idempotencyKey: string | undefined;
}

/** The longest idempotencyKey: the API's 200, less the prefix that keeps queue keys apart. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 190;

/** Visible ASCII only, like the API's Idempotency-Key header. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]+$/;

/** The fields a message may carry; anything else is refused, so typos do not pass unseen. */
export const MESSAGE_FIELDS: readonly string[] = [
  'entity',
  'rows',
  'row',
  'mode',
  'idempotencyKey',
];

export const INGEST_MODES: readonly IngestMode[] = ['insert', 'upsert'];

/**
 * Checks a message's shape: a JSON object naming the entity, with `rows` (a non-empty array
 * of at most `maxRows`) or `row` (one object), an optional mode and an optional key. Every
 * mistake is a VaultgateError with a 4xx status: the message itself is at fault.
 */
export function parseIngestMessage(value: unknown, maxRows: number): IngestMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badMessage('the message must be a JSON object with "entity" and "rows" or "row"');
  }
  const fields = value as Record<string, unknown>;
  const unknownField = Object.keys(fields).find((name) => !MESSAGE_FIELDS.includes(name));
  if (unknownField !== undefined) {
    throw badMessage(`the message has an unknown field '${shortText(unknownField)}'`, unknownField);
  }
  return {
    entity: readEntity(fields.entity),
    ...readRows(fields, maxRows),
    mode: readMode(fields.mode),
    idempotencyKey: readKey(fields.idempotencyKey),
  };
}

function readEntity(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  throw badMessage('"entity" must name an entity, as in /api/{entity}', 'entity');
}

function readRows(
  fields: Record<string, unknown>,
  maxRows: number,
): { rows: unknown[]; batch: boolean } {
  const { rows, row } = fields;
  if ((rows === undefined) === (row === undefined)) {
    throw badMessage('give either "rows" (an array) or "row" (one object), not both or neither');
  }
  if (row !== undefined) return { rows: [row], batch: false };
  if (!Array.isArray(rows)) throw badMessage('"rows" must be an array of row objects', 'rows');
  if (rows.length === 0) {
    throw new VaultgateError(422, 'EmptyBatch', '"rows" holds no rows to write', {
      target: 'rows',
    });
  }
  if (rows.length > maxRows) {
    throw new VaultgateError(
      413,
      'TooManyRows',
      `one message may carry at most ${maxRows} rows, not ${rows.length}; send them in parts`,
      { target: 'rows' },
    );
  }
  return { rows, batch: true };
}

function readMode(value: unknown): IngestMode {
  if (value === undefined) return 'insert';
  if (INGEST_MODES.includes(value as IngestMode)) return value as IngestMode;
  throw badMessage('"mode" must be "insert" or "upsert"', 'mode');
}

function readKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const fits =
    typeof value === 'string' &&
    value.length <= MAX_IDEMPOTENCY_KEY_LENGTH &&
    IDEMPOTENCY_KEY_PATTERN.test(value);
  if (fits) return value;
  throw new VaultgateError(
    400,
    'BadIdempotencyKey',
    `"idempotencyKey" must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters, ` +
      'such as a UUID',
    { target: 'idempotencyKey' },
  );
}

function badMessage(message: string, target?: string): VaultgateError {
  return new VaultgateError(400, 'BadMessage', message, target === undefined ? {} : { target });
}

function shortText(text: string): string {
  return text.replace(/[^\w.$ -]/g, '?').slice(0, 64);
}

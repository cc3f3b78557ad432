import { createHash } from 'node:crypto';
import type { Dialect, Engine, Queryable } from '../db/engine.js';
import { ensureProjectSchema } from '../db/project-schema.js';
import { VaultgateError } from '../errors.js';

/** A response worth replaying: what the first request with a key got. */
export interface StoredAnswer {
  status: number;
  body: unknown;
  location?: string;
}

/** The key a caller sent and what identifies its request: the entity and the body. */
export interface IdempotencyClaim {
  key: string;
  entity: string;
  /** sha256 hex of the entity name and the body bytes. */
  requestHash: string;
}

/** How long a key is remembered; the maintenance job purges rows past expires_at. */
export const IDEMPOTENCY_HOURS = 24;

interface StoredRow {
  request_hash: string;
  status: number;
  response: string | null;
}

const PG_TABLE = '"vaultgate"."idempotency"';
const TSQL_TABLE = '[vaultgate].[idempotency]';

const SQL: Record<Dialect, Record<'expire' | 'claim' | 'read' | 'save', string>> = {
  postgres: {
    expire: 'DELETE FROM "vaultgate"."idempotency" WHERE "key" = $1 AND "expires_at" < now()',
    claim:
      'INSERT INTO "vaultgate"."idempotency" ("key", "entity", "request_hash", "status", ' +
      `"expires_at") VALUES ($1, $2, $3, 0, now() + interval '${IDEMPOTENCY_HOURS} hours') ` +
      'ON CONFLICT ("key") DO NOTHING RETURNING "key"',
    read: `SELECT "request_hash", "status", "response" FROM ${PG_TABLE} WHERE "key" = $1`,
    save: `UPDATE ${PG_TABLE} SET "status" = $2, "response" = $3 WHERE "key" = $1`,
  },
  tsql: {
    expire: `DELETE FROM ${TSQL_TABLE} WHERE [key] = @p1 AND [expires_at] < SYSDATETIMEOFFSET();`,
    // UPDLOCK + HOLDLOCK keeps the key range locked from the check to the insert.
    claim:
      'INSERT INTO [vaultgate].[idempotency] ([key], [entity], [request_hash], [status], ' +
      '[expires_at]) OUTPUT inserted.[key] ' +
      `SELECT @p1, @p2, @p3, 0, DATEADD(hour, ${IDEMPOTENCY_HOURS}, SYSDATETIMEOFFSET()) ` +
      'WHERE NOT EXISTS (SELECT 1 FROM [vaultgate].[idempotency] WITH (UPDLOCK, HOLDLOCK) ' +
      'WHERE [key] = @p1);',
    read: `SELECT [request_hash], [status], [response] FROM ${TSQL_TABLE} WHERE [key] = @p1;`,
    save: `UPDATE ${TSQL_TABLE} SET [status] = @p2, [response] = @p3 WHERE [key] = @p1;`,
  },
};

/** The statements of one dialect, for golden tests. */
export function idempotencySql(dialect: Dialect): Readonly<Record<string, string>> {
  return SQL[dialect];
}

/** What identifies a request for its key: the entity and the exact body bytes. */
export function requestHash(entity: string, body: Uint8Array | undefined): string {
  return createHash('sha256')
    .update(entity)
    .update('\n')
    .update(body ?? new Uint8Array())
    .digest('hex');
}

/** The Idempotency-Key header checked: 1 to 200 visible ASCII characters. */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (/^[\x21-\x7e]{1,200}$/.test(header)) return header;
  throw new VaultgateError(
    400,
    'BadIdempotencyKey',
    'Idempotency-Key must be 1 to 200 visible ASCII characters, such as a UUID',
    { target: 'Idempotency-Key' },
  );
}

/**
 * Runs the write once per key. In one transaction: forget the key if it expired, claim it,
 * and either do the work and store its answer, or, when the key was claimed before, replay
 * that answer (same request) or refuse with 422 (another request under the same key). A
 * concurrent request with the same key waits on the claim and then replays. A failed write
 * rolls its claim back with it, so a retry may try again.
 */
export async function runIdempotent(
  engine: Engine,
  claim: IdempotencyClaim,
  work: (tx: Queryable) => Promise<StoredAnswer>,
): Promise<{ answer: StoredAnswer; replayed: boolean }> {
  await ensureProjectSchema(engine);
  const sql = SQL[engine.dialect];
  return engine.transaction(async (tx) => {
    await tx.query(sql.expire, [claim.key]);
    const claimed = await tx.query(sql.claim, [claim.key, claim.entity, claim.requestHash]);
    if (claimed.rows.length === 1) {
      const answer = await work(tx);
      await tx.query(sql.save, [claim.key, answer.status, JSON.stringify(answer)]);
      return { answer, replayed: false };
    }
    const stored = await tx.query<StoredRow>(sql.read, [claim.key]);
    return { answer: replay(stored.rows[0], claim), replayed: true };
  });
}

function replay(row: StoredRow | undefined, claim: IdempotencyClaim): StoredAnswer {
  if (row === undefined || row.response === null) {
    // Only possible when the key expired and was purged between our statements.
    throw new VaultgateError(409, 'IdempotencyKeyBusy', 'that Idempotency-Key is in use; retry', {
      target: 'Idempotency-Key',
    });
  }
  if (row.request_hash.trim() !== claim.requestHash) {
    throw new VaultgateError(
      422,
      'IdempotencyKeyReused',
      'this Idempotency-Key was already used with another request body (or entity); ' +
        'use a new key for a new request',
      { target: 'Idempotency-Key' },
    );
  }
  return JSON.parse(row.response) as StoredAnswer;
}

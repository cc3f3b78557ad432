import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { definition, ingest } from '../../functions/ingest.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite/start-azurite.js';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import { startEmbeddedPostgres } from '../../local/postgres/embedded-postgres.js';
import type { PoisonEnvelope } from '../../src/ingest/poison-queue.js';
import { closeRuntime } from '../../src/runtime.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';

let emulator: KeyVaultEmulator;
let database: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let azurite: RunningAzurite;
let sql: pg.Client;
const capture = new Capture();
let restoreConsole: () => void;

const CONFIG = join(mkdtempSync(join(tmpdir(), 'vaultgate-ingest-')), 'vaultgate.json');
writeFileSync(
  CONFIG,
  JSON.stringify({
    entities: {
      notes: { source: 'ingest_notes', actions: ['read'], ingest: true },
      tallies: { source: 'ingest_tallies', actions: ['read'], ingest: true },
      customers: { source: 'customers', actions: ['read', 'create'] },
    },
  }),
);

beforeAll(async () => {
  [emulator, database, azurite] = await Promise.all([
    startTestEmulator(),
    startEmbeddedPostgres(),
    startAzurite(),
  ]);
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  await sql.query(`create table ingest_notes (
    id integer generated always as identity primary key,
    tag text not null, n integer not null check (n >= 0))`);
  await sql.query('create table ingest_tallies (k text primary key, v integer not null)');
  emulator.setSecret('db-connection-string', database.url);
  Object.assign(process.env, {
    ...appSettings(emulator),
    DB_SECRET_NAME: 'db-connection-string',
    VAULTGATE_CONFIG: CONFIG,
    AzureWebJobsStorage: azurite.connectionString,
  });
  restoreConsole = capture.console();
});

afterAll(async () => {
  restoreConsole?.();
  await closeRuntime();
  await sql?.end();
  await Promise.all([emulator?.stop(), database?.stop(), azurite?.stop()]);
  const password = new URL(database.url).password;
  expect(capture.leaked([APP.clientSecret, database.url, password])).toEqual([]);
});

afterEach(() => {
  emulator.setSecret('db-connection-string', database.url);
});

function contextFor(messageId = randomUUID(), dequeueCount = 1): InvocationContext {
  const base = capture.context('ingest');
  return new InvocationContext({
    functionName: 'ingest',
    invocationId: randomUUID(),
    triggerMetadata: { id: messageId, dequeueCount },
    logHandler: (level, ...args) => capture.add(`${level} ${args.map(String).join(' ')}`),
    options: base.options,
  });
}

async function count(tag: string): Promise<number> {
  const result = await sql.query('select count(*)::int as n from ingest_notes where tag = $1', [
    tag,
  ]);
  return (result.rows[0] as { n: number }).n;
}

const poison = () => new QueueClient(azurite.connectionString, 'vaultgate-ingest-poison');

/** Reads and removes every parked message. */
async function parked(): Promise<PoisonEnvelope[]> {
  if (!(await poison().exists())) return [];
  const envelopes: PoisonEnvelope[] = [];
  for (;;) {
    const { receivedMessageItems } = await poison().receiveMessages({ numberOfMessages: 32 });
    if (receivedMessageItems.length === 0) return envelopes;
    for (const item of receivedMessageItems) {
      envelopes.push(JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')));
      await poison().deleteMessage(item.messageId, item.popReceipt);
    }
  }
}

describe('the ingest function', () => {
  it('is a queue trigger on vaultgate-ingest through AzureWebJobsStorage', () => {
    expect(definition.trigger).toBe('storageQueue');
    expect(definition.options.queueName).toBe('vaultgate-ingest');
    expect(definition.options.connection).toBe('AzureWebJobsStorage');
  });

  it('inserts the rows of a message and logs one line with entity, rows and id', async () => {
    const id = randomUUID();
    await ingest(
      {
        entity: 'notes',
        rows: [
          { tag: 'first', n: 1 },
          { tag: 'first', n: 2 },
        ],
      },
      contextFor(id),
    );

    expect(await count('first')).toBe(2);
    const line = capture.lines.find(
      (l) => l.includes('Ingested a queue message.') && l.includes(id),
    );
    expect(JSON.parse(line!.slice(line!.indexOf('{')))).toMatchObject({
      function: 'ingest',
      entity: 'notes',
      action: 'insert',
      rows: 2,
      outcome: 'written',
      messageId: id,
      dequeueCount: 1,
    });
  });

  it('writes a redelivered message (same message id) once', async () => {
    const id = randomUUID();
    const message = { entity: 'notes', row: { tag: 'redelivered', n: 1 } };
    await ingest(message, contextFor(id, 1));
    await ingest(message, contextFor(id, 2));

    expect(await count('redelivered')).toBe(1);
    expect(capture.lines.some((l) => l.includes('"outcome":"replayed"') && l.includes(id))).toBe(
      true,
    );
  });

  it('writes two messages with the same idempotencyKey once', async () => {
    const message = {
      entity: 'notes',
      rows: [{ tag: 'keyed', n: 1 }],
      idempotencyKey: randomUUID(),
    };
    await ingest(message, contextFor());
    await ingest(message, contextFor());

    expect(await count('keyed')).toBe(1);
  });

  it('upserts by key in one transaction', async () => {
    await ingest(
      {
        entity: 'tallies',
        mode: 'upsert',
        rows: [
          { k: 'a', v: 1 },
          { k: 'b', v: 2 },
        ],
      },
      contextFor(),
    );
    await ingest({ entity: 'tallies', mode: 'upsert', row: { k: 'a', v: 5 } }, contextFor());

    const { rows } = await sql.query('select k, v from ingest_tallies order by k');
    expect(rows).toEqual([
      { k: 'a', v: 5 },
      { k: 'b', v: 2 },
    ]);
  });

  it.each([
    ['text that is not JSON', 'not json at all', 'NotJson'],
    ['a message without rows', { entity: 'notes' }, 'BadMessage'],
    ['an unknown entity', { entity: 'ghosts', row: {} }, 'EntityNotFound'],
    [
      'an entity not open to ingest',
      { entity: 'customers', row: { name: 'x' } },
      'IngestNotAllowed',
    ],
    [
      'a row with an unknown column',
      { entity: 'notes', rows: [{ tag: 'x', n: 1, colour: 'red' }] },
      'UnknownColumn',
    ],
    ['a row missing a required column', { entity: 'notes', row: { tag: 'x' } }, 'MissingValue'],
    [
      'a value the table refuses',
      { entity: 'notes', row: { tag: 'x', n: -1 } },
      'ConstraintViolation',
    ],
    [
      'an upsert without the key',
      { entity: 'tallies', mode: 'upsert', row: { v: 1 } },
      'MissingKey',
    ],
  ])('parks %s at once with the reason, and completes', async (_name, message, code) => {
    const context = contextFor();
    await expect(ingest(message, context)).resolves.toBeUndefined();

    const [envelope, ...more] = await parked();
    expect(more).toEqual([]);
    expect(envelope!.reason).toMatchObject({
      code,
      invocationId: context.invocationId,
      messageId: context.triggerMetadata!.id,
    });
    expect(envelope!.reason.message).toEqual(expect.any(String));
    expect(Date.parse(envelope!.reason.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(envelope!.original).toBe(
      typeof message === 'string' ? message : JSON.stringify(message),
    );
  });

  it('writes no row of a message when one row does not fit', async () => {
    await ingest(
      {
        entity: 'notes',
        rows: [
          { tag: 'partial', n: 1 },
          { tag: 'partial', n: -1 },
        ],
      },
      contextFor(),
    );

    expect(await count('partial')).toBe(0);
    expect((await parked())[0]!.reason.code).toBe('ConstraintViolation');
  });

  it('parks a key reused for other rows', async () => {
    const idempotencyKey = randomUUID();
    await ingest({ entity: 'notes', row: { tag: 'reused', n: 1 }, idempotencyKey }, contextFor());
    await ingest({ entity: 'notes', row: { tag: 'reused', n: 2 }, idempotencyKey }, contextFor());

    expect(await count('reused')).toBe(1);
    expect((await parked())[0]!.reason.code).toBe('IdempotencyKeyReused');
  });

  it('throws when the database is unreachable, so the host retries; parks nothing', async () => {
    const closed = new URL(database.url);
    closed.port = '1';
    await closeRuntime();
    emulator.setSecret('db-connection-string', closed.toString());

    await expect(
      ingest({ entity: 'notes', row: { tag: 'down', n: 1 } }, contextFor()),
    ).rejects.toMatchObject({
      code: 'DatabaseUnavailable',
    });
    expect(await parked()).toEqual([]);
    await closeRuntime();
  });
});

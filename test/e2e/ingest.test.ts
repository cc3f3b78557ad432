import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueClient } from '@azure/storage-queue';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition as entitiesDefinition } from '../../functions/entities.js';
import { definition as healthDefinition } from '../../functions/health.js';
import { definition as ingestDefinition } from '../../functions/ingest.js';
import { startAzurite, type RunningAzurite } from '../../local/azurite/start-azurite.js';
import { enqueueFile } from '../../local/enqueue/enqueue-file.js';
import { readRows } from '../../local/enqueue/read-rows.js';
import { startHost, type RunningHost } from '../../local/host/start-host.js';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import type { PoisonEnvelope } from '../../src/ingest/poison-queue.js';
import { closeRuntime } from '../../src/runtime.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';

const FUNCTION_KEY = 'ingest-e2e-function-key';
const QUEUE = 'vaultgate-ingest';
// Short queue timings, and attempts enough to outlast a stopped database.
const hostJson = {
  version: '2.0',
  extensions: {
    http: { routePrefix: 'api' },
    queues: {
      batchSize: 16,
      visibilityTimeout: '00:00:01',
      maxPollingInterval: '00:00:00.500',
      maxDequeueCount: 100,
    },
  },
};

const folder = mkdtempSync(join(tmpdir(), 'vaultgate-ingest-e2e-'));
const dataDir = join(folder, 'pgdata');
const capture = new Capture();
let emulator: KeyVaultEmulator;
let database: EmbeddedPostgres;
let azurite: RunningAzurite;
let host: RunningHost;
let restoreConsole: (() => void) | undefined;

beforeAll(async () => {
  const config = join(folder, 'vaultgate.json');
  writeFileSync(
    config,
    JSON.stringify({
      entities: { items: { source: 'ingest_items', actions: ['read'], ingest: true } },
    }),
  );
  [emulator, database, azurite] = await Promise.all([
    startTestEmulator(),
    startEmbeddedPostgres({ dataDir }),
    startAzurite(),
  ]);
  await withSql((sql) =>
    sql.query(`create table ingest_items (
      id integer generated always as identity primary key,
      tag text not null, seq integer not null check (seq >= 0))`),
  );
  emulator.setSecret('db-connection-string', database.url);
  Object.assign(process.env, {
    ...appSettings(emulator),
    DB_SECRET_NAME: 'db-connection-string',
    VAULTGATE_CONFIG: config,
    AzureWebJobsStorage: azurite.connectionString,
  });
  restoreConsole = capture.console();
  host = await startHost({
    definitions: [ingestDefinition, healthDefinition, entitiesDefinition],
    hostJson,
    port: 0,
    functionKey: FUNCTION_KEY,
    storageConnectionString: azurite.connectionString,
    logger: capture.logger,
  });
});

afterAll(async () => {
  await host?.stop();
  await closeRuntime();
  restoreConsole?.();
  await Promise.allSettled([emulator?.stop(), database?.stop(), azurite?.stop()]);
  rmSync(folder, { recursive: true, force: true });
  expect(capture.leaked([APP.clientSecret, database.url])).toEqual([]);
});

async function withSql<T>(work: (sql: pg.Client) => Promise<T>): Promise<T> {
  const sql = new pg.Client({ connectionString: database.url });
  // A stopped database ends the connection; the query in flight reports it.
  sql.on('error', () => undefined);
  await sql.connect();
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** How many rows each seq of the tag has: exactly-once means every count is 1. */
async function seqCounts(tag: string): Promise<Map<number, number>> {
  const { rows } = await withSql((sql) =>
    sql.query<{ seq: number; n: number }>(
      'select seq, count(*)::int as n from ingest_items where tag = $1 group by seq',
      [tag],
    ),
  );
  return new Map(rows.map((row) => [row.seq, row.n]));
}

async function rowCount(tag: string): Promise<number> {
  return [...(await seqCounts(tag)).values()].reduce((a, b) => a + b, 0);
}

const queue = (name = QUEUE) => new QueueClient(azurite.connectionString, name);
const encode = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

async function send(messages: unknown[], parallel = 16): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < messages.length) await queue().sendMessage(encode(messages[next++]));
  };
  await Promise.all(Array.from({ length: parallel }, sender));
}

const rows = (tag: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ tag, seq: from + i }));

/** Messages the ingest function wrote or found written, from its log lines. */
function ingested(): number {
  return capture.lines.filter((line) => line.includes('Ingested a queue message.')).length;
}

// Polls read the log, not the database: a fresh connection per poll during a burst of
// transactions has been seen to stall the embedded database's single session.
async function untilIngested(count: number, timeout: number): Promise<void> {
  await expect.poll(ingested, { timeout, interval: 250 }).toBeGreaterThanOrEqual(count);
}

/** Invocation lines of the ingest function with this outcome and code. */
function invocations(outcome: string, code?: string): Record<string, unknown>[] {
  return capture.lines
    .filter((line) => line.includes('Function invocation finished'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.function === 'ingest' && line.outcome === outcome)
    .filter((line) => code === undefined || line.code === code);
}

describe('event-driven inserts on the offline stack', () => {
  it('turns an enqueued file of rows into rows served by GET /api/{entity}', async () => {
    const before = ingested();
    const path = join(folder, 'rows.ndjson');
    writeFileSync(
      path,
      rows('file', 0, 300)
        .map((row) => JSON.stringify(row))
        .join('\n'),
    );
    const sent = await enqueueFile(
      { entity: 'items', mode: 'insert', file: await readRows(path), path },
      { connectionString: azurite.connectionString, queue: QUEUE },
    );

    expect(sent).toEqual({ messages: 1, rows: 300 });
    await untilIngested(before + 1, 15_000);
    expect(await rowCount('file')).toBe(300);
    const response = await fetch(`${host.url}/api/items?$filter=tag eq 'file'&$first=1000`, {
      headers: { 'x-functions-key': FUNCTION_KEY },
    });
    const body = (await response.json()) as { value: { seq: number }[] };
    expect(response.status).toBe(200);
    expect(body.value.map((row) => row.seq).sort((a, b) => a - b)).toEqual(
      rows('file', 0, 300).map((row) => row.seq),
    );
  });

  it('writes the same message sent twice once', async () => {
    const message = { entity: 'items', rows: rows('twice', 0, 3), idempotencyKey: randomUUID() };
    const before = ingested();
    await send([message, message]);

    await untilIngested(before + 2, 15_000);
    expect([...(await seqCounts('twice')).values()]).toEqual([1, 1, 1]);
  });

  it('parks a malformed message with its reason after one attempt', async () => {
    await send(['{"entity": "items", "rows": [ broken']);

    const poison = queue(`${QUEUE}-poison`);
    await expect
      .poll(
        async () =>
          (await poison.exists()) && (await poison.peekMessages()).peekedMessageItems.length,
        {
          timeout: 15_000,
        },
      )
      .toBe(1);
    const [item] = (await poison.receiveMessages()).receivedMessageItems;
    const envelope = JSON.parse(
      Buffer.from(item!.messageText, 'base64').toString(),
    ) as PoisonEnvelope;
    expect(envelope.original).toBe('{"entity": "items", "rows": [ broken');
    expect(envelope.reason).toMatchObject({ code: 'NotJson', messageId: expect.any(String) });
    const attempts = capture.lines.filter(
      (line) =>
        line.includes('Function invocation finished') && line.includes(envelope.reason.messageId!),
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toContain(envelope.reason.invocationId);
    await poison.deleteMessage(item!.messageId, item!.popReceipt);
  });

  it('lands 1,000 messages of mixed sizes, some sent twice, each row exactly once', async () => {
    const unique = Array.from({ length: 900 }, (_, i) => ({
      entity: 'items',
      rows: rows('burst', i * 100, 1 + ((i * 7) % 23)),
      idempotencyKey: `burst-${i}`,
    }));
    const duplicates = unique.filter((_, i) => i % 9 === 0).slice(0, 100);
    const messages = [...unique, ...duplicates].sort(() => Math.random() - 0.5);
    const expected = unique.reduce((sum, message) => sum + message.rows.length, 0);
    expect(messages).toHaveLength(1_000);
    const before = ingested();
    await send(messages, 24);

    await untilIngested(before + 1_000, 100_000);
    await expect
      .poll(async () => (await queue().getProperties()).approximateMessagesCount, {
        timeout: 15_000,
      })
      .toBe(0);
    const counts = await seqCounts('burst');
    expect(counts.size).toBe(expected);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('retries while the database is stopped and lands every message once it is back', async () => {
    const port = database.port;
    await database.stop();
    const failuresBefore = invocations('failed', 'DatabaseUnavailable').length;
    const before = ingested();
    const messages = Array.from({ length: 20 }, (_, i) => ({
      entity: 'items',
      rows: rows('outage', i * 10, 1 + (i % 5)),
    }));
    await send(messages);

    await expect
      .poll(() => invocations('failed', 'DatabaseUnavailable').length, { timeout: 20_000 })
      .toBeGreaterThan(failuresBefore);
    database = await startEmbeddedPostgres({ dataDir, port });

    const expected = messages.reduce((sum, message) => sum + message.rows.length, 0);
    await untilIngested(before + messages.length, 40_000);
    expect(await rowCount('outage')).toBe(expected);
    const counts = await seqCounts('outage');
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await (await queue(`${QUEUE}-poison`)).peekMessages()).toMatchObject({
      peekedMessageItems: [],
    });
  }, 90_000);
});

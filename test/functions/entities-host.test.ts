import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition as itemDefinition } from '../../functions/entities-item.js';
import { definition as collectionDefinition } from '../../functions/entities.js';
import { definition as healthDefinition } from '../../functions/health.js';
import { definition as openapiDefinition } from '../../functions/openapi.js';
import { startHost, type RunningHost } from '../../local/host/start-host.js';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import { startEmbeddedPostgres } from '../../local/postgres/embedded-postgres.js';
import { closeRuntime } from '../../src/runtime.js';
import { writeDemoConfig } from '../api/conformance/api-client.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';

const FUNCTION_KEY = 'entities-host-function-key';
let emulator: KeyVaultEmulator;
let database: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let host: RunningHost;
const capture = new Capture();

beforeAll(async () => {
  [emulator, database] = await Promise.all([startTestEmulator(), startEmbeddedPostgres()]);
  emulator.setSecret('db-connection-string', database.url);
  Object.assign(process.env, {
    ...appSettings(emulator),
    DB_SECRET_NAME: 'db-connection-string',
    VAULTGATE_CONFIG: writeDemoConfig(undefined),
  });
  host = await startHost({
    definitions: [collectionDefinition, itemDefinition, healthDefinition, openapiDefinition],
    hostJson: JSON.parse(readFileSync('host.json', 'utf8')),
    port: 0,
    functionKey: FUNCTION_KEY,
    logger: capture.logger,
  });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await closeRuntime();
  await Promise.all([emulator.stop(), database.stop()]);
  expect(capture.leaked([APP.clientSecret, database.url, FUNCTION_KEY])).toEqual([]);
});

async function send(path: string, init: RequestInit = {}) {
  const response = await fetch(path.startsWith('http') ? path : `${host.url}/api/${path}`, {
    ...init,
    headers: { 'x-functions-key': FUNCTION_KEY, ...init.headers },
  });
  const text = await response.text();
  capture.add(text);
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

describe('the entity functions behind the offline host', () => {
  it('pages a table over HTTP by following nextLink', async () => {
    const ids: number[] = [];
    let next: string | undefined = 'orders?$first=700&$select=id';
    while (next !== undefined) {
      const page = await send(next);
      expect(page.status).toBe(200);
      ids.push(...page.body.value.map((row: { id: number }) => row.id));
      next = page.body.nextLink;
    }
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.length).toBeGreaterThanOrEqual(3000);
  });

  it('reads a composite key and a key holding an encoded comma', async () => {
    const line = await send('order-lines/1,1');
    expect(line.status).toBe(200);
    expect(line.body).toMatchObject({ order_id: 1, line_no: 1 });
    const odd = await send('order-lines/1%2C1,1');
    expect(odd.status).toBe(400);
    // Read from the raw path: two parts, the first '1,1' (not three parts after decoding).
    expect(odd.body.error.code).toBe('BadKey');
    expect(odd.body.error.message).toMatch(/^the key column 'order_id' takes whole numbers/);
  });

  it('inserts with POST and answers with a Location that works', async () => {
    const created = await send('events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'over-http', payload: { a: [1, 2] } }),
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${host.url}/api/events/\\d+$`));
    const read = await send(location);
    expect(read.body).toMatchObject({ kind: 'over-http', payload: { a: [1, 2] } });
  });

  it('lets the literal routes win over {entity}', async () => {
    expect((await send('health')).body.status).toBe('healthy');
    expect((await send('openapi.json')).body.openapi).toBe('3.1.0');
  });

  it('refuses a request without the function key', async () => {
    const response = await fetch(`${host.url}/api/orders`);
    expect(response.status).toBe(401);
  });
});

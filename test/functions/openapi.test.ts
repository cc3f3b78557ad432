import { HttpRequest } from '@azure/functions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openapi } from '../../functions/openapi.js';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import { startEmbeddedPostgres } from '../../local/postgres/embedded-postgres.js';
import { closeRuntime } from '../../src/runtime.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';
import { writeDemoConfig } from '../api/conformance/api-client.js';

let emulator: KeyVaultEmulator;
let database: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
const capture = new Capture();

beforeAll(async () => {
  [emulator, database] = await Promise.all([startTestEmulator(), startEmbeddedPostgres()]);
});

afterAll(async () => {
  await closeRuntime();
  await Promise.all([emulator.stop(), database.stop()]);
  expect(capture.leaked([APP.clientSecret, database.url])).toEqual([]);
});

afterEach(async () => {
  await closeRuntime();
});

function configure(connectionString: string) {
  emulator.setSecret('db-connection-string', connectionString);
  Object.assign(process.env, {
    ...appSettings(emulator),
    DB_SECRET_NAME: 'db-connection-string',
    VAULTGATE_CONFIG: writeDemoConfig(undefined),
  });
}

async function fetchDocument(headers: Record<string, string> = {}) {
  const request = new HttpRequest({
    method: 'GET',
    url: 'http://localhost:7071/api/openapi.json',
    headers,
  });
  const response = await openapi(request, capture.context('openapi'));
  capture.add(response);
  return { status: response.status, body: response.jsonBody };
}

describe('GET /api/openapi.json', () => {
  it('describes each entity from the configuration and the catalog', async () => {
    configure(database.url);
    const { status, body } = await fetchDocument();

    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.servers).toEqual([{ url: 'http://localhost:7071/api' }]);
    expect(Object.keys(body.paths)).toContain('/order-lines/{key}');
    expect(body.paths['/events'].post).toBeDefined();
    expect(body.paths['/events/{key}'].delete).toBeUndefined();
    expect(body.paths['/people'].post).toBeUndefined();
    const customers = body.components.schemas.Customers;
    expect(customers.required).toEqual(['name', 'email', 'country']);
    expect(customers.properties.id).toMatchObject({ type: 'integer', readOnly: true });
    expect(customers.properties.created_at).toMatchObject({ format: 'date-time' });
    expect(body.components.schemas.Orders.properties.delivered_at.type).toEqual(['string', 'null']);
    expect(Object.keys(body.components.schemas.People.properties).sort()).toEqual([
      'country',
      'id',
      'name',
    ]);
  });

  it('names the server as the caller sees it behind a proxy', async () => {
    configure(database.url);
    const { body } = await fetchDocument({
      'x-forwarded-host': 'data.example.com',
      'x-forwarded-proto': 'https',
    });

    expect(body.servers).toEqual([{ url: 'https://data.example.com/api' }]);
  });

  it('answers 503 when the database cannot be reached', async () => {
    const closed = new URL(database.url);
    closed.port = '1';
    configure(closed.toString());
    const { status, body } = await fetchDocument();

    expect(status).toBe(503);
    expect(body.error.code).toBe('DatabaseUnavailable');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest } from '@azure/functions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../../functions/entities.js';
import { entitiesItem } from '../../functions/entities-item.js';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import { startEmbeddedPostgres } from '../../local/postgres/embedded-postgres.js';
import { closeRuntime } from '../../src/runtime.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';

let emulator: KeyVaultEmulator;
let database: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
const capture = new Capture();
let restoreConsole: () => void;

beforeAll(async () => {
  [emulator, database] = await Promise.all([startTestEmulator(), startEmbeddedPostgres()]);
  restoreConsole = capture.console();
});

afterAll(async () => {
  restoreConsole();
  await closeRuntime();
  await Promise.all([emulator.stop(), database.stop()]);
  const password = new URL(database.url).password;
  expect(capture.leaked([APP.clientSecret, database.url, password])).toEqual([]);
});

afterEach(async () => {
  await closeRuntime();
});

function configFile(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vaultgate-fn-')), 'vaultgate.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const DEMO = configFile({
  entities: { customers: { source: 'customers', actions: ['read', 'create'] } },
});

function configure(overrides: Record<string, string> = {}) {
  emulator.setSecret('db-connection-string', database.url);
  Object.assign(process.env, {
    ...appSettings(emulator),
    DB_SECRET_NAME: 'db-connection-string',
    SECRET_CACHE_SECONDS: '60',
    VAULTGATE_CONFIG: DEMO,
    ...overrides,
  });
}

async function get(path: string) {
  const [entity = '', key] = path.split('?')[0]!.split('/');
  const params: Record<string, string> = { entity };
  if (key !== undefined) params.key = key;
  const request = new HttpRequest({
    method: 'GET',
    url: `http://localhost:7071/api/${path}`,
    params,
  });
  const handler = key === undefined ? entities : entitiesItem;
  const response = await handler(request, capture.context('entities'));
  capture.add(response);
  const headers = (response.headers ?? {}) as Record<string, string>;
  return { status: response.status, body: response.jsonBody, headers };
}

function requestLines(): Record<string, unknown>[] {
  return capture.lines
    .filter((line) => line.includes('Answered an entity request.'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
}

describe('the entity functions', () => {
  it('serve a page of rows and log one line with entity, action, rows, ms and cache', async () => {
    configure();
    const answer = await get('customers?$first=3');

    expect(answer.status).toBe(200);
    expect(answer.body.value).toHaveLength(3);
    expect(answer.headers['Content-Type']).toMatch(/^application\/json/);
    const line = requestLines().at(-1);
    expect(line).toMatchObject({
      function: 'entities',
      entity: 'customers',
      action: 'read',
      rows: 3,
      status: 200,
      cache: 'fresh',
    });
    expect(line?.dbMs).toEqual(expect.any(Number));
  });

  it('answer 503 with Retry-After when the secret cannot be read', async () => {
    configure({ DB_SECRET_NAME: 'missing-secret' });
    const answer = await get('customers/1');

    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('SecretNotFound');
    expect(Number(answer.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('answer 503 with Retry-After when the database cannot be reached', async () => {
    const closed = new URL(database.url);
    closed.port = '1';
    configure();
    emulator.setSecret('db-connection-string', closed.toString());
    const answer = await get('customers');

    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('DatabaseUnavailable');
    expect(answer.headers['Retry-After']).toBe('5');
  });

  it('answer 500 naming the path in vaultgate.json when the configuration is wrong', async () => {
    configure({
      VAULTGATE_CONFIG: configFile({
        entities: { customers: { source: 'customers', actions: ['drop'] } },
      }),
    });
    const answer = await get('customers');

    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('ConfigurationError');
    expect(answer.body.error.message).toMatch(/entities\.customers\.actions\.0/);
  });

  it('refuse an entity named like a route of the app', async () => {
    configure({ VAULTGATE_CONFIG: configFile({ entities: { health: { source: 'customers' } } }) });
    const answer = await get('health');

    expect(answer.status).toBe(500);
    expect(answer.body.error.message).toMatch(/entities\.health: 'health' is a route of the app/);
  });

  it('answer 500 naming the source when the table does not exist', async () => {
    configure({ VAULTGATE_CONFIG: configFile({ entities: { ghosts: { source: 'ghosts' } } }) });
    const answer = await get('ghosts');

    expect(answer.status).toBe(500);
    expect(answer.body.error.message).toMatch(/entities\.ghosts\.source names ghosts/);
  });
});

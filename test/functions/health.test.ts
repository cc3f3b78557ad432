import { HttpRequest } from '@azure/functions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { health } from '../../functions/health.js';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import { startEmbeddedPostgres } from '../../local/postgres/embedded-postgres.js';
import type { HealthReport } from '../../src/health.js';
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
  expect(capture.leaked([APP.clientSecret, database.url, new URL(database.url).password])).toEqual(
    [],
  );
});

afterEach(async () => {
  await closeRuntime();
  await emulator.faults.clear();
});

function configure(overrides: Record<string, string> = {}) {
  Object.assign(process.env, {
    ...appSettings(emulator),
    DB_SECRET_NAME: 'db-connection-string',
    SECRET_CACHE_SECONDS: '60',
    ...overrides,
  });
}

async function callHealth(): Promise<{ status: number; body: HealthReport; retryAfter?: string }> {
  const request = new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/health' });
  const response = await health(request, capture.context('health'));
  capture.add(response);
  const headers = (response.headers ?? {}) as Record<string, string>;
  return {
    status: response.status ?? 200,
    body: response.jsonBody as HealthReport,
    retryAfter: headers['Retry-After'],
  };
}

describe('GET /api/health', () => {
  it('reports Key Vault and the embedded database as healthy', async () => {
    const version = emulator.setSecret('db-connection-string', database.url);
    configure();

    const { status, body } = await callHealth();
    expect(status).toBe(200);
    expect(body.status).toBe('healthy');
    expect(body.keyVault).toMatchObject({ ok: true, secretVersion: version });
    expect(body.keyVault.cache?.state).toBe('fresh');
    expect(body.database).toMatchObject({ ok: true, engine: 'postgres' });
    expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('serves from the cache on the second call', async () => {
    emulator.setSecret('db-connection-string', database.url);
    configure();
    await callHealth();
    emulator.resetRequestCount();

    const { body } = await callHealth();
    expect(body.keyVault.cache).toMatchObject({ state: 'fresh', misses: 1 });
    expect(body.keyVault.cache?.hits).toBeGreaterThan(1);
    expect(emulator.requestCount.getSecret).toBe(0);
  });

  it('answers 503 naming Key Vault when the secret cannot be read', async () => {
    configure({ DB_SECRET_NAME: 'missing-secret' });

    const { status, body, retryAfter } = await callHealth();
    expect(status).toBe(503);
    expect(retryAfter).toBe('5');
    expect(body.status).toBe('unhealthy');
    expect(body.keyVault.ok).toBe(false);
    expect(body.keyVault.error?.code).toBe('SecretNotFound');
    expect(body.database.error?.code).toBe('NotChecked');
  });

  it('says degraded while a stale secret keeps serving', async () => {
    emulator.setSecret('db-connection-string', database.url);
    configure({ SECRET_CACHE_SECONDS: '0' });
    await callHealth();
    await emulator.faults.set({ refuseConnections: true });

    const { status, body } = await callHealth();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.keyVault).toMatchObject({ ok: false, error: { code: 'KeyVaultUnavailable' } });
    expect(body.keyVault.cache?.state).toBe('stale');
    expect(body.database.ok).toBe(true);
  });

  it('answers 503 naming the database when it cannot be reached', async () => {
    const closed = new URL(database.url);
    closed.port = '1';
    emulator.setSecret('db-connection-string', closed.toString());
    configure();

    const { status, body } = await callHealth();
    expect(status).toBe(503);
    expect(body.keyVault.ok).toBe(true);
    expect(body.database).toMatchObject({ ok: false, error: { code: 'DatabaseUnavailable' } });
  });

  it('answers 500 naming the setting when the settings are wrong', async () => {
    configure({ KEY_VAULT_URL: 'http://not-https' });

    const request = new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/health' });
    const response = await health(request, capture.context('health'));
    expect(response.status).toBe(500);
    expect(response.jsonBody).toMatchObject({
      error: { code: 'ConfigurationError', message: expect.stringMatching(/KEY_VAULT_URL/) },
    });
  });
});

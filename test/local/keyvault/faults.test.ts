import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY_HEADER, type KeyVaultEmulator } from '../../../local/keyvault/index.js';
import { clientFor, failureOf, startTestEmulator } from './emulator-fixture.js';
import { rawRequest } from './raw-request.js';

const NO_RETRIES = { retryOptions: { maxRetries: 0 } };

describe('fault injection in the Key Vault emulator', () => {
  let emulator: KeyVaultEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator({ secrets: { 'db-connection': 'Server=db;Password=p4ss' } });
  });

  afterEach(async () => {
    await emulator.faults.clear('vault');
    await emulator.faults.clear('authority');
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('answers 429 with Retry-After, which the SDK waits out before retrying', async () => {
    const client = clientFor(emulator);
    await client.getSecret('db-connection');
    await emulator.faults.set({ failNext: { count: 1, status: 429, retryAfterSeconds: 1 } });
    emulator.resetRequestCount();

    const started = Date.now();
    const secret = await client.getSecret('db-connection');

    expect(secret.value).toBe('Server=db;Password=p4ss');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.requestCount.getSecret).toBe(2);
  });

  it('surfaces 429 Throttled with its Retry-After when retries are used up', async () => {
    const client = clientFor(emulator, undefined, NO_RETRIES);
    await client.getSecret('db-connection');
    await emulator.faults.set({ failNext: { count: 5, status: 429, retryAfterSeconds: 7 } });

    const error = await failureOf(() => client.getSecret('db-connection'));

    expect(error.statusCode).toBe(429);
    expect(error.code).toBe('Throttled');
    const response = error.response as { headers: { get(name: string): string | undefined } };
    expect(response.headers.get('retry-after')).toBe('7');
    expect(emulator.faults.state().failNext?.count).toBe(4);
  });

  it('answers 500 InternalServerError for the next request only', async () => {
    const client = clientFor(emulator, undefined, NO_RETRIES);
    await client.getSecret('db-connection');
    await emulator.faults.set({ failNext: { count: 1, status: 500 } });

    const error = await failureOf(() => client.getSecret('db-connection'));

    expect([error.statusCode, error.code]).toEqual([500, 'InternalServerError']);
    expect((await client.getSecret('db-connection')).value).toBe('Server=db;Password=p4ss');
  });

  it('adds latency to every answer', async () => {
    const client = clientFor(emulator);
    await client.getSecret('db-connection');
    await emulator.faults.set({ latencyMs: 300 });

    const started = Date.now();
    await client.getSecret('db-connection');

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refuses connections while the vault is down, and serves again on the same port', async () => {
    const client = clientFor(emulator, undefined, NO_RETRIES);
    await client.getSecret('db-connection');
    const port = emulator.port;

    await emulator.faults.set({ refuseConnections: true });
    // The client's kept-alive connection is cut (a reset); a new one is refused.
    const cut = await failureOf(() => client.getSecret('db-connection'));
    expect(['ECONNRESET', 'ECONNREFUSED']).toContain(cut.code);
    const refused = await failureOf(() => client.getSecret('db-connection'));
    expect(refused.code).toBe('ECONNREFUSED');

    await emulator.faults.clear();
    expect(emulator.port).toBe(port);
    expect((await client.getSecret('db-connection')).value).toBe('Server=db;Password=p4ss');
  });

  it('takes faults through the admin path and answers even as its server goes down', async () => {
    const admin = { [ADMIN_KEY_HEADER]: emulator.adminKey, 'content-type': 'application/json' };
    const down = await rawRequest(`${emulator.vaultUrl}/_emulator/faults?target=vault`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ refuseConnections: true }),
    });
    expect(down.status).toBe(200);
    expect(JSON.parse(down.body).refuseConnections).toBe(true);
    await expect(rawRequest(`${emulator.vaultUrl}/secrets?api-version=7.5`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });

    const up = await rawRequest(`${emulator.adminUrl}/_emulator/faults?target=vault`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(up.status).toBe(200);
    expect((await rawRequest(`${emulator.vaultUrl}/secrets?api-version=7.5`)).status).toBe(401);
  });

  it('rejects a fault plan it cannot apply with 400 BadParameter', async () => {
    const answer = await rawRequest(`${emulator.adminUrl}/_emulator/faults`, {
      method: 'PUT',
      headers: { [ADMIN_KEY_HEADER]: emulator.adminKey },
      body: JSON.stringify({ failNext: { count: 1, status: 418 } }),
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe('BadParameter');
  });

  it('faults the authority apart from the vault; the credential retries a 503', async () => {
    await emulator.faults.set(
      { failNext: { count: 1, status: 503, retryAfterSeconds: 1 } },
      'authority',
    );
    emulator.resetRequestCount();

    const secret = await clientFor(emulator).getSecret('db-connection');

    expect(secret.value).toBe('Server=db;Password=p4ss');
    expect(emulator.requestCount.openidConfiguration).toBe(2);
    expect(emulator.faults.state('vault').failNext).toBeUndefined();
  });
});

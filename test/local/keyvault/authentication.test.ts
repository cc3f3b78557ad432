import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY_HEADER, type KeyVaultEmulator } from '../../../local/keyvault/index.js';
import { APP, LISTER, clientFor, failureOf, startTestEmulator } from './emulator-fixture.js';
import { rawRequest } from './raw-request.js';

const SECRET_VALUE = 'Server=db;Password=never-show-me-42';

describe('authentication and access policies of the Key Vault emulator', () => {
  let emulator: KeyVaultEmulator;
  let clockOffsetMs = 0;

  beforeAll(async () => {
    emulator = await startTestEmulator({ now: () => Date.now() + clockOffsetMs });
    emulator.setSecret('db-connection', SECRET_VALUE);
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('answers a request without a token with 401 and the Key Vault challenge', async () => {
    const answer = await rawRequest(`${emulator.vaultUrl}/secrets/db-connection?api-version=7.5`);

    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(
      `Bearer authorization="${emulator.authorityHost}/${emulator.tenantId}", ` +
        'resource="https://vault.azure.net"',
    );
    expect(JSON.parse(answer.body).error.code).toBe('Unauthorized');
  });

  it('refuses a wrong client secret with invalid_client and AADSTS7000215', async () => {
    const wrongSecret = 'wrong-Secret-abcdef';
    const client = clientFor(emulator, { clientId: APP.clientId, clientSecret: wrongSecret });

    const error = await failureOf(() => client.getSecret('db-connection'));

    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('AADSTS7000215');
    for (const text of [wrongSecret, APP.clientSecret, SECRET_VALUE]) {
      expect(error.message).not.toContain(text);
      expect(String(error.stack)).not.toContain(text);
    }
  });

  it('refuses an unknown client with AADSTS700016', async () => {
    const stranger = { clientId: 'stranger-client-id', clientSecret: 'stranger-Secret-1234' };

    const error = await failureOf(() => clientFor(emulator, stranger).getSecret('db-connection'));

    expect(error.message).toContain('unauthorized_client');
    expect(error.message).toContain('AADSTS700016');
    expect(error.message).toContain('stranger-client-id');
    expect(error.message).not.toContain(stranger.clientSecret);
  });

  it('returns 403 ForbiddenByPolicy, naming operation and client, without get', async () => {
    const error = await failureOf(() => clientFor(emulator, LISTER).getSecret('db-connection'));

    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('Forbidden');
    const details = error.details as { error: { innerError: { code: string } } };
    expect(details.error.innerError.code).toBe('ForbiddenByPolicy');
    expect(error.message).toContain('get');
    expect(error.message).toContain(LISTER.clientId);
    expect(error.message).not.toContain(LISTER.clientSecret);
    expect(error.message).not.toContain(SECRET_VALUE);
  });

  it('applies permissions changed through the admin path', async () => {
    const client = clientFor(emulator, LISTER);
    const grant = await rawRequest(
      `${emulator.adminUrl}/_emulator/registrations/${LISTER.clientId}`,
      {
        method: 'PUT',
        headers: { [ADMIN_KEY_HEADER]: emulator.adminKey, 'content-type': 'application/json' },
        body: JSON.stringify({ permissions: ['list', 'get'] }),
      },
    );
    expect(grant.status).toBe(200);

    expect((await client.getSecret('db-connection')).value).toBe(SECRET_VALUE);
    emulator.setPermissions(LISTER.clientId, ['list']);
    expect((await failureOf(() => client.getSecret('db-connection'))).statusCode).toBe(403);
  });

  it('refuses admin calls without the admin key', async () => {
    const answer = await rawRequest(`${emulator.adminUrl}/_emulator/secrets/db-connection`, {
      method: 'PUT',
      headers: { [ADMIN_KEY_HEADER]: 'not-the-key' },
      body: JSON.stringify({ value: 'overwritten' }),
    });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error.code).toBe('Unauthorized');
    expect(answer.body).not.toContain(emulator.adminKey);
  });

  it('rejects an expired token with 401 Unauthorized', async () => {
    const client = clientFor(emulator);
    await client.getSecret('db-connection');

    clockOffsetMs = 2 * 3600_000;
    try {
      const error = await failureOf(() => client.getSecret('db-connection'));
      expect(error.statusCode).toBe(401);
      expect(error.code).toBe('Unauthorized');
      expect(error.message).toContain('expired');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('rejects a token signed by another key with 401 Unauthorized', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ tid: emulator.tenantId, appid: APP.clientId })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(`${emulator.authorityHost}/${emulator.tenantId}/v2.0`)
      .setAudience('https://vault.azure.net')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);

    const answer = await rawRequest(`${emulator.vaultUrl}/secrets/db-connection?api-version=7.5`, {
      headers: { authorization: `Bearer ${forged}` },
    });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error).toEqual({
      code: 'Unauthorized',
      message: 'The access token signature is invalid.',
    });
    expect(answer.body).not.toContain(SECRET_VALUE);
  });
});

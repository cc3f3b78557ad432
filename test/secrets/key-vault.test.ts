import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import { createCredential } from '../../src/secrets/credential.js';
import { createSecretClient, keyVaultFetcher } from '../../src/secrets/key-vault.js';
import { SecretResolver } from '../../src/secrets/resolver.js';
import type { SecretError } from '../../src/secrets/secret-error.js';
import { loadSettings } from '../../src/settings/settings.js';
import { APP, LISTER, startTestEmulator } from '../local/keyvault/emulator-fixture.js';

const CONNECTION_STRING = 'postgres://app:Sup3r-Secret-pw@127.0.0.1:5432/sales';

let emulator: KeyVaultEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.faults.clear();
  emulator.setSecret('db-connection-string', CONNECTION_STRING);
});

function settingsFor(
  overrides: Record<string, string> = {},
  credentials: { clientId: string; clientSecret: string } = APP,
) {
  return loadSettings({
    KEY_VAULT_URL: emulator.vaultUrl,
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: credentials.clientId,
    AZURE_CLIENT_SECRET: credentials.clientSecret,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    ...overrides,
  });
}

/** The app's own wiring, from settings, exactly as the runtime builds it. */
function fetcherFor(
  overrides: Record<string, string> = {},
  credentials: { clientId: string; clientSecret: string } = APP,
) {
  const settings = settingsFor(overrides, credentials);
  const client = createSecretClient(settings, createCredential(settings));
  return keyVaultFetcher(client, settings.secretName);
}

async function failure(call: () => Promise<unknown>): Promise<SecretError> {
  try {
    await call();
  } catch (error) {
    return error as SecretError;
  }
  throw new Error('The call was expected to fail but succeeded.');
}

function expectNoSecrets(error: Error) {
  for (const secret of [APP.clientSecret, LISTER.clientSecret, CONNECTION_STRING]) {
    expect(error.message).not.toContain(secret);
  }
}

describe('reading the connection string from Key Vault', () => {
  it('signs in with the client secret, answers the challenge and reads the secret', async () => {
    const secret = await fetcherFor()(undefined);

    expect(secret.connectionString).toBe(CONNECTION_STRING);
    expect(secret.version).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reads a pinned version', async () => {
    const first = await fetcherFor()(undefined);
    emulator.setSecret('db-connection-string', 'postgres://app:rotated@127.0.0.1:5432/sales');

    const pinned = await fetcherFor({ DB_SECRET_VERSION: first.version })(first.version);
    expect(pinned.connectionString).toBe(CONNECTION_STRING);
  });

  it('names the sign-in failure of a wrong client secret without the secret', async () => {
    const error = await failure(() =>
      fetcherFor({}, { clientId: APP.clientId, clientSecret: 'wrong-Secret-000' })(undefined),
    );

    expect(error.code).toBe('KeyVaultSignInFailed');
    expect(error.status).toBe(503);
    expect(error.transient).toBe(false);
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).not.toContain('wrong-Secret-000');
    expectNoSecrets(error);
  });

  it('says the identity lacks the get permission', async () => {
    const error = await failure(() => fetcherFor({}, LISTER)(undefined));

    expect(error.code).toBe('KeyVaultForbidden');
    expect(error.message).toMatch(/may not read the secret 'db-connection-string'/);
    expectNoSecrets(error);
  });

  it('says the secret is disabled', async () => {
    const fetch = fetcherFor();
    const { version } = await fetch(undefined);
    const settings = settingsFor();
    const client = createSecretClient(settings, createCredential(settings));
    await client.updateSecretProperties('db-connection-string', version, { enabled: false });

    const error = await failure(() => fetch(undefined));
    expect(error.code).toBe('SecretDisabled');
    expect(error.transient).toBe(false);
  });

  it('says a missing secret does not exist and how to create it', async () => {
    const error = await failure(() => fetcherFor({ DB_SECRET_NAME: 'no-such-secret' })(undefined));

    expect(error.code).toBe('SecretNotFound');
    expect(error.message).toMatch(/'no-such-secret'.*does not exist.*az keyvault secret set/);
  });

  it('says the vault cannot be reached while it refuses connections', async () => {
    const fetch = fetcherFor();
    await fetch(undefined);
    await emulator.faults.set({ refuseConnections: true });

    const error = await failure(() => fetch(undefined));
    expect(error.code).toBe('KeyVaultUnavailable');
    expect(error.transient).toBe(true);
    expect(error.message).toContain(emulator.vaultUrl);
  });

  it('passes on the Retry-After of a throttled answer', async () => {
    const fetch = fetcherFor();
    await fetch(undefined);
    await emulator.faults.set({ failNext: { count: 1, status: 429, retryAfterSeconds: 7 } });

    const error = await failure(() => fetch(undefined));
    expect(error.code).toBe('KeyVaultThrottled');
    expect(error.retryAfterSeconds).toBe(7);
  });
});

describe('the resolver against the emulator', () => {
  it('makes one Key Vault request for 100 concurrent callers', async () => {
    const resolver = new SecretResolver({
      fetch: fetcherFor(),
      cacheSeconds: 60,
      maxStaleSeconds: 900,
    });
    emulator.resetRequestCount();

    const secrets = await Promise.all(Array.from({ length: 100 }, () => resolver.resolve()));
    expect(new Set(secrets.map((s) => s.connectionString))).toEqual(new Set([CONNECTION_STRING]));
    expect(emulator.requestCount.getSecret).toBe(1);
  });

  it('picks up a new version after the old one is invalidated', async () => {
    const resolver = new SecretResolver({
      fetch: fetcherFor(),
      cacheSeconds: 60,
      maxStaleSeconds: 900,
    });
    const first = await resolver.resolve();
    const rotated = 'postgres://app:Rotated-pw-2@127.0.0.1:5432/sales';
    const newVersion = emulator.setSecret('db-connection-string', rotated);

    expect((await resolver.resolve()).version).toBe(first.version);
    resolver.invalidate(first.version);
    const second = await resolver.resolve();
    expect(second).toEqual({ connectionString: rotated, version: newVersion });
  });

  it('serves the cached value while the vault is down, and reports it stale', async () => {
    const resolver = new SecretResolver({
      fetch: fetcherFor(),
      cacheSeconds: 0,
      maxStaleSeconds: 60,
    });
    await resolver.resolve();
    await emulator.faults.set({ refuseConnections: true });

    expect((await resolver.resolve()).connectionString).toBe(CONNECTION_STRING);
    expect(resolver.status()).toMatchObject({
      state: 'stale',
      lastError: { code: 'KeyVaultUnavailable' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { loadSettings } from '../../src/settings/settings.js';

const VAULT = 'https://my-vault.vault.azure.net';

function mistake(env: Record<string, string>): string {
  try {
    loadSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('loadSettings', () => {
  it('applies the defaults', () => {
    const settings = loadSettings({ KEY_VAULT_URL: VAULT });

    expect(settings).toEqual({
      keyVaultUrl: VAULT,
      secretName: 'db-connection-string',
      secretVersion: undefined,
      credential: { kind: 'default', managedIdentityClientId: undefined },
      authorityHost: undefined,
      secretCacheSeconds: 60,
      secretMaxStaleSeconds: 900,
      maxBatchRows: 10_000,
    });
  });

  it('chooses the app registration when tenant, client id and secret are all set', () => {
    const settings = loadSettings({
      KEY_VAULT_URL: VAULT,
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_CLIENT_SECRET: 's3cret-value',
      AZURE_AUTHORITY_HOST: 'https://127.0.0.1:8443',
      DB_SECRET_VERSION: 'ABCDEF0123456789ABCDEF0123456789',
      SECRET_CACHE_SECONDS: '0',
    });

    expect(settings.credential).toEqual({
      kind: 'clientSecret',
      tenantId: 't',
      clientId: 'c',
      clientSecret: 's3cret-value',
    });
    expect(settings.authorityHost).toBe('https://127.0.0.1:8443');
    expect(settings.secretVersion).toBe('abcdef0123456789abcdef0123456789');
    expect(settings.secretCacheSeconds).toBe(0);
  });

  it('names KEY_VAULT_URL when it is missing', () => {
    expect(mistake({})).toMatch(/^KEY_VAULT_URL is not set/);
  });

  it('refuses a Key Vault URL that is not https', () => {
    expect(mistake({ KEY_VAULT_URL: 'http://vault' })).toMatch(/KEY_VAULT_URL must be an https/);
  });

  it('says a value is an unresolved Key Vault reference and does not use it', () => {
    const message = mistake({
      KEY_VAULT_URL: '@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)',
    });

    expect(message).toMatch(/KEY_VAULT_URL is an unresolved Key Vault reference/);
  });

  it('names the missing parts of an incomplete app registration without the secret', () => {
    const message = mistake({
      KEY_VAULT_URL: VAULT,
      AZURE_CLIENT_SECRET: 'very-secret-value',
    });

    expect(message).toMatch(/AZURE_TENANT_ID and AZURE_CLIENT_ID are not/);
    expect(message).not.toContain('very-secret-value');
  });

  it('refuses a cache time that is not a whole number of seconds', () => {
    expect(mistake({ KEY_VAULT_URL: VAULT, SECRET_CACHE_SECONDS: '1.5' })).toMatch(
      /SECRET_CACHE_SECONDS must be a whole number of seconds/,
    );
  });

  it('reads MAX_BATCH_ROWS and refuses a value below 1', () => {
    expect(loadSettings({ KEY_VAULT_URL: VAULT, MAX_BATCH_ROWS: '250' }).maxBatchRows).toBe(250);
    expect(mistake({ KEY_VAULT_URL: VAULT, MAX_BATCH_ROWS: '0' })).toMatch(
      /MAX_BATCH_ROWS must be a whole number of 1 or more, not '0'/,
    );
  });

  it('reports every mistake at once', () => {
    const message = mistake({
      KEY_VAULT_URL: 'ftp://x',
      DB_SECRET_NAME: 'bad name!',
      SECRET_MAX_STALE_SECONDS: '-1',
    });

    expect(message).toMatch(/KEY_VAULT_URL/);
    expect(message).toMatch(/DB_SECRET_NAME/);
    expect(message).toMatch(/SECRET_MAX_STALE_SECONDS/);
  });
});

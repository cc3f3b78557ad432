import { ClientSecretCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { startKeyVaultEmulator, type KeyVaultEmulator } from '../../../local/keyvault/index.js';
import type { KeyVaultEmulatorOptions } from '../../../local/keyvault/index.js';

/** The registrations most tests use: one app with every permission, one that may only list. */
export const APP = { clientId: 'app-client-id', clientSecret: 'app-Secret-0123456789' };
export const LISTER = { clientId: 'lister-client-id', clientSecret: 'lister-Secret-9876543210' };

/** Starts an emulator with APP (all permissions) and LISTER (list only) registered. */
export function startTestEmulator(
  options: KeyVaultEmulatorOptions = {},
): Promise<KeyVaultEmulator> {
  return startKeyVaultEmulator({
    registrations: [
      { ...APP, permissions: ['get', 'list', 'set', 'delete', 'purge', 'recover'] },
      { ...LISTER, permissions: ['list'] },
    ],
    ...options,
  });
}

/**
 * A real SecretClient over a real ClientSecretCredential, with only the options the emulator
 * needs, plus whatever a test adds (fewer retries, to keep failure tests short).
 */
export function clientFor(
  emulator: KeyVaultEmulator,
  credentials: { clientId: string; clientSecret: string } = APP,
  options: SecretClientOptions = {},
): SecretClient {
  const credential = new ClientSecretCredential(
    emulator.tenantId,
    credentials.clientId,
    credentials.clientSecret,
    { authorityHost: emulator.authorityHost, disableInstanceDiscovery: true },
  );
  return new SecretClient(emulator.vaultUrl, credential, {
    disableChallengeResourceVerification: true,
    ...options,
  });
}

/** Runs the call and returns what it threw; fails the test if it did not throw. */
export async function failureOf(
  call: () => Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await call();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('The call was expected to fail but succeeded.');
}

/** The app settings that have the app sign in as APP and read secrets from the emulator. */
export function appSettings(emulator: KeyVaultEmulator): Record<string, string> {
  return {
    KEY_VAULT_URL: emulator.vaultUrl,
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: APP.clientId,
    AZURE_CLIENT_SECRET: APP.clientSecret,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
  };
}

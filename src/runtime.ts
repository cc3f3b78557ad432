import type { TokenCredential } from '@azure/identity';
import { Database } from './db/database.js';
import { silentLogger, type Logger } from './log.js';
import { createCredential } from './secrets/credential.js';
import { createSecretClient, keyVaultFetcher } from './secrets/key-vault.js';
import { SecretResolver } from './secrets/resolver.js';
import { loadSettings, type Environment, type Settings } from './settings/settings.js';

/** The long-lived parts of one process, shared by every invocation. */
export interface Runtime {
  settings: Settings;
  /** The app's identity: for Key Vault, and for databases that sign in with Entra ID. */
  credential: TokenCredential;
  resolver: SecretResolver;
  database: Database;
}

let current: Runtime | undefined;

/**
 * Builds the runtime on first use and returns the same one afterwards: one credential, one
 * SecretClient, one resolver and one set of pools per process. Settings mistakes throw a
 * ConfigurationError naming the setting, on every call until they are fixed and the process
 * restarts.
 */
export function getRuntime(env: Environment = process.env, logger?: Logger): Runtime {
  current ??= createRuntime(env, logger);
  return current;
}

/** Closes the pools; the next getRuntime builds a new runtime (tests, shutdown). */
export async function closeRuntime(): Promise<void> {
  const runtime = current;
  current = undefined;
  await runtime?.database.close();
}

export function createRuntime(env: Environment, logger: Logger = silentLogger): Runtime {
  const settings = loadSettings(env);
  const credential = createCredential(settings);
  const client = createSecretClient(settings, credential);
  const resolver = new SecretResolver({
    fetch: keyVaultFetcher(client, settings.secretName),
    version: settings.secretVersion,
    cacheSeconds: settings.secretCacheSeconds,
    maxStaleSeconds: settings.secretMaxStaleSeconds,
  });
  const database = new Database({ secrets: resolver, credential, logger });
  return { settings, credential, resolver, database };
}

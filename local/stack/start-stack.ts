import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionDefinition } from '../../functions/register.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { closeRuntime } from '../../src/runtime.js';
import { startAzurite, type RunningAzurite } from '../azurite/start-azurite.js';
import { loadDefinitions } from '../host/load-definitions.js';
import { startHost, type RunningHost } from '../host/start-host.js';
import { startKeyVaultEmulator, type KeyVaultEmulator } from '../keyvault/index.js';
import { startEmbeddedPostgres } from '../postgres/embedded-postgres.js';
import { numberOf, portOf, storagePorts } from './local-settings.js';
import { assertPortsFree } from './port-check.js';

export interface StackOptions {
  root: string;
  /** The app settings (local.settings.json's Values); their URLs say where services listen. */
  values: Record<string, string>;
  hostPort: number;
  /** Where data outlives a stop (secrets, the database); in memory when undefined. */
  dataDir: string | undefined;
  functionKey: string;
  masterKey: string;
  /** Serve the functions here; false leaves that to Core Tools (`npm run start:func`). */
  serveFunctions: boolean;
  /** Default: the modules package.json's `main` names, as Azure finds them. */
  definitions?: FunctionDefinition[];
  /** Default: the project's host.json. */
  hostJson?: unknown;
  logger?: Logger;
}

export interface RunningStack {
  /** The settings as the functions see them, with the ports each service really took. */
  values: Record<string, string>;
  hostUrl: string | undefined;
  /** The functions the host serves (none when Core Tools serves them). */
  definitions: FunctionDefinition[];
  keyVault: KeyVaultEmulator;
  databaseUrl: string;
  storage: RunningAzurite;
  stop(): Promise<void>;
}

const DEFAULT_POSTGRES_PORT = 54329;

/**
 * Starts the offline stack: the embedded database with its demo data, Azurite, the Key Vault
 * emulator holding the database's connection string, and the offline Functions host.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { values } = options;
  const ports = {
    vault: portOf(values, 'KEY_VAULT_URL'),
    authority: portOf(values, 'AZURE_AUTHORITY_HOST'),
    postgres: numberOf(values, 'LOCAL_POSTGRES_PORT', DEFAULT_POSTGRES_PORT),
    storage: storagePorts(values),
  };
  await assertPortsFree([
    { port: options.hostPort, service: 'the Functions host', setting: 'Host.LocalHttpPort' },
    { port: ports.vault, service: 'the Key Vault emulator', setting: 'Values.KEY_VAULT_URL' },
    {
      port: ports.authority,
      service: 'its token authority',
      setting: 'Values.AZURE_AUTHORITY_HOST',
    },
    {
      port: ports.postgres,
      service: 'the embedded database',
      setting: 'Values.LOCAL_POSTGRES_PORT',
    },
    ...Object.entries(ports.storage).map(([name, port]) => ({
      port,
      service: `Azurite's ${name} service`,
      setting: 'Values.AzureWebJobsStorage',
    })),
  ]);

  const stoppers: (() => Promise<void>)[] = [];
  let host: RunningHost | undefined;
  const stopAll = async () => {
    // The host stops first, so no invocation is left without its database.
    await host?.stop();
    await closeRuntime();
    await Promise.allSettled(stoppers.splice(0).map((stop) => stop()));
  };
  try {
    const [database, storage] = await Promise.all([
      startEmbeddedPostgres({
        dataDir: options.dataDir && join(options.dataDir, 'pgdata'),
        port: ports.postgres,
      }).then((started) => (stoppers.push(started.stop), started)),
      startAzurite({
        blobPort: ports.storage.blob,
        queuePort: ports.storage.queue,
        tablePort: ports.storage.table,
      }).then((started) => (stoppers.push(started.stop), started)),
    ]);
    const secretName = values.DB_SECRET_NAME || 'db-connection-string';
    const keyVault = await startKeyVaultEmulator({
      port: ports.vault,
      authorityPort: ports.authority,
      tenantId: values.AZURE_TENANT_ID,
      registrations: [
        {
          clientId: values.AZURE_CLIENT_ID ?? '',
          clientSecret: values.AZURE_CLIENT_SECRET ?? '',
          permissions: ['get', 'list', 'set', 'delete', 'recover', 'purge'],
        },
      ],
      // The secret points at the embedded database, or at LOCAL_DATABASE_URL when that is
      // set (to run the local stack against a database server of your own).
      secrets: { [secretName]: values.LOCAL_DATABASE_URL || database.url },
      dataFile: options.dataDir && join(options.dataDir, 'keyvault.json'),
    });
    stoppers.push(() => keyVault.stop());

    const actual: Record<string, string> = {
      ...values,
      KEY_VAULT_URL: keyVault.vaultUrl,
      AZURE_AUTHORITY_HOST: keyVault.authorityHost,
      AzureWebJobsStorage: storage.connectionString,
      NODE_EXTRA_CA_CERTS: keyVault.caPath,
    };
    let definitions: FunctionDefinition[] = [];
    if (options.serveFunctions) {
      // The functions read their settings from the environment, as in Azure.
      Object.assign(process.env, actual);
      definitions = options.definitions ?? (await loadDefinitions(options.root));
      host = await startHost({
        definitions,
        hostJson:
          options.hostJson ?? JSON.parse(await readFile(join(options.root, 'host.json'), 'utf8')),
        port: options.hostPort,
        functionKey: options.functionKey,
        masterKey: options.masterKey,
        storageConnectionString: storage.connectionString,
        logger: options.logger ?? silentLogger,
      });
    }
    return {
      values: actual,
      hostUrl: host?.url,
      definitions,
      keyVault,
      databaseUrl: database.url,
      storage,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

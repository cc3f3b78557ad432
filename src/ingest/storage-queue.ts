import { DefaultAzureCredential } from '@azure/identity';
import { QueueClient } from '@azure/storage-queue';
import { ConfigurationError } from '../errors.js';
import type { Environment } from '../settings/settings.js';

const SETTING = 'AzureWebJobsStorage';

/**
 * A client for a queue of the storage account the Functions host uses: from the
 * AzureWebJobsStorage connection string, or, for an identity-based connection
 * (`AzureWebJobsStorage__queueServiceUri` or `__accountName`), with the app's identity.
 */
export function storageQueueClient(queueName: string, env: Environment = process.env): QueueClient {
  const connectionString = env[SETTING]?.trim();
  if (connectionString) return new QueueClient(connectionString, queueName);
  const serviceUri = queueServiceUri(env);
  if (serviceUri === undefined) {
    throw new ConfigurationError(
      `${SETTING} is not set: give the storage connection string the Functions host uses ` +
        `(or ${SETTING}__queueServiceUri for an identity-based connection).`,
    );
  }
  const credential = new DefaultAzureCredential({
    managedIdentityClientId: env[`${SETTING}__clientId`],
  });
  return new QueueClient(`${serviceUri.replace(/\/+$/, '')}/${queueName}`, credential);
}

function queueServiceUri(env: Environment): string | undefined {
  const uri = env[`${SETTING}__queueServiceUri`]?.trim();
  if (uri) return uri;
  const account = env[`${SETTING}__accountName`]?.trim();
  return account ? `https://${account}.queue.core.windows.net` : undefined;
}

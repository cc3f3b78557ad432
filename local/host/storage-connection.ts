import { ConfigurationError } from '../../src/errors.js';

/** The app setting the Functions host uses when a binding names no connection. */
export const DEFAULT_STORAGE_SETTING = 'AzureWebJobsStorage';

/**
 * The storage connection string a binding's `connection` names, read from the app settings
 * (process.env) as the host reads them, `AzureWebJobs<name>` included. The host's own storage
 * option stands in for AzureWebJobsStorage.
 */
export function resolveStorageConnection(
  connection: string | undefined,
  hostStorage: string | undefined,
  functionName: string,
): string {
  const setting =
    connection === undefined || connection === '' ? DEFAULT_STORAGE_SETTING : connection;
  const fromHost = setting === DEFAULT_STORAGE_SETTING ? hostStorage : undefined;
  const value = fromHost ?? process.env[setting] ?? process.env[`AzureWebJobs${setting}`];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(
      `The function "${functionName}" reads its queue through the app setting ${setting}, ` +
        'which is not set; set it to a storage connection string (Azurite for local runs).',
    );
  }
  return value;
}

/** Resolves `%Setting%` in a binding value, as the host does for queue names. */
export function resolveBindingExpression(value: string, functionName: string): string {
  const match = /^%(.+)%$/.exec(value);
  if (match?.[1] === undefined) return value;
  const resolved = process.env[match[1]];
  if (resolved === undefined || resolved === '') {
    throw new ConfigurationError(
      `The function "${functionName}" takes a binding value from the app setting ` +
        `${match[1]}, which is not set.`,
    );
  }
  return resolved;
}

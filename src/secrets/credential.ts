import type { TokenCredential } from '@azure/identity';
import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import type { Settings } from '../settings/settings.js';

/**
 * The one credential of the process: an app registration's client secret when all three
 * AZURE_* settings are given, otherwise DefaultAzureCredential (managed identity in Azure,
 * Azure CLI on a laptop). The database's passwordless sign-in uses the same credential.
 */
export function createCredential(settings: Settings): TokenCredential {
  const authorityHost = settings.authorityHost;
  if (settings.credential.kind === 'clientSecret') {
    const { tenantId, clientId, clientSecret } = settings.credential;
    return new ClientSecretCredential(tenantId, clientId, clientSecret, {
      authorityHost,
      // A local token authority is not known to Entra ID's instance discovery.
      disableInstanceDiscovery: authorityHost !== undefined && isLoopbackUrl(authorityHost),
    });
  }
  return new DefaultAzureCredential({
    authorityHost,
    managedIdentityClientId: settings.credential.managedIdentityClientId,
  });
}

/** True for https://localhost and https://127.x.x.x: the offline stack's endpoints. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

import type { TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { redact } from '../log.js';
import type { Settings } from '../settings/settings.js';
import { isLoopbackUrl } from './credential.js';
import type { SecretFetcher } from './resolver.js';
import { SecretError } from './secret-error.js';

/** How long one Key Vault read may take before it counts as a failure. */
const FETCH_TIMEOUT_MS = 10_000;

/** The one SecretClient of the process: a client per call repeats Key Vault's challenge. */
export function createSecretClient(settings: Settings, credential: TokenCredential): SecretClient {
  return new SecretClient(settings.keyVaultUrl, credential, {
    // The offline vault answers for a localhost URL, which Key Vault's resource check refuses.
    disableChallengeResourceVerification: isLoopbackUrl(settings.keyVaultUrl),
    // The resolver owns retries: it serves the cached value at once instead of waiting out
    // a Retry-After inside the SDK.
    retryOptions: { maxRetries: 0 },
  });
}

/** Reads the secret through the client, turning every failure into a SecretError. */
export function keyVaultFetcher(client: SecretClient, secretName: string): SecretFetcher {
  return async (version) => {
    let secret;
    try {
      secret = await client.getSecret(secretName, {
        version,
        abortSignal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      throw describeFailure(error, secretName, client.vaultUrl);
    }
    if (!secret.value || secret.properties.version === undefined) {
      throw new SecretError(
        'SecretEmpty',
        `Secret '${secretName}' in Key Vault ${client.vaultUrl} has no value; set the ` +
          'database connection string as its value.',
        false,
      );
    }
    return { connectionString: secret.value, version: secret.properties.version };
  };
}

/** What @azure/identity throws when Entra ID refuses the app (MSAL's error inside). */
const SIGN_IN_ERRORS = new Set([
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

interface ErrorShape {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  details?: { error?: { code?: string; innerError?: { code?: string } } };
  errorResponse?: { error?: string; errorDescription?: string };
  response?: { headers?: { get(name: string): string | undefined } };
}

/** One sentence a user can act on, naming the vault and secret, never a credential. */
export function describeFailure(error: unknown, secretName: string, vaultUrl: string): SecretError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const where = `secret '${secretName}' in Key Vault ${vaultUrl}`;

  if (SIGN_IN_ERRORS.has(e.name ?? '')) {
    return signInFailure(e);
  }
  if (e.name === 'CredentialUnavailableError') {
    return new SecretError(
      'KeyVaultSignInFailed',
      "No Azure credential is available: in Azure, turn on the function app's managed " +
        'identity; elsewhere set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or ' +
        'sign in with az login.',
      false,
    );
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new SecretError(
      'KeyVaultUnavailable',
      `Key Vault ${vaultUrl} did not answer within ${FETCH_TIMEOUT_MS / 1000} seconds.`,
      true,
    );
  }

  const inner = e.details?.error?.innerError?.code;
  switch (e.statusCode) {
    case undefined:
      return new SecretError(
        'KeyVaultUnavailable',
        `Key Vault ${vaultUrl} could not be reached (${networkCode(e)}).`,
        true,
      );
    case 401:
      return new SecretError(
        'KeyVaultSignInFailed',
        `Key Vault ${vaultUrl} did not accept the function app's token; check that ` +
          'AZURE_TENANT_ID names the tenant of the vault.',
        false,
      );
    case 403:
      if (inner === 'SecretDisabled') {
        return new SecretError(
          'SecretDisabled',
          `The ${where} is disabled; enable it or set a new version.`,
          false,
        );
      }
      return new SecretError(
        'KeyVaultForbidden',
        `The function app's identity may not read the ${where}: give it the get permission ` +
          'on secrets (an access policy, or the Key Vault Secrets User role).',
        false,
      );
    case 404:
      return new SecretError(
        'SecretNotFound',
        `The ${where} does not exist; create it with az keyvault secret set, or set ` +
          'DB_SECRET_NAME to the secret that holds the connection string.',
        false,
      );
    case 429:
      return new SecretError('KeyVaultThrottled', `Key Vault ${vaultUrl} is throttling.`, true, {
        retryAfterSeconds: retryAfter(e) ?? 5,
      });
    default:
      return new SecretError(
        'KeyVaultUnavailable',
        `Key Vault ${vaultUrl} answered ${e.statusCode} (${e.code ?? 'no code'}).`,
        e.statusCode >= 500,
      );
  }
}

function signInFailure(e: ErrorShape): SecretError {
  const text = e.errorResponse?.errorDescription ?? e.message ?? '';
  // Entra's OAuth error (invalid_client, unauthorized_client, ...) and its AADSTS number say
  // what is wrong; the rest of its text (trace ids, timestamps) does not help a reader.
  const oauth = e.errorResponse?.error ?? /^([a-z_]+):/.exec(text)?.[1];
  const aadsts = /AADSTS\d+/.exec(text)?.[0];
  const reason = [oauth, aadsts].filter(Boolean).join(', ');
  const transient = e.statusCode === undefined ? false : e.statusCode >= 500;
  return new SecretError(
    'KeyVaultSignInFailed',
    `The function app could not sign in to Microsoft Entra ID to read Key Vault` +
      `${reason ? ` (${redact(reason)})` : ''}: check AZURE_TENANT_ID, AZURE_CLIENT_ID and ` +
      'AZURE_CLIENT_SECRET, or the managed identity.',
    transient,
  );
}

function networkCode(e: ErrorShape): string {
  return typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'no answer';
}

function retryAfter(e: ErrorShape): number | undefined {
  const value = Number(e.response?.headers?.get('retry-after'));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

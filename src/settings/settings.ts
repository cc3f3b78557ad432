import { z } from 'zod';
import { ConfigurationError } from '../errors.js';
import { registerSensitive } from '../log.js';

/** How the function app signs in to Microsoft Entra ID to read Key Vault. */
export type CredentialSettings =
  | { kind: 'clientSecret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'default'; managedIdentityClientId: string | undefined };

/** The app settings Vaultgate reads, validated once at start. */
export interface Settings {
  keyVaultUrl: string;
  secretName: string;
  /** A pinned secret version; unset means the latest version. */
  secretVersion: string | undefined;
  credential: CredentialSettings;
  authorityHost: string | undefined;
  secretCacheSeconds: number;
  secretMaxStaleSeconds: number;
  /** The most rows one POST may insert; more is a 413. */
  maxBatchRows: number;
}

export type Environment = Record<string, string | undefined>;

const KEY_VAULT_REFERENCE = '@Microsoft.KeyVault(';

const httpsUrl = (name: string) =>
  z.string().refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', {
    message: `${name} must be an https:// URL, e.g. https://my-vault.vault.azure.net.`,
  });

const seconds = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0) {
        context.addIssue({
          code: 'custom',
          message: `${name} must be a whole number of seconds (0 or more), not '${value}'.`,
        });
        return z.NEVER;
      }
      return parsed;
    });

const positiveCount = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isSafeInteger(parsed) || parsed < 1) {
        context.addIssue({
          code: 'custom',
          message: `${name} must be a whole number of 1 or more, not '${value}'.`,
        });
        return z.NEVER;
      }
      return parsed;
    });

const schema = z.object({
  KEY_VAULT_URL: httpsUrl('KEY_VAULT_URL'),
  DB_SECRET_NAME: z
    .string()
    .regex(/^[0-9a-zA-Z-]{1,127}$/, {
      message: 'DB_SECRET_NAME may hold only letters, digits and dashes (1 to 127 of them).',
    })
    .default('db-connection-string'),
  DB_SECRET_VERSION: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, {
      message: 'DB_SECRET_VERSION must be a Key Vault secret version: 32 hexadecimal digits.',
    })
    .optional(),
  AZURE_TENANT_ID: z.string().optional(),
  AZURE_CLIENT_ID: z.string().optional(),
  AZURE_CLIENT_SECRET: z.string().optional(),
  AZURE_AUTHORITY_HOST: httpsUrl('AZURE_AUTHORITY_HOST').optional(),
  SECRET_CACHE_SECONDS: seconds('SECRET_CACHE_SECONDS', 60),
  SECRET_MAX_STALE_SECONDS: seconds('SECRET_MAX_STALE_SECONDS', 900),
  MAX_BATCH_ROWS: positiveCount('MAX_BATCH_ROWS', 10_000),
});

type Raw = z.infer<typeof schema>;
const NAMES = Object.keys(schema.shape) as (keyof Raw)[];

/**
 * Reads and validates the settings. Every mistake becomes one sentence naming the setting;
 * all of them are reported together in one ConfigurationError.
 */
export function loadSettings(env: Environment = process.env): Settings {
  const values: Environment = {};
  const mistakes: string[] = [];
  for (const name of NAMES) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    if (value.trim().startsWith(KEY_VAULT_REFERENCE)) {
      mistakes.push(unresolvedReference(name));
      continue;
    }
    values[name] = value.trim();
  }
  if (values.KEY_VAULT_URL === undefined && !mistakes.some((m) => m.startsWith('KEY_VAULT_URL'))) {
    mistakes.push(
      'KEY_VAULT_URL is not set: give the URL of the Key Vault that holds the connection ' +
        'string, e.g. https://my-vault.vault.azure.net.',
    );
  }

  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (values[String(issue.path[0])] !== undefined) mistakes.push(issue.message);
    }
  }
  const credential = parsed.success ? credentialSettings(parsed.data, mistakes) : undefined;
  if (mistakes.length > 0 || !parsed.success || credential === undefined) {
    throw new ConfigurationError(mistakes.join(' '));
  }

  const raw = parsed.data;
  return {
    keyVaultUrl: raw.KEY_VAULT_URL,
    secretName: raw.DB_SECRET_NAME,
    secretVersion: raw.DB_SECRET_VERSION?.toLowerCase(),
    credential,
    authorityHost: raw.AZURE_AUTHORITY_HOST,
    secretCacheSeconds: raw.SECRET_CACHE_SECONDS,
    secretMaxStaleSeconds: raw.SECRET_MAX_STALE_SECONDS,
    maxBatchRows: raw.MAX_BATCH_ROWS,
  };
}

function credentialSettings(raw: Raw, mistakes: string[]): CredentialSettings | undefined {
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId } = raw;
  const clientSecret = raw.AZURE_CLIENT_SECRET;
  if (clientSecret === undefined) {
    return { kind: 'default', managedIdentityClientId: clientId };
  }
  registerSensitive(clientSecret);
  const missing = [
    tenantId === undefined ? 'AZURE_TENANT_ID' : undefined,
    clientId === undefined ? 'AZURE_CLIENT_ID' : undefined,
  ].filter((name) => name !== undefined);
  if (tenantId === undefined || clientId === undefined) {
    const verb = missing.length > 1 ? 'are' : 'is';
    mistakes.push(
      `AZURE_CLIENT_SECRET is set but ${missing.join(' and ')} ${verb} not: ` +
        'an app registration needs all three, or remove AZURE_CLIENT_SECRET to use the' +
        " app's managed identity.",
    );
    return undefined;
  }
  return { kind: 'clientSecret', tenantId, clientId, clientSecret };
}

function unresolvedReference(name: string): string {
  return (
    `${name} is an unresolved Key Vault reference (${KEY_VAULT_REFERENCE}...): App Service ` +
    "could not resolve it; check that the app's identity may read that secret, or set the " +
    'value itself.'
  );
}

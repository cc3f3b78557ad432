import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the vault command needs from local.settings.json's `Values`. */
export interface VaultCliSettings {
  vaultUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  authorityHost: string;
}

/** A problem the user fixes by doing what the one-sentence message says. */
export class CliError extends Error {}

const SETTINGS = {
  vaultUrl: 'KEY_VAULT_URL',
  tenantId: 'AZURE_TENANT_ID',
  clientId: 'AZURE_CLIENT_ID',
  clientSecret: 'AZURE_CLIENT_SECRET',
  authorityHost: 'AZURE_AUTHORITY_HOST',
} as const;

/** Reads the vault settings from `<root>/local.settings.json`, which `npm start` writes. */
export function readVaultCliSettings(root: string): VaultCliSettings {
  const path = join(root, 'local.settings.json');
  if (!existsSync(path)) {
    throw new CliError(`There is no ${path} yet; run npm start first, which writes it.`);
  }
  const values = valuesOf(path);
  const entries = Object.entries(SETTINGS).map(([field, name]) => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') {
      throw new CliError(`local.settings.json has no Values.${name}; run npm start to rewrite it.`);
    }
    return [field, value];
  });
  return Object.fromEntries(entries) as VaultCliSettings;
}

function valuesOf(path: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, unknown> };
    return parsed.Values ?? {};
  } catch {
    throw new CliError(`${path} is not valid JSON; fix it or delete it and run npm start.`);
  }
}

import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';

/**
 * An error the vault answers in Key Vault's shape:
 * `{"error":{"code":"...","message":"...","innererror":{"code":"..."}}}`.
 * Messages name secrets, operations and client ids, never a secret value or a credential.
 */
export class VaultApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'VaultApiError';
  }
}

/** Writes the error as Key Vault would. */
export function sendVaultError(response: ServerResponse, error: VaultApiError): void {
  const body: { code: string; message: string; innererror?: { code: string } } = {
    code: error.code,
    message: error.message,
  };
  if (error.innerCode !== undefined) body.innererror = { code: error.innerCode };
  sendJson(response, error.status, { error: body }, error.headers);
}

/** 404 for a secret (or version) that does not exist. */
export function secretNotFound(name: string, version?: string): VaultApiError {
  const which = version ? ` with version (${version})` : '';
  return new VaultApiError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name}${which} was not found in this key vault.`,
  );
}

/** 400 for a request the vault cannot read. */
export function badParameter(message: string): VaultApiError {
  return new VaultApiError(400, 'BadParameter', message);
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registration, SecretPermission } from './types.js';

/** The outcome of checking a client's credentials. */
export type CredentialCheck = 'valid' | 'unknown-client' | 'wrong-secret';

/**
 * The applications the authority knows, each with its secret and the vault permissions its
 * access policy grants. Secrets are kept only as hashes.
 */
export class Registry {
  private readonly entries = new Map<string, { secretHash: Buffer; permissions: Set<string> }>();

  constructor(registrations: Registration[] = []) {
    for (const registration of registrations) this.register(registration);
  }

  /** Adds an application, or replaces one with the same client id. */
  register(registration: Registration): void {
    this.entries.set(keyOf(registration.clientId), {
      secretHash: hash(registration.clientSecret),
      permissions: new Set(registration.permissions),
    });
  }

  /** Checks a client id and secret without telling time apart between wrong and right. */
  check(clientId: string, clientSecret: string): CredentialCheck {
    const entry = this.entries.get(keyOf(clientId));
    if (entry === undefined) return 'unknown-client';
    return timingSafeEqual(entry.secretHash, hash(clientSecret)) ? 'valid' : 'wrong-secret';
  }

  /** Whether the client's access policy grants the permission. */
  allows(clientId: string, permission: SecretPermission): boolean {
    return this.entries.get(keyOf(clientId))?.permissions.has(permission) ?? false;
  }

  /** Replaces a known client's permissions; false when the client is unknown. */
  setPermissions(clientId: string, permissions: SecretPermission[]): boolean {
    const entry = this.entries.get(keyOf(clientId));
    if (entry === undefined) return false;
    entry.permissions = new Set(permissions);
    return true;
  }
}

function keyOf(clientId: string): string {
  return clientId.toLowerCase();
}

function hash(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

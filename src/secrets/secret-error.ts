import { DependencyError, type ErrorOptions } from '../errors.js';

/**
 * Key Vault did not give us the secret. `transient` failures (Key Vault unreachable,
 * throttled, failing) let a cached secret keep serving; the others are decisions someone
 * made (a secret disabled, a permission removed) and are not papered over.
 */
export class SecretError extends DependencyError {
  readonly transient: boolean;

  constructor(code: string, message: string, transient: boolean, options: ErrorOptions = {}) {
    super(code, message, { retryAfterSeconds: transient ? 5 : 30, ...options });
    this.transient = transient;
  }
}

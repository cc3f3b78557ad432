import { VaultgateError } from '../errors.js';

/** What the trigger does about an error: park the message now, or throw so the host retries. */
export type FailureAction = 'park' | 'retry';

// A conflict on the key's claim clears once the other delivery's transaction ends.
const RETRIED_CLIENT_CODES = new Set(['IdempotencyKeyBusy']);

/**
 * A message is parked when it is at fault (a 4xx error: not JSON, no such entity, not open
 * to ingest, rows that do not fit, a key or unique conflict): retrying cannot help. Everything
 * else is retried: Key Vault or the database unreachable, deadlocks, configuration mistakes
 * an operator may fix, and errors nobody foresaw; after maxDequeueCount attempts the host
 * moves the message to the poison queue itself.
 */
export function failureAction(error: unknown): FailureAction {
  if (!(error instanceof VaultgateError)) return 'retry';
  if (error.status < 400 || error.status >= 500 || error.status === 429) return 'retry';
  return RETRIED_CLIENT_CODES.has(error.code) ? 'retry' : 'park';
}

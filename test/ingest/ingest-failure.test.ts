import { describe, expect, it } from 'vitest';
import { ConfigurationError, DependencyError, VaultgateError } from '../../src/errors.js';
import { failureAction } from '../../src/ingest/ingest-failure.js';

describe('failureAction', () => {
  it.each([
    ['a bad message', new VaultgateError(400, 'BadMessage', 'x'), 'park'],
    ['an unknown entity', new VaultgateError(404, 'EntityNotFound', 'x'), 'park'],
    ['rows that do not fit', new VaultgateError(422, 'BadValue', 'x'), 'park'],
    ['a unique conflict', new VaultgateError(409, 'Conflict', 'x'), 'park'],
    ['a reused key', new VaultgateError(422, 'IdempotencyKeyReused', 'x'), 'park'],
    ['a key another delivery holds', new VaultgateError(409, 'IdempotencyKeyBusy', 'x'), 'retry'],
    ['the database down', new DependencyError('DatabaseUnavailable', 'x'), 'retry'],
    ['a configuration mistake', new ConfigurationError('x'), 'retry'],
    ['an unforeseen error', new TypeError('x'), 'retry'],
  ])('%s: %s', (_name, error, action) => {
    expect(failureAction(error)).toBe(action);
  });
});

import { describe, expect, it } from 'vitest';
import { idempotencyKey, idempotencySql, requestHash } from '../../src/api/idempotency.js';

describe('idempotency', () => {
  it('claims a key in T-SQL under UPDLOCK and HOLDLOCK, returning it only when new', () => {
    expect(idempotencySql('tsql').claim).toBe(
      'INSERT INTO [vaultgate].[idempotency] ([key], [entity], [request_hash], [status], ' +
        '[expires_at]) OUTPUT inserted.[key] SELECT @p1, @p2, @p3, 0, ' +
        'DATEADD(hour, 24, SYSDATETIMEOFFSET()) WHERE NOT EXISTS (SELECT 1 FROM ' +
        '[vaultgate].[idempotency] WITH (UPDLOCK, HOLDLOCK) WHERE [key] = @p1);',
    );
    expect(idempotencySql('tsql').expire).toBe(
      'DELETE FROM [vaultgate].[idempotency] WHERE [key] = @p1 AND ' +
        '[expires_at] < SYSDATETIMEOFFSET();',
    );
  });

  it('hashes the entity with the exact body bytes', () => {
    const body = new TextEncoder().encode('{"a":1}');
    expect(requestHash('e', body)).toBe(requestHash('e', new TextEncoder().encode('{"a":1}')));
    expect(requestHash('e', body)).not.toBe(requestHash('f', body));
    expect(requestHash('e', body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes visible ASCII keys up to 200 characters and refuses others with 400', () => {
    expect(idempotencyKey('3f1c-ab')).toBe('3f1c-ab');
    expect(idempotencyKey(undefined)).toBeUndefined();
    expect(() => idempotencyKey('x'.repeat(201))).toThrow(/1 to 200 visible ASCII/);
    expect(() => idempotencyKey('a b')).toThrow(
      expect.objectContaining({ status: 400, code: 'BadIdempotencyKey' }),
    );
  });
});

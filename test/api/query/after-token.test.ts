import { describe, expect, it } from 'vitest';
import { decodeAfter, encodeAfter } from '../../../src/api/query/after-token.js';
import { parseReadOptions } from '../../../src/api/query/read-options.js';
import { VaultgateError } from '../../../src/errors.js';
import { completeOrder } from '../../../src/sql/order.js';
import { customers, events, orders } from '../../sql/tables.js';

function refusal(run: () => unknown): VaultgateError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultgateError) return error;
    throw error;
  }
  throw new Error('no error');
}

const byTotal = completeOrder([{ column: 'total', direction: 'desc' }], orders);

describe('$after tokens', () => {
  it('round-trips the last row position as parameter values', () => {
    const token = encodeAfter(byTotal, { id: 7, total: '12.50', status: 'paid' }, orders);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAfter(token, byTotal, orders)).toEqual(['12.50', 7]);
  });

  it('carries NULLs, Dates, bigints and bytes in a form the servers convert back', () => {
    const order = completeOrder(
      [
        { column: 'happened_on', direction: 'asc' },
        { column: 'local_at', direction: 'desc' },
        { column: 'big', direction: 'asc' },
        { column: 'blob', direction: 'asc' },
        { column: 'at_time', direction: 'asc' },
      ],
      { ...events, columns: events.columns.map((c) => ({ ...c, type: c.type })) },
    );
    const ordered = order.filter((item) => item.column !== 'blob');
    const row = {
      id: '6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c',
      happened_on: new Date(Date.UTC(2024, 1, 29)),
      local_at: new Date('2024-02-29T13:45:00.123Z'),
      big: 9007199254740993n,
      at_time: null,
    };
    const token = encodeAfter(ordered, row, events);
    expect(decodeAfter(token, ordered, events)).toEqual([
      '2024-02-29',
      '2024-02-29T13:45:00.123Z',
      '9007199254740993',
      null,
      '6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c',
    ]);
  });

  it('refuses a token made for another order', () => {
    const token = encodeAfter(byTotal, { id: 7, total: 1 }, orders);
    const other = completeOrder([{ column: 'total', direction: 'asc' }], orders);
    const error = refusal(() => decodeAfter(token, other, orders));
    expect([error.status, error.code, error.target]).toEqual([400, 'BadAfter', '$after']);
    expect(error.message).toBe(
      '$after was issued for a different $orderby; start again without it',
    );
  });

  it('refuses garbage, forged shapes and values of the wrong type', () => {
    const forge = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
    const real = encodeAfter(byTotal, { id: 7, total: 1 }, orders);
    const fingerprint = JSON.parse(Buffer.from(real, 'base64url').toString()).o as string;
    const bad = [
      'not a token!',
      'x'.repeat(9000),
      forge('just a string'),
      forge({ o: fingerprint, v: [1] }),
      forge({ o: fingerprint, v: ['DROP TABLE', 7] }),
      forge({ o: fingerprint, v: [null, 7] }),
      forge({ o: fingerprint, v: [1, { a: 1 }] }),
      Buffer.from('{"o":').toString('base64url'),
    ];
    for (const token of bad) {
      const error = refusal(() => decodeAfter(token, byTotal, orders));
      expect([error.status, error.code]).toEqual([400, 'BadAfter']);
      expect(error.message).toBe(
        '$after is not a continuation token from this API; start again without it',
      );
    }
  });

  it('is decoded by parseReadOptions against the completed order', () => {
    const order = completeOrder([{ column: 'country', direction: 'asc' }], customers);
    const token = encodeAfter(order, { id: 3, country: null }, customers);
    const query = new URLSearchParams({ $orderby: 'country', $after: token });
    expect(parseReadOptions(query, customers, { maxPageSize: 10 }).after).toEqual([null, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import { keysetFilter } from '../../src/sql/keyset.js';
import { completeOrder, isTotalOrder } from '../../src/sql/order.js';
import { customers, orderLines, orders } from './tables.js';

describe('keyset continuation', () => {
  it('appends the key to the order so it is total, without repeating key columns', () => {
    const order = completeOrder([{ column: 'line_no', direction: 'desc' }], orderLines);
    expect(order).toEqual([
      { column: 'line_no', direction: 'desc' },
      { column: 'order_id', direction: 'asc' },
    ]);
    expect(isTotalOrder(order, orderLines)).toBe(true);
    expect(isTotalOrder([], { ...orders, key: [] })).toBe(false);
  });

  it('expands to (a > x) or (a = x and b > y) for ascending columns', () => {
    const order = completeOrder([{ column: 'name', direction: 'asc' }], customers);
    expect(keysetFilter(order, ['Bo', 4], customers)).toEqual({
      kind: 'or',
      items: [
        { kind: 'compare', column: 'name', op: 'gt', value: 'Bo' },
        {
          kind: 'and',
          items: [
            { kind: 'compare', column: 'name', op: 'eq', value: 'Bo' },
            { kind: 'compare', column: 'id', op: 'gt', value: 4 },
          ],
        },
      ],
    });
  });

  it('lets NULLs follow every value of a nullable descending column', () => {
    const order = completeOrder([{ column: 'country', direction: 'desc' }], customers);
    expect(keysetFilter(order, ['DE', 4], customers)).toEqual({
      kind: 'or',
      items: [
        { kind: 'compare', column: 'country', op: 'lt', value: 'DE' },
        { kind: 'null', column: 'country', negated: false },
        {
          kind: 'and',
          items: [
            { kind: 'compare', column: 'country', op: 'eq', value: 'DE' },
            { kind: 'compare', column: 'id', op: 'gt', value: 4 },
          ],
        },
      ],
    });
  });

  it('matches nothing after the last row of a descending single column at NULL', () => {
    const order = [{ column: 'country', direction: 'desc' as const }];
    expect(keysetFilter(order, [null], customers)).toEqual({ kind: 'or', items: [] });
  });

  it('refuses a position with the wrong number of values', () => {
    expect(() => keysetFilter(completeOrder([], orders), [1, 2], orders)).toThrow(/one value/);
  });
});

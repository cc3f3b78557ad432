import { describe, expect, it } from 'vitest';
import { parseCount, parseFirst } from '../../../src/api/query/first-parser.js';
import { parseOrderBy } from '../../../src/api/query/order-by-parser.js';
import {
  parseReadOptions,
  toCountStatement,
  toSelectStatement,
} from '../../../src/api/query/read-options.js';
import { parseSelect } from '../../../src/api/query/select-parser.js';
import { VaultgateError } from '../../../src/errors.js';
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

describe('parseOrderBy', () => {
  it('reads columns with optional directions', () => {
    expect(parseOrderBy('total desc, ordered_at , Status ASC', orders)).toEqual([
      { column: 'total', direction: 'desc' },
      { column: 'ordered_at', direction: 'asc' },
      { column: 'status', direction: 'asc' },
    ]);
  });

  it('refuses unknown, repeated and unorderable columns with positions', () => {
    const unknown = refusal(() => parseOrderBy('totl desc', orders));
    expect([unknown.status, unknown.code, unknown.target]).toEqual([400, 'BadOrderBy', '$orderby']);
    expect(unknown.message).toBe("unknown column 'totl' at 0; did you mean 'total'?");
    expect(refusal(() => parseOrderBy('id, id desc', orders)).message).toBe(
      "column 'id' at 4 is named twice",
    );
    expect(refusal(() => parseOrderBy('payload', events)).message).toBe(
      "column 'payload' at 0 cannot be ordered by",
    );
    expect(refusal(() => parseOrderBy('id sideways', orders)).message).toBe(
      "expected 'asc', 'desc', ',' or the end at 3, found 'sideways'",
    );
    expect(refusal(() => parseOrderBy('', orders)).message).toBe(
      'expected a column name at 0, found the end',
    );
  });
});

describe('parseSelect', () => {
  it('reads column names in order, or * for all of them', () => {
    expect(parseSelect('name,id', customers)).toEqual(['name', 'id']);
    expect(parseSelect(' * ', customers)).toEqual(customers.columns.map((c) => c.name));
  });

  it('refuses unknown and repeated columns', () => {
    const error = refusal(() => parseSelect('id,nmae', customers));
    expect([error.code, error.target]).toEqual(['BadSelect', '$select']);
    expect(error.message).toBe("unknown column 'nmae' at 3; did you mean 'name'?");
    expect(refusal(() => parseSelect('id id', customers)).message).toBe(
      "expected ',' or the end at 3, found 'id'",
    );
    expect(refusal(() => parseSelect('id,*', customers)).message).toBe(
      "expected a column name at 3, found '*'",
    );
  });
});

describe('parseFirst and parseCount', () => {
  it('defaults to 100 capped by the page limit, and accepts 1..maxPageSize', () => {
    expect(parseFirst(undefined, 1000)).toBe(100);
    expect(parseFirst(undefined, 20)).toBe(20);
    expect(parseFirst('1', 20)).toBe(1);
    expect(parseFirst('20', 20)).toBe(20);
  });

  it('refuses anything but a whole number in range', () => {
    for (const text of ['0', '21', '-1', '1.5', '1e2', ' 5', '', 'ten', '99999999999']) {
      const error = refusal(() => parseFirst(text, 20));
      expect([error.status, error.code, error.target]).toEqual([400, 'BadFirst', '$first']);
    }
    expect(refusal(() => parseFirst('0', 20)).message).toBe(
      "$first must be a whole number from 1 to 20, not '0'",
    );
  });

  it('reads $count as true or false only', () => {
    expect(parseCount(undefined)).toBe(false);
    expect(parseCount('true')).toBe(true);
    expect(parseCount('false')).toBe(false);
    expect(refusal(() => parseCount('yes')).code).toBe('BadCount');
  });
});

describe('parseReadOptions', () => {
  it('parses every option and completes the order with the key', () => {
    const query = new URLSearchParams({
      $filter: "status eq 'paid'",
      $select: 'total',
      $orderby: 'total desc',
      $first: '5',
      $count: 'true',
      code: 'function-key-is-ignored',
    });
    const options = parseReadOptions(query, orders, { maxPageSize: 50 });
    expect(options).toEqual({
      filter: { kind: 'compare', column: 'status', op: 'eq', value: 'paid' },
      select: ['total'],
      order: [
        { column: 'total', direction: 'desc' },
        { column: 'id', direction: 'asc' },
      ],
      first: 5,
      after: undefined,
      count: true,
      pageable: true,
    });
    expect(toCountStatement(options, orders)).toEqual({
      kind: 'count',
      table: orders,
      filter: options.filter,
    });
    expect(toSelectStatement(options, orders)).toMatchObject({
      columns: ['total', 'id'],
      limit: 5,
      filter: options.filter,
    });
  });

  it('reads every column in key order when no option is given', () => {
    const options = parseReadOptions(new URLSearchParams(), orders, { maxPageSize: 50 });
    expect(options.select).toEqual(orders.columns.map((c) => c.name));
    expect(options.order).toEqual([{ column: 'id', direction: 'asc' }]);
    expect(options.first).toBe(50);
  });

  it('marks an order without a key as not pageable', () => {
    const view = { ...orders, key: [] };
    expect(parseReadOptions(new URLSearchParams(), view, { maxPageSize: 5 }).pageable).toBe(false);
  });

  it('refuses unknown and repeated $ options, pointing $top to $first', () => {
    const top = refusal(() =>
      parseReadOptions(new URLSearchParams('$top=5'), orders, { maxPageSize: 5 }),
    );
    expect([top.status, top.code, top.target]).toEqual([400, 'BadQuery', '$top']);
    expect(top.message).toBe("unknown query option '$top'; use $first");
    const twice = refusal(() =>
      parseReadOptions(new URLSearchParams('$first=1&$first=2'), orders, { maxPageSize: 5 }),
    );
    expect(twice.message).toBe('$first is given more than once');
  });
});

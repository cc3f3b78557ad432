import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/api/query/filter-parser.js';
import { VaultgateError } from '../../../src/errors.js';
import { customers, events, orders } from '../../sql/tables.js';

/** The 400 the parser throws for the text, so a test can assert its code and message. */
function filterError(text: string, table = orders): VaultgateError {
  try {
    parseFilter(text, table);
  } catch (error) {
    if (error instanceof VaultgateError) return error;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseFilter', () => {
  it('parses comparisons joined by and/or with and binding tighter', () => {
    expect(parseFilter("status eq 'paid' or total gt 10 and customer_id le 3", orders)).toEqual({
      kind: 'or',
      items: [
        { kind: 'compare', column: 'status', op: 'eq', value: 'paid' },
        {
          kind: 'and',
          items: [
            { kind: 'compare', column: 'total', op: 'gt', value: 10 },
            { kind: 'compare', column: 'customer_id', op: 'le', value: 3 },
          ],
        },
      ],
    });
  });

  it('honours parentheses, not, and keywords in any case', () => {
    expect(parseFilter("NOT (status EQ 'a' Or status ne 'b')", orders)).toEqual({
      kind: 'not',
      item: {
        kind: 'or',
        items: [
          { kind: 'compare', column: 'status', op: 'eq', value: 'a' },
          { kind: 'compare', column: 'status', op: 'ne', value: 'b' },
        ],
      },
    });
  });

  it('turns eq null and ne null into null tests', () => {
    expect(parseFilter('delivered_at eq null and not (delivered_at ne null)', orders)).toEqual({
      kind: 'and',
      items: [
        { kind: 'null', column: 'delivered_at', negated: false },
        { kind: 'not', item: { kind: 'null', column: 'delivered_at', negated: true } },
      ],
    });
  });

  it('parses in-lists and string functions, unescaping doubled quotes', () => {
    expect(parseFilter("status in ('it''s', 'b') and contains(status, '%')", orders)).toEqual({
      kind: 'and',
      items: [
        { kind: 'in', column: 'status', values: ["it's", 'b'] },
        { kind: 'match', column: 'status', fn: 'contains', value: '%' },
      ],
    });
    expect(parseFilter("startswith(name,'A') or endswith(name,'z')", customers)).toMatchObject({
      items: [{ fn: 'startswith' }, { fn: 'endswith' }],
    });
  });

  it('types literals by column: dates, date-times, times, GUIDs, booleans, big numbers', () => {
    const filter = parseFilter(
      'happened_on eq 2024-02-29 and local_at lt 2024-02-29T13:45:00.1234567 and ' +
        'at_time ge 08:30 and id eq 6F1C2A3B-1D2E-4F5A-8B9C-0D1E2F3A4B5C and active eq true and ' +
        'big eq 9223372036854775807 and weight gt -1.5e3',
      events,
    );
    expect(filter).toMatchObject({
      items: [
        { value: '2024-02-29' },
        { value: '2024-02-29T13:45:00.1234567' },
        { value: '08:30' },
        { value: '6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c' },
        { value: true },
        { value: '9223372036854775807' },
        { value: -1500 },
      ],
    });
  });

  it('accepts quoted dates and GUIDs, as people often write them', () => {
    const text = "happened_on eq '2024-01-31' and id eq '6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c'";
    expect(parseFilter(text, events)).toMatchObject({
      items: [{ value: '2024-01-31' }, { value: '6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c' }],
    });
  });

  it('keeps decimals beyond 15 digits as text so they are not rounded', () => {
    expect(parseFilter('total eq 12345678901234.567', orders)).toMatchObject({
      value: '12345678901234.567',
    });
    expect(parseFilter('total eq 0.1', orders)).toMatchObject({ value: 0.1 });
  });

  it('matches a column name ignoring case when only one fits', () => {
    expect(parseFilter('TOTAL gt 1', orders)).toMatchObject({ column: 'total' });
  });

  it('reads a column called like a keyword as a column', () => {
    const table = {
      ...orders,
      columns: [...orders.columns, { ...orders.columns[2]!, name: 'not' }],
    };
    expect(parseFilter("not eq 'x'", table)).toMatchObject({ kind: 'compare', column: 'not' });
  });
});

describe('parseFilter errors', () => {
  it('names an unknown column with its position and the likely column', () => {
    const error = filterError('amout gt 5', { ...orders, columns: [...orders.columns, amount()] });
    expect([error.status, error.code, error.target]).toEqual([400, 'BadFilter', '$filter']);
    expect(error.message).toBe("unknown column 'amout' at 0; did you mean 'amount'?");
  });

  it('gives no suggestion when no column is near', () => {
    expect(filterError('zzzzzz eq 1').message).toBe("unknown column 'zzzzzz' at 0");
  });

  it('refuses a literal of the wrong type at the literal position', () => {
    expect(filterError("total gt 'abc'").message).toBe(
      "the string 'abc' at 9 does not fit column 'total', which holds numbers",
    );
    expect(filterError('customer_id eq 1.5').message).toMatch(/^the number '1\.5' at 15 /);
    expect(filterError('customer_id eq 2147483648').message).toMatch(/whole numbers/);
    expect(filterError('status eq 5').message).toMatch(/in quotes/);
    expect(filterError('happened_on eq 2023-02-29', events).message).toMatch(/at 15/);
    expect(filterError('payload eq 1', events).message).toMatch(/only be tested with eq null/);
  });

  it('explains what was expected where the text goes wrong', () => {
    expect(filterError("status eq 'a' status").message).toBe(
      "expected 'and', 'or' or the end at 14, found 'status'",
    );
    expect(filterError('(total gt 1').message).toBe(
      "expected ')' or 'and' or 'or' at 11, found the end",
    );
    expect(filterError('total is 1').message).toMatch(/expected an operator .* at 6/);
    expect(filterError('total gt customer_id').message).toMatch(/comparing two columns/);
    expect(filterError('total gt null').message).toBe(
      'null at 9 can only be compared with eq or ne',
    );
    expect(filterError('status in ()').message).toBe('the list at 10 is empty');
    expect(filterError("status in ('a', null)").message).toMatch(/^null at 16 cannot be in a list/);
    expect(filterError('contains(total, 1)').message).toMatch(/needs a text column/);
  });

  it('reports unterminated strings and stray characters by position', () => {
    expect(filterError("status eq 'abc").message).toMatch(/string starting at 10 has no closing/);
    expect(filterError('total gt 1 & x').message).toBe("unexpected character '&' at 11");
    expect(filterError('total gt 12abc').message).toBe("unexpected character '1' at 9");
  });

  it('refuses an empty filter, an overlong one, deep nesting and long lists', () => {
    expect(filterError('   ').message).toMatch(/empty/);
    expect(filterError(`status eq '${'x'.repeat(4000)}'`).message).toBe(
      '$filter is longer than 4000 characters',
    );
    const deep = `${'('.repeat(33)}total gt 1${')'.repeat(33)}`;
    expect(filterError(deep).message).toBe('$filter nests deeper than 32 levels at 32');
    expect(filterError(`${'not '.repeat(40)}total gt 1`).message).toMatch(/deeper than 32/);
    const list = Array.from({ length: 501 }, (_, i) => i).join(',');
    expect(filterError(`customer_id in (${list})`).message).toBe(
      'the list at 15 has more than 500 values',
    );
    const four = Array(400).fill(7).join(',');
    const lists = Array.from({ length: 3 }, () => `customer_id in (${four})`);
    expect(filterError(lists.join(' or ')).message).toMatch(/^\$filter has more than 1000 values/);
  });

  it('quotes no more than a short excerpt of what the caller sent', () => {
    const long = 'a'.repeat(300);
    const error = filterError(`${long} eq 1`);
    expect(error.message.length).toBeLessThan(80);
    expect(error.message).toContain('...');
    expect(filterError('total gt 1 \u0000').message).toBe("unexpected character '?' at 11");
  });
});

function amount() {
  return { ...orders.columns[3]!, name: 'amount' };
}

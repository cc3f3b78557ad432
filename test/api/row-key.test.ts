import { describe, expect, it } from 'vitest';
import { keySegment, lastSegment, parseKey } from '../../src/api/row-key.js';
import type { VaultgateError } from '../../src/errors.js';
import type { TableShape } from '../../src/sql/table.js';

const lines: TableShape = {
  schema: 'public',
  name: 'lines',
  key: ['order_id', 'code'],
  columns: [
    {
      name: 'order_id',
      type: 'integer',
      dbType: 'integer',
      nullable: false,
      hasDefault: false,
      identity: false,
    },
    {
      name: 'code',
      type: 'string',
      dbType: 'text',
      nullable: false,
      hasDefault: false,
      identity: false,
    },
  ],
};

function refusal(call: () => unknown): VaultgateError {
  try {
    call();
  } catch (error) {
    return error as VaultgateError;
  }
  throw new Error('expected a refusal');
}

describe('row keys', () => {
  it('reads comma-separated, URL-encoded values in key order', () => {
    expect(parseKey('7,a%2Cb', lines)).toEqual({ order_id: 7, code: 'a,b' });
  });

  it('round-trips a key through its path segment', () => {
    const segment = keySegment({ order_id: 7, code: 'x/y,z' }, lines);
    expect(segment).toBe('7,x%2Fy%2Cz');
    expect(parseKey(segment, lines)).toEqual({ order_id: 7, code: 'x/y,z' });
  });

  it('refuses the wrong number of parts or a value of the wrong type with 400 BadKey', () => {
    const count = refusal(() => parseKey('7', lines));
    expect([count.status, count.code]).toEqual([400, 'BadKey']);
    expect(count.message).toMatch(/2 part\(s\) \(order_id, code\)/);
    const typed = refusal(() => parseKey('x,a', lines));
    expect([typed.status, typed.code]).toEqual([400, 'BadKey']);
  });

  it('refuses rows of a table without a key with 405 NoKey', () => {
    const error = refusal(() => parseKey('1', { ...lines, key: [] }));
    expect([error.status, error.code]).toEqual([405, 'NoKey']);
  });

  it('reads the raw last segment of the URL', () => {
    expect(lastSegment('http://h/api/lines/7,a%2Cb?x=1')).toBe('7,a%2Cb');
  });
});

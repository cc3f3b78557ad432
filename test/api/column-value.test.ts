import { describe, expect, it } from 'vitest';
import { fitValue } from '../../src/api/column-value.js';
import type { ColumnShape } from '../../src/sql/table.js';

function column(type: ColumnShape['type'], extra: Partial<ColumnShape> = {}): ColumnShape {
  return {
    name: 'c',
    type,
    dbType: type,
    nullable: false,
    hasDefault: false,
    identity: false,
    ...extra,
  };
}

const fits = (c: ColumnShape, value: unknown) => fitValue(c, value).ok;

describe('fitValue', () => {
  it('takes whole numbers in the range of the integer type', () => {
    expect(fits(column('integer'), 2147483647)).toBe(true);
    expect(fits(column('integer'), 2147483648)).toBe(false);
    expect(fits(column('integer'), 1.5)).toBe(false);
    expect(fits(column('integer', { dbType: 'smallint' }), 40000)).toBe(false);
    expect(fits(column('integer', { dbType: 'tinyint' }), -1)).toBe(false);
  });

  it('takes bigints as numbers or digit strings, keeping big ones as text', () => {
    expect(fitValue(column('bigint'), '9223372036854775807')).toEqual({
      ok: true,
      value: '9223372036854775807',
    });
    expect(fitValue(column('bigint'), '42')).toEqual({ ok: true, value: 42 });
    expect(fits(column('bigint'), '9223372036854775808')).toBe(false);
  });

  it('refuses a decimal with more whole digits than the precision allows', () => {
    const money = column('decimal', { precision: 12, scale: 2 });
    expect(fits(money, 9999999999.99)).toBe(true);
    expect(fits(money, 1e12)).toBe(false);
    expect(fits(money, '12.345')).toBe(true);
    expect(fits(money, 'twelve')).toBe(false);
  });

  it('checks text length, temporal forms and GUIDs', () => {
    expect(fits(column('string', { maxLength: 3 }), 'abc')).toBe(true);
    expect(fits(column('string', { maxLength: 3 }), 'abcd')).toBe(false);
    expect(fits(column('string'), 5)).toBe(false);
    expect(fits(column('date'), '2024-02-29')).toBe(true);
    expect(fits(column('date'), '2023-02-29')).toBe(false);
    expect(fits(column('datetimeoffset'), '2024-01-31T12:00:00+01:00')).toBe(true);
    expect(fits(column('datetime'), '2024-01-31T25:00:00')).toBe(false);
    expect(fits(column('time'), '23:59:59.5')).toBe(true);
    expect(fits(column('uuid'), 'not-a-guid')).toBe(false);
  });

  it('says why a value does not fit, without echoing more than an excerpt', () => {
    const result = fitValue(column('integer'), 'x'.repeat(500));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(
        /^takes whole numbers from -2147483648 to 2147483647, not "x+\.\.\.$/,
      );
      expect(result.reason.length).toBeLessThan(120);
    }
  });

  it('refuses null for a column that is not nullable and decodes base64 bytes', () => {
    expect(fitValue(column('string'), null)).toEqual({ ok: false, reason: 'cannot be null' });
    expect(fitValue(column('string', { nullable: true }), null)).toEqual({ ok: true, value: null });
    const bytes = fitValue(column('binary'), 'AQID');
    expect(bytes.ok && Buffer.from(bytes.value as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    expect(fits(column('binary'), 'not base64!')).toBe(false);
  });
});

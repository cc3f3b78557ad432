import sql from 'mssql';
import { describe, expect, it } from 'vitest';
import { inferMssqlParam } from '../../src/db/mssql-params.js';

// mssql's type factories return { type, length, precision, scale }; the bare ones are functions.
function described(value: unknown) {
  const { type } = inferMssqlParam(value);
  return typeof type === 'function' ? type() : type;
}

describe('inferMssqlParam', () => {
  it('binds small integers as int and larger safe integers as bigint', () => {
    expect(described(42).type).toBe(sql.Int);
    expect(described(-2_147_483_648).type).toBe(sql.Int);
    expect(described(2_147_483_648).type).toBe(sql.BigInt);
    expect(described(12n).type).toBe(sql.BigInt);
  });

  it('binds fractions as decimal with the scale the value shows', () => {
    const money = described(19.99);
    expect(money.type).toBe(sql.Decimal);
    expect(money).toMatchObject({ precision: 38, scale: 2 });
    expect(described(1e-10).type).toBe(sql.Float);
  });

  it('binds booleans as bit and dates as datetimeoffset', () => {
    expect(described(true).type).toBe(sql.Bit);
    expect(described(new Date(0)).type).toBe(sql.DateTimeOffset);
  });

  it('keeps strings nvarchar, uniqueidentifier-looking ones too', () => {
    const guid = described('6f9619ff-8b86-d011-b42d-00c04fc964ff');
    expect(guid).toMatchObject({ type: sql.NVarChar, length: 4000 });
    expect(described('x'.repeat(5000))).toMatchObject({ type: sql.NVarChar, length: sql.MAX });
  });

  it('binds null as a typed null and objects as JSON text', () => {
    expect(inferMssqlParam(null).value).toBeNull();
    expect(inferMssqlParam(undefined).value).toBeNull();
    expect(inferMssqlParam({ a: 1 })).toMatchObject({ value: '{"a":1}' });
    expect(described(new Uint8Array([1, 2])).type).toBe(sql.VarBinary);
  });
});

import sql from 'mssql';

/** A parameter value with the SQL Server type it is bound as. */
export interface TypedParam {
  type: sql.ISqlType | (() => sql.ISqlType);
  value: unknown;
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
// Below this length nvarchar(4000) is declared, so statements differing only in string length
// share one cached plan; longer strings need nvarchar(max).
const NVARCHAR_LIMIT = 4000;

/**
 * Chooses the SQL Server type for a JavaScript value. Strings always go as nvarchar, even
 * those that look like a uniqueidentifier or a date: SQL Server converts them on comparison,
 * and guessing wrong would turn a valid string into a conversion error.
 */
export function inferMssqlParam(value: unknown): TypedParam {
  if (value === null || value === undefined)
    return { type: sql.NVarChar(NVARCHAR_LIMIT), value: null };
  if (typeof value === 'boolean') return { type: sql.Bit, value };
  if (typeof value === 'bigint') return { type: sql.BigInt, value };
  if (typeof value === 'number') return numberParam(value);
  if (value instanceof Date) return { type: sql.DateTimeOffset(7), value };
  if (value instanceof Uint8Array)
    return { type: sql.VarBinary(sql.MAX), value: Buffer.from(value) };
  if (typeof value === 'string') return stringParam(value);
  return stringParam(JSON.stringify(value));
}

function numberParam(value: number): TypedParam {
  if (Number.isInteger(value)) {
    if (value >= INT32_MIN && value <= INT32_MAX) return { type: sql.Int, value };
    if (Number.isSafeInteger(value)) return { type: sql.BigInt, value };
  }
  const digits = /^-?\d+\.(\d+)$/.exec(String(value));
  // Exponent notation, NaN and Infinity have no exact decimal form; float keeps what JS holds.
  if (digits?.[1] === undefined) return { type: sql.Float, value };
  return { type: sql.Decimal(38, Math.min(digits[1].length, 18)), value };
}

function stringParam(value: string): TypedParam {
  const length = value.length <= NVARCHAR_LIMIT ? NVARCHAR_LIMIT : sql.MAX;
  return { type: sql.NVarChar(length), value };
}

interface DriverError {
  code?: unknown;
  number?: unknown;
}

// Undefined column, undefined table.
const POSTGRES_CODES = new Set(['42703', '42P01']);
// Invalid column name, invalid object name, and the two ways an INSERT's column list and
// values stop matching the table.
const MSSQL_NUMBERS = new Set([207, 208, 213, 110]);

/**
 * Whether a statement failed because the table it was compiled for changed under it (a
 * column or the table itself is gone, or the columns no longer line up). A caller forgets
 * the cached shape, reads it again, and retries once.
 */
export function isSchemaChangeError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, number } = err as DriverError;
  if (typeof number === 'number') return MSSQL_NUMBERS.has(number);
  return typeof code === 'string' && POSTGRES_CODES.has(code);
}

import { describe, expect, it } from 'vitest';
import { translateDatabaseError } from '../../src/api/database-errors.js';
import { VaultgateError } from '../../src/errors.js';
import { mssqlServerError } from '../driver-errors.js';

function translated(error: unknown): { status: number; code: string; message: string } {
  const result = translateDatabaseError(error);
  expect(result).toBeInstanceOf(VaultgateError);
  const { status, code, message } = result as VaultgateError;
  return { status, code, message };
}

describe('translateDatabaseError on SQL Server errors', () => {
  it('makes 2627 and 2601 a 409 Conflict naming the constraint', () => {
    const pk = mssqlServerError(
      2627,
      "Violation of PRIMARY KEY constraint 'PK_lines'. Cannot insert duplicate key in object " +
        "'dbo.lines'.",
    );
    expect(translated(pk)).toMatchObject({
      status: 409,
      code: 'Conflict',
      message: expect.stringContaining('PK_lines'),
    });
    const index = mssqlServerError(
      2601,
      "Cannot insert duplicate key row in object 'dbo.c' with unique index 'ux_email'.",
    );
    expect(translated(index)).toMatchObject({ status: 409, code: 'Conflict' });
  });

  it('makes 547 a 409 ForeignKeyViolation and a CHECK failure a 422', () => {
    const fk = mssqlServerError(
      547,
      'The INSERT statement conflicted with the FOREIGN KEY constraint "FK_orders_customers".',
    );
    expect(translated(fk)).toMatchObject({ status: 409, code: 'ForeignKeyViolation' });
    const check = mssqlServerError(
      547,
      'The INSERT statement conflicted with the CHECK constraint "CK_status".',
    );
    expect(translated(check)).toMatchObject({ status: 422, code: 'ConstraintViolation' });
  });

  it('makes a conversion failure a 422 without the server message', () => {
    const conversion = mssqlServerError(8114, 'Error converting data type nvarchar to int.');
    expect(translated(conversion)).toEqual({
      status: 422,
      code: 'BadValue',
      message: 'a value does not fit the type or size of its column',
    });
  });

  it('leaves other errors alone', () => {
    const syntax = mssqlServerError(102, "Incorrect syntax near 'x'.");
    expect(translateDatabaseError(syntax)).toBe(syntax);
  });
});

import { describeConstraint } from '../db/classify.js';
import { VaultgateError } from '../errors.js';

// Value conversions the server refused: overflow, truncation, bad date-times, bad GUIDs,
// bad JSON. The body checks catch nearly all of these first; these are what is left.
const MSSQL_VALUE_ERRORS = new Set([220, 241, 242, 245, 248, 2628, 8114, 8115, 8152, 8169, 13609]);

/**
 * A driver error the caller can act on, in the error contract: 409 for a unique or foreign
 * key conflict, 422 for other constraints and values the server refused. Anything else is
 * returned unchanged (and becomes a plain 500). Messages name the constraint or column the
 * driver reports, never the SQL text or the driver's own message.
 */
export function translateDatabaseError(error: unknown): unknown {
  const violation = describeConstraint(error);
  if (violation !== undefined) {
    const named = violation.constraint === undefined ? '' : ` (${violation.constraint})`;
    switch (violation.kind) {
      case 'unique':
        return conflict(
          'Conflict',
          `a row with the same key or unique value already exists${named}`,
        );
      case 'foreign-key':
        return conflict(
          'ForeignKeyViolation',
          `the row refers to a row that does not exist, or other rows still refer to it${named}`,
        );
      case 'not-null':
        return new VaultgateError(
          422,
          'MissingValue',
          `column '${violation.column ?? '?'}' cannot be null`,
          {
            target: violation.column,
          },
        );
      default:
        return new VaultgateError(
          422,
          'ConstraintViolation',
          `a value breaks a rule of the table${named}`,
        );
    }
  }
  if (isValueError(error)) {
    return new VaultgateError(
      422,
      'BadValue',
      'a value does not fit the type or size of its column',
    );
  }
  return error;
}

function conflict(code: string, message: string): VaultgateError {
  return new VaultgateError(409, code, message);
}

function isValueError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, number } = error as { code?: unknown; number?: unknown };
  if (typeof number === 'number') return MSSQL_VALUE_ERRORS.has(number);
  // PostgreSQL's class 22, data exceptions: invalid text, out of range, too long.
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

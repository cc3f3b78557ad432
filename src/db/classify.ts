/**
 * Sorts driver errors (mssql/tedious and pg) into what the database path does about them:
 * a login failure refetches the secret and retries once, a transient failure becomes a 503
 * with Retry-After, a constraint violation becomes a 409 or 422 further up, the rest a 500.
 */

export type ErrorClass = 'login' | 'transient' | 'constraint' | 'other';

export type ConstraintKind = 'unique' | 'foreign-key' | 'not-null' | 'check' | 'exclusion';

export interface ConstraintViolation {
  kind: ConstraintKind;
  /** The constraint or index name, when the driver says. */
  constraint?: string;
  /** The column at fault, when the driver says (not-null violations). */
  column?: string;
}

interface DriverError {
  code?: unknown;
  number?: unknown;
  message?: unknown;
  isTransient?: unknown;
  originalError?: unknown;
  constraint?: unknown;
  column?: unknown;
  cause?: unknown;
}

const MSSQL_TRANSIENT = new Set([
  1205, 4060, 40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929, 926, 4221, 615,
]);
const MSSQL_CONSTRAINT = new Set([2627, 2601, 547, 515]);
const NETWORK_CODES = new Set([
  'ETIMEOUT',
  'ESOCKET',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNCLOSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTOPEN',
]);
// Admin shutdown, crash shutdown, starting up, too many connections, serialization failure,
// deadlock, and statement timeout (a command timeout, like tedious's ETIMEOUT).
const PG_TRANSIENT = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300', '57014']);
const PG_LOGIN = new Set(['28P01', '28000']);
// pg raises these as plain Errors without a code when the connection goes or stalls.
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout/,
  /^Client has encountered a connection error/,
];
// tedious reports every failed login as ELOGIN; these are the server being busy, not us.
const MSSQL_BUSY_LOGIN = [/^Cannot open database/i, /is not currently available/i, /resource/i];

/** Which of the four ways the database path treats this error. */
export function classifyError(err: unknown): ErrorClass {
  const e = asDriverError(err);
  if (e === undefined) return 'other';
  if (e.code === 'ELOGIN') return loginOrBusy(e);
  if (typeof e.number === 'number') return classifyMssqlNumber(e.number);
  // Node's own codes first: EPIPE has the shape of a SQLSTATE.
  if (isNetworkError(e)) return 'transient';
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return classifySqlState(e.code);
  return 'other';
}

function loginOrBusy(e: DriverError): ErrorClass {
  const original = asDriverError(e.originalError) ?? e;
  const message = String(original.message ?? '');
  if (original.isTransient === true || MSSQL_BUSY_LOGIN.some((re) => re.test(message))) {
    return 'transient';
  }
  return 'login';
}

function classifyMssqlNumber(number: number): ErrorClass {
  if (number === 18456) return 'login';
  if (MSSQL_TRANSIENT.has(number)) return 'transient';
  if (MSSQL_CONSTRAINT.has(number)) return 'constraint';
  return 'other';
}

function classifySqlState(code: string): ErrorClass {
  if (PG_LOGIN.has(code)) return 'login';
  if (PG_TRANSIENT.has(code) || code.startsWith('08')) return 'transient';
  if (code.startsWith('23')) return 'constraint';
  return 'other';
}

function isNetworkError(e: DriverError): boolean {
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  const message = String(e.message ?? '');
  if (PG_CONNECTION_MESSAGES.some((re) => re.test(message))) return true;
  // mssql wraps the socket error; tedious wraps several attempts in an AggregateError.
  const inner = asDriverError(e.originalError) ?? asDriverError(e.cause);
  if (inner !== undefined && inner !== e && isNetworkError(inner)) return true;
  return isAggregateOfNetwork(e);
}

function isAggregateOfNetwork(e: DriverError): boolean {
  if (!(e instanceof AggregateError)) return false;
  return e.errors.some((inner) => {
    const d = asDriverError(inner);
    return d !== undefined && isNetworkError(d);
  });
}

/**
 * Which constraint a violation broke, for messages that name the column or constraint.
 * Undefined when the error is not a constraint violation.
 */
export function describeConstraint(err: unknown): ConstraintViolation | undefined {
  if (classifyError(err) !== 'constraint') return undefined;
  const e = err as DriverError;
  return typeof e.number === 'number' ? mssqlConstraint(e) : postgresConstraint(e);
}

function postgresConstraint(e: DriverError): ConstraintViolation {
  const kinds: Record<string, ConstraintKind> = {
    '23505': 'unique',
    '23503': 'foreign-key',
    '23502': 'not-null',
    '23514': 'check',
    '23P01': 'exclusion',
  };
  const violation: ConstraintViolation = { kind: kinds[String(e.code)] ?? 'check' };
  if (typeof e.constraint === 'string') violation.constraint = e.constraint;
  if (typeof e.column === 'string') violation.column = e.column;
  return violation;
}

// SQL Server puts the names only in the message text, in fixed English templates.
function mssqlConstraint(e: DriverError): ConstraintViolation {
  const message = String(e.message ?? '');
  switch (e.number) {
    case 515:
      return withName({ kind: 'not-null' }, 'column', /column '([^']+)'/.exec(message));
    case 2601:
      return withName({ kind: 'unique' }, 'constraint', /unique index '([^']+)'/.exec(message));
    case 2627:
      return withName({ kind: 'unique' }, 'constraint', /constraint '([^']+)'/.exec(message));
    default: {
      const kind: ConstraintKind = /CHECK constraint/i.test(message) ? 'check' : 'foreign-key';
      return withName({ kind }, 'constraint', /constraint "([^"]+)"/.exec(message));
    }
  }
}

function withName(
  violation: ConstraintViolation,
  field: 'constraint' | 'column',
  match: RegExpExecArray | null,
): ConstraintViolation {
  if (match?.[1] !== undefined) violation[field] = match[1];
  return violation;
}

function asDriverError(value: unknown): DriverError | undefined {
  return typeof value === 'object' && value !== null ? (value as DriverError) : undefined;
}

import sql from 'mssql';
import { ConnectionError as TediousConnectionError } from 'tedious/lib/errors.js';

/** A SQL Server error as mssql builds it (lib/tedious/request.js): the token becomes `info`. */
export function mssqlServerError(number: number, message: string): sql.RequestError {
  const inner = Object.assign(new Error(message), {
    info: { number, state: 1, class: 16, message, serverName: 'sql1', lineNumber: 1 },
  });
  return new sql.RequestError(inner, 'EREQUEST');
}

/** A refused login: tedious's ConnectionError ELOGIN as mssql wraps it (connection-pool.js). */
export function mssqlLoginError(message: string, isTransient = false): sql.ConnectionError {
  const inner = Object.assign(new TediousConnectionError(message, 'ELOGIN'), { isTransient });
  return new sql.ConnectionError(inner);
}

/** What the promise rejected with; fails the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

import sql from 'mssql';
import pg from 'pg';
import { ConnectionError as TediousConnectionError } from 'tedious/lib/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import { isSchemaChangeError } from '../../src/db/catalog.js';
import { mssqlServerError, rejectionOf } from '../driver-errors.js';

describe('isSchemaChangeError with PostgreSQL errors from a real server', () => {
  let db: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await startEmbeddedPostgres();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.stop();
  });

  it('says yes to an undefined column (42703)', async () => {
    const err = await rejectionOf(pool.query('select no_such_column from orders'));
    expect((err as pg.DatabaseError).code).toBe('42703');
    expect(isSchemaChangeError(err)).toBe(true);
  });

  it('says yes to an undefined table (42P01)', async () => {
    const err = await rejectionOf(pool.query('select 1 from no_such_table'));
    expect((err as pg.DatabaseError).code).toBe('42P01');
    expect(isSchemaChangeError(err)).toBe(true);
  });

  it('says no to a constraint violation and a syntax error', async () => {
    const unique = await rejectionOf(
      pool.query(
        `insert into customers (name, email, country)
         select 'Dup', email, 'DE' from customers where id = 1`,
      ),
    );
    const fk = await rejectionOf(
      pool.query(`insert into orders (customer_id, total) values (999999, 1)`),
    );
    const syntax = await rejectionOf(pool.query('selec 1'));
    expect((unique as pg.DatabaseError).code).toBe('23505');
    for (const err of [unique, fk, syntax]) expect(isSchemaChangeError(err)).toBe(false);
  });
});

describe('isSchemaChangeError with SQL Server errors as mssql builds them', () => {
  it.each([
    [207, "Invalid column name 'gone'."],
    [208, "Invalid object name 'dbo.orders'."],
    [213, 'Column name or number of supplied values does not match table definition.'],
    [
      110,
      'There are fewer columns in the INSERT statement than values specified in the VALUES ' +
        'clause.',
    ],
  ])('says yes to error %i', (number, message) => {
    expect(isSchemaChangeError(mssqlServerError(number, message))).toBe(true);
  });

  it('says no to a constraint violation, a syntax error and a refused login', () => {
    const pk = mssqlServerError(2627, "Violation of PRIMARY KEY constraint 'PK_orders'.");
    const syntax = mssqlServerError(102, "Incorrect syntax near 'FORM'.");
    const login = new sql.ConnectionError(
      new TediousConnectionError("Login failed for user 'app'.", 'ELOGIN'),
    );
    for (const err of [pk, syntax, login]) expect(isSchemaChangeError(err)).toBe(false);
  });

  it('says no to anything that is not a driver error', () => {
    expect(isSchemaChangeError(undefined)).toBe(false);
    expect(isSchemaChangeError('42703')).toBe(false);
    expect(isSchemaChangeError(new TypeError('x is not a function'))).toBe(false);
  });
});

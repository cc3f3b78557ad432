import sql from 'mssql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError, describeConstraint } from '../../src/db/classify.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import { mssqlLoginError, mssqlServerError, rejectionOf } from '../driver-errors.js';
import { freePort } from '../ports.js';

describe('classifyError with SQL Server errors', () => {
  it('calls ELOGIN and error 18456 login failures', () => {
    expect(classifyError(mssqlLoginError("Login failed for user 'app'."))).toBe('login');
    expect(classifyError(mssqlServerError(18456, "Login failed for user 'app'."))).toBe('login');
  });

  it('calls a busy or unavailable database at login transient', () => {
    const busy = mssqlLoginError('Database is not currently available.', true);
    expect(classifyError(busy)).toBe('transient');
    const unopened = mssqlLoginError('Cannot open database "shop" requested by the login.');
    expect(classifyError(unopened)).toBe('transient');
  });

  it.each([1205, 4060, 40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929, 926, 4221, 615])(
    'calls server error %i transient',
    (number) => {
      expect(classifyError(mssqlServerError(number, 'busy'))).toBe('transient');
    },
  );

  it('calls a request timeout transient', () => {
    const inner = new Error('Timeout: Request failed to complete in 15000ms');
    const timeout = new sql.RequestError(Object.assign(inner, { code: 'ETIMEOUT' }), 'EREQUEST');
    expect(classifyError(timeout)).toBe('transient');
  });

  it('calls a refused socket transient (a real connect to a closed port)', async () => {
    const pool = new sql.ConnectionPool({
      server: '127.0.0.1',
      port: await freePort(),
      user: 'u',
      password: 'p',
      connectionTimeout: 3000,
      options: { encrypt: false },
    });
    const err = await rejectionOf(pool.connect());
    expect(err).toBeInstanceOf(sql.ConnectionError);
    expect(classifyError(err)).toBe('transient');
    await pool.close();
  });

  it('names the constraint kind and name of 2627, 2601, 547 and 515', () => {
    const pk = mssqlServerError(
      2627,
      "Violation of PRIMARY KEY constraint 'PK_orders'. Cannot insert duplicate key in " +
        "object 'dbo.orders'. The duplicate key value is (7).",
    );
    const index = mssqlServerError(
      2601,
      "Cannot insert duplicate key row in object 'dbo.customers' with unique index " +
        "'UX_customers_email'. The duplicate key value is (a@b.c).",
    );
    const fk = mssqlServerError(
      547,
      'The INSERT statement conflicted with the FOREIGN KEY constraint "FK_orders_customers". ' +
        'The conflict occurred in database "shop", table "dbo.customers", column \'id\'.',
    );
    const check = mssqlServerError(
      547,
      'The UPDATE statement conflicted with the CHECK constraint "CK_orders_status".',
    );
    const notNull = mssqlServerError(
      515,
      "Cannot insert the value NULL into column 'email', table 'shop.dbo.customers'; column " +
        'does not allow nulls. INSERT fails.',
    );
    for (const err of [pk, index, fk, check, notNull])
      expect(classifyError(err)).toBe('constraint');
    expect(describeConstraint(pk)).toEqual({ kind: 'unique', constraint: 'PK_orders' });
    expect(describeConstraint(index)).toEqual({ kind: 'unique', constraint: 'UX_customers_email' });
    expect(describeConstraint(fk)).toEqual({
      kind: 'foreign-key',
      constraint: 'FK_orders_customers',
    });
    expect(describeConstraint(check)).toEqual({ kind: 'check', constraint: 'CK_orders_status' });
    expect(describeConstraint(notNull)).toEqual({ kind: 'not-null', column: 'email' });
  });

  it('calls a syntax error other and gives it no constraint', () => {
    const syntax = mssqlServerError(102, "Incorrect syntax near 'FORM'.");
    expect(classifyError(syntax)).toBe('other');
    expect(describeConstraint(syntax)).toBeUndefined();
  });
});

describe('classifyError with PostgreSQL errors from a real server', () => {
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

  it('names a unique violation and its constraint', async () => {
    const err = await rejectionOf(
      pool.query(
        `insert into customers (name, email, country)
         select 'Dup', email, 'DE' from customers where id = 1`,
      ),
    );
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect(classifyError(err)).toBe('constraint');
    expect(describeConstraint(err)).toEqual({ kind: 'unique', constraint: 'customers_email_key' });
  });

  it('names a foreign-key, a not-null and a check violation', async () => {
    const fk = await rejectionOf(
      pool.query(`insert into orders (customer_id, total) values (999999, 1)`),
    );
    expect(describeConstraint(fk)).toEqual({
      kind: 'foreign-key',
      constraint: 'orders_customer_id_fkey',
    });
    const notNull = await rejectionOf(
      pool.query(`insert into customers (name, email, country) values ('N', null, 'DE')`),
    );
    expect(describeConstraint(notNull)).toEqual({ kind: 'not-null', column: 'email' });
    const check = await rejectionOf(pool.query(`update orders set status = 'lost' where id = 1`));
    expect(describeConstraint(check)).toEqual({ kind: 'check', constraint: 'orders_status_check' });
  });

  it('calls a syntax error other', async () => {
    const err = await rejectionOf(pool.query('selec 1'));
    expect(classifyError(err)).toBe('other');
  });

  it('calls a refused connection transient', async () => {
    const closed = new pg.Client({ host: '127.0.0.1', port: await freePort(), user: 'u' });
    const err = await rejectionOf(closed.connect());
    expect(classifyError(err)).toBe('transient');
  });
});

describe('classifyError with PostgreSQL error codes as pg builds them', () => {
  // pg-protocol's parser makes a DatabaseError and copies the fields of the message onto it.
  function pgError(code: string, fields: Partial<pg.DatabaseError> = {}): pg.DatabaseError {
    return Object.assign(new pg.DatabaseError('server said no', 100, 'error'), { code, ...fields });
  }

  it.each(['28P01', '28000'])('calls %s login', (code) => {
    expect(classifyError(pgError(code))).toBe('login');
  });

  it.each(['40001', '40P01', '57P01', '53300', '08006', '08001'])('calls %s transient', (code) => {
    expect(classifyError(pgError(code))).toBe('transient');
  });

  it('calls a dropped connection transient', () => {
    expect(classifyError(new Error('Connection terminated unexpectedly'))).toBe('transient');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyError(reset)).toBe('transient');
  });

  it('calls an exclusion violation a constraint', () => {
    const err = pgError('23P01', { constraint: 'no_overlap' });
    expect(describeConstraint(err)).toEqual({ kind: 'exclusion', constraint: 'no_overlap' });
  });

  it('calls anything that is not a driver error other', () => {
    expect(classifyError(undefined)).toBe('other');
    expect(classifyError('ECONNRESET')).toBe('other');
    expect(classifyError(new TypeError('x is not a function'))).toBe('other');
  });
});

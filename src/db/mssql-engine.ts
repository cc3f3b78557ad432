import sql from 'mssql';
import { silentLogger, type Logger } from '../log.js';
import type {
  Engine,
  IsolationLevel,
  Queryable,
  QueryOptions,
  QueryResult,
  TransactionOptions,
} from './engine.js';
import { inferMssqlParam } from './mssql-params.js';

// mssql accepts per-request overrides (lib/base/request.js); its typings do not list them.
type RequestConstructor = new (
  parent: sql.ConnectionPool | sql.Transaction,
  overrides?: { requestTimeout?: number },
) => sql.Request;
const TimedRequest = sql.Request as unknown as RequestConstructor;

const ISOLATION: Record<IsolationLevel, sql.IIsolationLevel> = {
  'read committed': sql.ISOLATION_LEVEL.READ_COMMITTED,
  'repeatable read': sql.ISOLATION_LEVEL.REPEATABLE_READ,
  serializable: sql.ISOLATION_LEVEL.SERIALIZABLE,
};

/** SQL Server and Azure SQL through an mssql ConnectionPool, connected on first use. */
export class MssqlEngine implements Engine {
  readonly name = 'mssql' as const;
  readonly dialect = 'tsql' as const;
  readonly #pool: sql.ConnectionPool;
  #connecting: Promise<sql.ConnectionPool> | undefined;

  constructor(config: sql.config, logger: Logger = silentLogger) {
    this.#pool = new sql.ConnectionPool(config);
    this.#pool.on('error', (err: unknown) => {
      logger.log('warn', 'A database connection failed.', { engine: 'mssql', code: codeOf(err) });
    });
  }

  async query<R = Record<string, unknown>>(
    text: string,
    params: readonly unknown[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult<R>> {
    return run<R>(await this.#connected(), text, params, options);
  }

  async transaction<T>(
    fn: (tx: Queryable) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const transaction = new sql.Transaction(await this.#connected());
    await transaction.begin(options.isolation ? ISOLATION[options.isolation] : undefined);
    const tx: Queryable = {
      query: <R>(text: string, params: readonly unknown[] = [], opts: QueryOptions = {}) =>
        run<R>(transaction, text, params, opts),
    };
    try {
      const value = await fn(tx);
      await transaction.commit();
      return value;
    } catch (err) {
      // The server may have rolled back already (XACT_ABORT, a deadlock); then this throws.
      await transaction.rollback().catch(() => undefined);
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.query('select 1 as ok');
  }

  async close(): Promise<void> {
    await this.#connecting?.catch(() => undefined);
    await this.#pool.close();
  }

  // A failed connect is forgotten, so the next call tries again rather than failing forever.
  #connected(): Promise<sql.ConnectionPool> {
    this.#connecting ??= this.#pool.connect().catch((err: unknown) => {
      this.#connecting = undefined;
      throw err;
    });
    return this.#connecting;
  }
}

async function run<R>(
  parent: sql.ConnectionPool | sql.Transaction,
  text: string,
  params: readonly unknown[],
  options: QueryOptions,
): Promise<QueryResult<R>> {
  const overrides = options.timeoutMs === undefined ? {} : { requestTimeout: options.timeoutMs };
  const request = new TimedRequest(parent, overrides);
  params.forEach((value, i) => {
    const typed = inferMssqlParam(value);
    request.input(`p${i + 1}`, typed.type, typed.value);
  });
  const result = await request.query<R>(text);
  const rows = (result.recordset ?? []) as R[];
  const affected = result.rowsAffected.reduce((sum, n) => sum + n, 0);
  return { rows, rowCount: Math.max(affected, rows.length) };
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

import pg from 'pg';
import { silentLogger, type Logger } from '../log.js';
import type {
  Engine,
  IsolationLevel,
  Queryable,
  QueryOptions,
  QueryResult,
  TransactionOptions,
} from './engine.js';

// pg reads query_timeout per query (client.js), though its typings only know it per client.
type TimedQueryConfig = pg.QueryConfig & { query_timeout?: number };

const ISOLATION_SQL: Record<IsolationLevel, string> = {
  'read committed': 'begin isolation level read committed',
  'repeatable read': 'begin isolation level repeatable read',
  serializable: 'begin isolation level serializable',
};

/** PostgreSQL (and the embedded PGlite) through a pg Pool. */
export class PostgresEngine implements Engine {
  readonly name = 'postgres' as const;
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;

  constructor(config: pg.PoolConfig, logger: Logger = silentLogger) {
    this.#pool = new pg.Pool(config);
    // An idle client whose server goes away emits here; without a listener it would crash
    // the process. The next query on the pool gets a fresh connection.
    this.#pool.on('error', (err) => {
      logger.log('warn', 'An idle database connection failed.', {
        engine: 'postgres',
        code: codeOf(err),
      });
    });
  }

  query<R = Record<string, unknown>>(
    text: string,
    params: readonly unknown[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult<R>> {
    return run<R>(this.#pool, text, params, options);
  }

  async transaction<T>(
    fn: (tx: Queryable) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(options.isolation ? ISOLATION_SQL[options.isolation] : 'begin');
      const tx: Queryable = {
        query: <R>(text: string, params: readonly unknown[] = [], opts: QueryOptions = {}) =>
          run<R>(client, text, params, opts),
      };
      const value = await fn(tx);
      await client.query('commit');
      return value;
    } catch (err) {
      broken = await rollback(client);
      throw err;
    } finally {
      // A client that could not roll back is destroyed rather than handed to the next caller.
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.#pool.query('select 1');
  }

  async close(): Promise<void> {
    if (!this.#pool.ending) await this.#pool.end();
  }
}

async function run<R>(
  target: pg.Pool | pg.PoolClient,
  text: string,
  params: readonly unknown[],
  options: QueryOptions,
): Promise<QueryResult<R>> {
  const config: TimedQueryConfig = { text, values: [...params] };
  // pg stops waiting at the timeout but sends no cancel; the pool then destroys the client, and
  // the server abandons the statement when it sees the connection gone. Ends if pg learns to
  // cancel on timeout.
  if (options.timeoutMs !== undefined) config.query_timeout = options.timeoutMs;
  const result = await target.query(config);
  const rows = result.rows as R[];
  return { rows, rowCount: result.rowCount ?? rows.length };
}

async function rollback(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('rollback');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error('rollback failed');
  }
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

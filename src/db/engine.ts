/**
 * What the rest of Vaultgate sees of a database: a queryable pool with transactions, for
 * either engine. Text uses the engine's placeholders: `$1..$n` for postgres, `@p1..@pn` for
 * tsql (the mssql engine binds params[i] as `p{i+1}`).
 */

export type EngineName = 'mssql' | 'postgres';
export type Dialect = 'tsql' | 'postgres';

export interface QueryResult<R> {
  rows: R[];
  /** Rows returned or affected, whichever the statement did. */
  rowCount: number;
}

export interface QueryOptions {
  /** Command timeout for this statement; the engine's default (30 s) when left out. */
  timeoutMs?: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
}

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  /** Defaults to the server's default, read committed on both engines. */
  isolation?: IsolationLevel;
}

export interface Engine extends Queryable {
  readonly name: EngineName;
  readonly dialect: Dialect;
  /** Runs fn on one connection inside a transaction: commit when it resolves, else roll back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** One round trip to the server; rejects when the database cannot be reached. */
  ping(): Promise<void>;
  /** Closes the pool once the work already on it has finished. */
  close(): Promise<void>;
}

/** The command timeout used when a query names none. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/** Connections per pool; the same on both engines. */
export const POOL_MAX = 10;

import type { TokenCredential } from '@azure/identity';
import { DependencyError, describeError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { ResolvedSecret, SecretSource } from '../secrets/types.js';
import { classifyError } from './classify.js';
import { parseConnectionString, type EngineConfig } from './connection-string.js';
import type { Engine } from './engine.js';
import { MssqlEngine } from './mssql-engine.js';
import { PostgresEngine } from './postgres-engine.js';

export interface DatabaseOptions {
  secrets: SecretSource;
  /** The app's identity, for connection strings that sign in with Entra ID. */
  credential?: TokenCredential;
  logger?: Logger;
  /** Builds the engine for a configuration; the default makes a real pool. */
  createEngine?: (config: EngineConfig, logger: Logger) => Engine;
}

export interface DatabaseHealth {
  ok: boolean;
  engine?: string;
  latencyMs?: number;
  error?: { code: string; message: string };
}

export interface DatabaseStats {
  /** Runs retried because the server refused a login and a fresh secret was fetched. */
  loginRetries: number;
  /** Pools open now, including retired ones still finishing their work. */
  pools: number;
  poolsOpened: number;
  poolsClosed: number;
  /** Runs under way. */
  inFlight: number;
}

interface Pool {
  version: string;
  engine: Engine;
  inFlight: number;
  retired: boolean;
}

const UNAVAILABLE = 'The database cannot be reached right now; try again in a few seconds.';
const LOGIN_FAILED =
  'The database refused the login in the Key Vault secret, also after fetching it again; ' +
  'check the user and password the secret holds.';
const LOGIN_RETRY_AFTER_SECONDS = 30;

/**
 * The one path to the database. Each run resolves the secret, takes the pool of that secret
 * version (one per version per process, made on first use), and hands its engine to the
 * caller. A refused login invalidates the version and retries once with a fresh secret; a
 * newer version moves new work to a new pool and closes the old one when its work is done.
 *
 * Driver errors that are neither a login failure nor transient (constraint violations,
 * syntax errors) reach the caller unchanged, for classifyError and describeConstraint.
 */
export class Database {
  readonly #secrets: SecretSource;
  readonly #credential: TokenCredential | undefined;
  readonly #logger: Logger;
  readonly #createEngine: (config: EngineConfig, logger: Logger) => Engine;
  readonly #current = new Map<string, Pool>();
  readonly #open = new Set<Pool>();
  readonly #closing = new Set<Promise<void>>();
  #loginRetries = 0;
  #poolsOpened = 0;
  #poolsClosed = 0;
  #inFlight = 0;
  #closed = false;

  constructor(options: DatabaseOptions) {
    this.#secrets = options.secrets;
    this.#credential = options.credential;
    this.#logger = options.logger ?? silentLogger;
    this.#createEngine = options.createEngine ?? createEngine;
  }

  /** Runs fn with the engine of the current secret version. */
  async run<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
    if (this.#closed) throw new DependencyError('DatabaseUnavailable', UNAVAILABLE);
    this.#inFlight++;
    try {
      const first = await this.#attempt(fn);
      if (first.ok) return first.value;
      this.#loginRetries++;
      this.#logger.log('warn', 'The database refused the login; retrying with a fresh secret.', {
        secretVersion: first.version,
        attempt: 2,
      });
      const second = await this.#attempt(fn);
      if (second.ok) return second.value;
      throw new DependencyError('DatabaseLoginFailed', LOGIN_FAILED, {
        retryAfterSeconds: LOGIN_RETRY_AFTER_SECONDS,
      });
    } finally {
      this.#inFlight--;
    }
  }

  /** One round trip to the database; never throws. */
  async health(): Promise<DatabaseHealth> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const engine = await this.run(async (e) => {
        await e.ping();
        return e.name;
      });
      return { ok: true, engine, latencyMs: elapsed() };
    } catch (err) {
      return { ok: false, latencyMs: elapsed(), error: describeError(err).body.error };
    }
  }

  stats(): DatabaseStats {
    return {
      loginRetries: this.#loginRetries,
      pools: this.#open.size,
      poolsOpened: this.#poolsOpened,
      poolsClosed: this.#poolsClosed,
      inFlight: this.#inFlight,
    };
  }

  /** Refuses new runs and closes every pool once its work is done. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pool of [...this.#open]) this.#retire(pool);
    while (this.#closing.size > 0) await Promise.all([...this.#closing]);
  }

  // Resolves with the value, or with ok=false after a login failure (already invalidated).
  async #attempt<T>(
    fn: (engine: Engine) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; version: string }> {
    const secret = await this.#secrets.resolve();
    const pool = this.#poolFor(secret);
    pool.inFlight++;
    try {
      return { ok: true, value: await fn(pool.engine) };
    } catch (err) {
      const kind = classifyError(err);
      if (kind === 'transient')
        throw new DependencyError('DatabaseUnavailable', UNAVAILABLE, { cause: err });
      if (kind !== 'login') throw err;
      // That pool cannot log in; a fresh one is made for whatever secret comes next.
      this.#retire(pool);
      this.#secrets.invalidate(secret.version);
      return { ok: false, version: secret.version };
    } finally {
      pool.inFlight--;
      if (pool.retired) this.#closeWhenIdle(pool);
    }
  }

  #poolFor(secret: ResolvedSecret): Pool {
    const existing = this.#current.get(secret.version);
    if (existing !== undefined) return existing;

    const config = parseConnectionString(secret.connectionString, { credential: this.#credential });
    const pool: Pool = {
      version: secret.version,
      engine: this.#createEngine(config, this.#logger),
      inFlight: 0,
      retired: false,
    };
    for (const older of this.#current.values()) this.#retire(older);
    this.#current.set(secret.version, pool);
    this.#open.add(pool);
    this.#poolsOpened++;
    this.#logger.log('info', 'Opened a database pool.', {
      engine: config.engine,
      secretVersion: secret.version,
    });
    return pool;
  }

  #retire(pool: Pool): void {
    if (this.#current.get(pool.version) === pool) this.#current.delete(pool.version);
    pool.retired = true;
    this.#closeWhenIdle(pool);
  }

  #closeWhenIdle(pool: Pool): void {
    if (pool.inFlight > 0 || !this.#open.delete(pool)) return;
    const closing = pool.engine
      .close()
      .catch((err: unknown) => {
        this.#logger.log('warn', 'A retired database pool did not close cleanly.', {
          engine: pool.engine.name,
          code: classifyError(err),
        });
      })
      .then(() => {
        this.#poolsClosed++;
        this.#closing.delete(closing);
        this.#logger.log('info', 'Closed a database pool.', {
          engine: pool.engine.name,
          secretVersion: pool.version,
        });
      });
    this.#closing.add(closing);
  }
}

/** Makes the real engine for a parsed connection string. */
export function createEngine(config: EngineConfig, logger: Logger): Engine {
  return config.engine === 'postgres'
    ? new PostgresEngine(config.postgres, logger)
    : new MssqlEngine(config.mssql, logger);
}

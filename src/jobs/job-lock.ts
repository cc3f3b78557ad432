import { createHash } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { classifyError } from '../db/classify.js';
import { parseConnectionString, type EngineConfig } from '../db/connection-string.js';
import { createEngine } from '../db/database.js';
import type { Dialect, Engine } from '../db/engine.js';
import { DependencyError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { SecretSource } from '../secrets/types.js';

/** A held job lock; release it when the run is over. */
export interface JobLock {
  release(): Promise<void>;
}

/** Hands out one lock per job name across every instance that shares the database. */
export interface JobLocks {
  /** The lock, or undefined when another run holds it. */
  acquire(job: string): Promise<JobLock | undefined>;
}

/** The app lock resource, and the text the PostgreSQL key is derived from. */
export function lockResource(job: string): string {
  return `vaultgate.job.${job}`;
}

/** A stable signed 64-bit advisory lock key for the job, as decimal text. */
export function advisoryKey(job: string): string {
  return createHash('sha256').update(lockResource(job)).digest().readBigInt64BE(0).toString();
}

/** Statements taking and releasing a session-owned lock without waiting. */
export const LOCK_SQL: Readonly<Record<Dialect, { acquire: string; release: string }>> = {
  tsql: {
    acquire:
      'DECLARE @result int;\n' +
      "EXEC @result = sp_getapplock @Resource = @p1, @LockMode = N'Exclusive', " +
      "@LockOwner = N'Session', @LockTimeout = 0;\n" +
      'SELECT @result AS [result];',
    release: "EXEC sp_releaseapplock @Resource = @p1, @LockOwner = N'Session';",
  },
  postgres: {
    acquire: 'SELECT pg_try_advisory_lock($1::int8) AS "result";',
    release: 'SELECT pg_advisory_unlock($1::int8) AS "result";',
  },
};

export interface SessionLocksOptions {
  secrets: SecretSource;
  /** For connection strings that sign in with Entra ID. */
  credential?: TokenCredential;
  logger?: Logger;
}

// The lock's connection must outlive any pause between statements of a long run.
const LOCK_IDLE_MS = 24 * 3600 * 1000;

/**
 * Job locks held by a database session: sp_getapplock and pg_try_advisory_lock, owned by a
 * connection of their own, opened from the same Key Vault secret for the length of the run.
 * Batches run on the ordinary pool meanwhile. If the instance dies, its connection goes and
 * the server frees the lock, so no lock outlives its run.
 *
 * The lock needs a connection of its own because the pool hands each statement to whichever
 * connection is free, and a session lock must be released on the session that took it.
 * Ends when Engine offers a dedicated session; then the lock can use the run's own pool.
 *
 * On the embedded database every connection shares one session, where an advisory lock is
 * granted again to its holder, so it does not exclude there; the runner's own guard covers
 * that case (one process).
 */
export class SessionLocks implements JobLocks {
  readonly #options: SessionLocksOptions;

  constructor(options: SessionLocksOptions) {
    this.#options = options;
  }

  async acquire(job: string): Promise<JobLock | undefined> {
    const first = await this.#attempt(job);
    if (first !== 'login') return first;
    return (await this.#attempt(job)) === 'login' ? loginRefused() : undefined;
  }

  async #attempt(job: string): Promise<JobLock | undefined | 'login'> {
    const secret = await this.#options.secrets.resolve();
    const config = parseConnectionString(secret.connectionString, {
      credential: this.#options.credential,
    });
    const engine = createEngine(singleConnection(config), this.#options.logger ?? silentLogger);
    const key = engine.dialect === 'tsql' ? lockResource(job) : advisoryKey(job);
    try {
      const result = await engine.query<{ result: number | boolean }>(
        LOCK_SQL[engine.dialect].acquire,
        [key],
      );
      const granted = result.rows[0]?.result;
      if (granted === true || (typeof granted === 'number' && granted >= 0)) {
        return heldLock(engine, key, job, this.#options.logger ?? silentLogger);
      }
      await engine.close();
      return undefined;
    } catch (error) {
      await engine.close().catch(() => undefined);
      if (classifyError(error) === 'login') {
        this.#options.secrets.invalidate(secret.version);
        return 'login';
      }
      if (classifyError(error) === 'transient') {
        throw new DependencyError('DatabaseUnavailable', UNAVAILABLE, { cause: error });
      }
      throw error;
    }
  }
}

const UNAVAILABLE = 'The database cannot be reached right now; try again in a few seconds.';

function loginRefused(): never {
  throw new DependencyError(
    'DatabaseLoginFailed',
    'The database refused the login in the Key Vault secret, also after fetching it again; ' +
      'check the user and password the secret holds.',
    { retryAfterSeconds: 30 },
  );
}

function heldLock(engine: Engine, key: string, job: string, logger: Logger): JobLock {
  return {
    async release() {
      try {
        await engine.query(LOCK_SQL[engine.dialect].release, [key]);
      } catch (error) {
        // Closing the connection below frees the lock anyway.
        logger.log('warn', 'A job lock was not released cleanly.', {
          job,
          code: classifyError(error),
        });
      } finally {
        await engine.close().catch(() => undefined);
      }
    },
  };
}

/** The same configuration with a pool of exactly one long-lived connection. */
function singleConnection(config: EngineConfig): EngineConfig {
  if (config.engine === 'postgres') {
    // 0 turns pg's idle timeout off: an idle close would end the session and its lock.
    return { engine: 'postgres', postgres: { ...config.postgres, max: 1, idleTimeoutMillis: 0 } };
  }
  const pool = { ...config.mssql.pool, max: 1, min: 0, idleTimeoutMillis: LOCK_IDLE_MS };
  return { engine: 'mssql', mssql: { ...config.mssql, pool } };
}

import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { hasDemoSchema, loadDemoSchema } from './demo-loader.js';

/**
 * The embedded PostgreSQL of the offline stack: PGlite (PostgreSQL compiled to WebAssembly)
 * served over the PostgreSQL wire protocol, so the ordinary `pg` driver talks to it.
 *
 * What the socket server guarantees (read in its QueryQueueManager, then tested in
 * test/local/postgres): PGlite is one backend with one session. Every connection's messages go
 * through one queue, one message at a time; while the session is inside an explicit
 * transaction, only the connection that opened it is served and the others wait. So
 * concurrent transactions from a pool are safe but strictly serial, and a transaction that
 * waits on another connection of the same pool waits forever. Session state is shared by all
 * connections: SET, temporary tables and named prepared statements leak between them, so
 * Vaultgate uses none of those. A parse/bind/execute round of one connection is not
 * interleaved with another's in practice because the queue drains it without yielding to the
 * event loop; a message split across TCP packets could still interleave. All of this ends
 * with a real PostgreSQL server, which the same code reaches through PG_TEST_URL.
 */
export interface EmbeddedPostgresOptions {
  /** Where the data lives, e.g. `.local/pgdata`; in memory when left out. */
  dataDir?: string;
  host?: string;
  /** 0 lets the OS choose a free port. */
  port?: number;
}

export interface EmbeddedPostgres {
  /** An ordinary `postgres://` URL; PGlite accepts any user name and password. */
  url: string;
  port: number;
  /** Whether this start created the demo schema (false when the data directory had it). */
  seeded: boolean;
  stop(): Promise<void>;
}

/** Enough for a pg Pool of 10 plus a few tools (psql, a health probe) beside it. */
export const MAX_CONNECTIONS = 16;

// Stands for a password; never a real one. Long enough that log redaction does not hide words.
const LOCAL_USER = 'postgres';
const LOCAL_PASSWORD = 'embedded-local';

/** Starts PGlite behind a socket server; creates the demo schema when it is missing. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const { dataDir, host = '127.0.0.1', port = 0 } = options;
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });

  const seeded = !(await hasDemoSchema(db));
  if (seeded) await loadDemoSchema(db);

  const server = new PGLiteSocketServer({ db, host, port, maxConnections: MAX_CONNECTIONS });
  await server.start();
  const boundPort = Number(server.getServerConn().split(':').pop());

  const stop = async () => {
    await server.stop();
    await db.close();
  };
  const url = `postgres://${LOCAL_USER}:${LOCAL_PASSWORD}@${host}:${boundPort}/postgres`;
  return { url, port: boundPort, seeded, stop };
}

import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { generateDemoData } from '../../../local/postgres/demo-data.js';
import { loadDemoSchema } from '../../../local/postgres/demo-loader.js';
import { startEmbeddedPostgres } from '../../../local/postgres/embedded-postgres.js';

/** A database holding the demo schema, and where its tables are. */
export interface EngineTarget {
  connectionString: string;
  /** The schema the demo tables live in; undefined for the engine's default. */
  schema: string | undefined;
  stop(): Promise<void>;
}

/** An engine the suite runs on; `start` is called only when `available`. */
export interface EngineSpec {
  name: string;
  available: boolean;
  start(): Promise<EngineTarget>;
}

const PG_TEST_URL = process.env.PG_TEST_URL;
const MSSQL_TEST_CONNECTION_STRING = process.env.MSSQL_TEST_CONNECTION_STRING;

export const ENGINES: EngineSpec[] = [
  { name: 'the embedded database', available: true, start: startEmbedded },
  {
    name: 'PostgreSQL (PG_TEST_URL)',
    available: PG_TEST_URL !== undefined,
    start: startScratchSchema,
  },
  {
    // The database must already hold the demo tables in dbo; there is no T-SQL loader yet.
    name: 'SQL Server (MSSQL_TEST_CONNECTION_STRING)',
    available: MSSQL_TEST_CONNECTION_STRING !== undefined,
    start: () =>
      Promise.resolve({
        connectionString: MSSQL_TEST_CONNECTION_STRING!,
        schema: undefined,
        stop: () => Promise.resolve(),
      }),
  },
];

async function startEmbedded(): Promise<EngineTarget> {
  const database = await startEmbeddedPostgres();
  return { connectionString: database.url, schema: undefined, stop: () => database.stop() };
}

/**
 * The demo schema and rows in a scratch schema of their own on the real server, dropped at
 * the end, so runs never meet each other's rows.
 */
async function startScratchSchema(): Promise<EngineTarget> {
  const schema = `vg_api_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
    await client.query(`set search_path to ${schema}`);
    await loadDemoSchema(pgliteLike(client), generateDemoData());
  } finally {
    await client.end();
  }
  return {
    connectionString: PG_TEST_URL!,
    schema,
    stop: async () => {
      const admin = new pg.Client({ connectionString: PG_TEST_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** The few PGlite calls the demo loader makes, over a pg client. */
function pgliteLike(client: pg.Client): PGlite {
  const tx = {
    exec: (sql: string) => client.query(sql),
    query: (sql: string, params: unknown[]) => client.query(sql, params),
  };
  const db = {
    transaction: async (fn: (t: typeof tx) => Promise<void>) => {
      await client.query('begin');
      try {
        await fn(tx);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
  };
  return db as unknown as PGlite;
}

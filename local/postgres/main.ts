/**
 * Starts the embedded PostgreSQL on its own and prints its URL, for poking at it with psql.
 * Usage: node dist/local/postgres/main.js [dataDir] [port]
 */
import { startEmbeddedPostgres } from './embedded-postgres.js';

const dataDir = process.argv[2] ?? '.local/pgdata';
const port = Number(process.argv[3] ?? 0);

const db = await startEmbeddedPostgres({ dataDir, port });
console.log(db.seeded ? `Created the demo schema in ${dataDir}.` : `Reusing ${dataDir}.`);
console.log(db.url);

const shutdown = () => {
  db.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

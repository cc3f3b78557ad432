import { DEFAULT_SCHEMA } from '../db/catalog.js';
import type { Engine } from '../db/engine.js';
import type { Job } from './job.js';
import { jobError } from './job-error.js';
import type { Routine } from './procedure-sql.js';

const POSTGRES_ROUTINE_SQL = `select n.nspname as schema_name, p.proname as routine_name,
  p.prokind::text as kind
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
where n.nspname = $1 and p.proname = $2 and p.prokind in ('f', 'p')`;

/**
 * The routine a procedure job calls. On PostgreSQL the catalog says whether it is a
 * procedure (CALL) or a function (SELECT), and a missing one fails with a clear sentence;
 * SQL Server's EXEC needs no such lookup and reports a missing procedure itself.
 */
export async function findRoutine(engine: Engine, name: string, job: Job): Promise<Routine> {
  const [schema, routine] = name.includes('.')
    ? (name.split('.', 2) as [string, string])
    : [DEFAULT_SCHEMA[engine.name], name];
  if (engine.dialect === 'tsql') return { schema, name: routine, kind: 'procedure' };
  const result = await engine.query<{ schema_name: string; routine_name: string; kind: string }>(
    POSTGRES_ROUTINE_SQL,
    [schema, routine],
  );
  const found = result.rows[0];
  if (found === undefined) {
    throw jobError(job, 'parameters.procedure', `no procedure or function ${name} was found`);
  }
  return {
    schema: found.schema_name,
    name: found.routine_name,
    kind: found.kind === 'p' ? 'procedure' : 'function',
  };
}

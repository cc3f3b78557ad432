import type { Dialect, Queryable } from '../db/engine.js';
import type { RunRecord, RunStatus, RunTrigger } from './run-record.js';

const COLUMNS = [
  'id',
  'job',
  'trigger',
  'started',
  'finished',
  'status',
  'rows_affected',
  'batches',
  'error_code',
  'error_message',
] as const;

/** SQL Server keeps 1,000 characters of a message; longer ones are cut. */
export const MAX_MESSAGE_LENGTH = 1000;

/** The statement that adds a run to `vaultgate.job_runs`. */
export function insertRunSql(dialect: Dialect): string {
  const q = dialect === 'tsql' ? (n: string) => `[${n}]` : (n: string) => `"${n}"`;
  const p = dialect === 'tsql' ? (i: number) => `@p${i}` : (i: number) => `$${i}`;
  const table = dialect === 'tsql' ? '[vaultgate].[job_runs]' : '"vaultgate"."job_runs"';
  return (
    `INSERT INTO ${table} (${COLUMNS.map(q).join(', ')})\n` +
    `VALUES (${COLUMNS.map((_, i) => p(i + 1)).join(', ')});`
  );
}

/** Appends the run to the history. */
export async function storeRun(db: Queryable, dialect: Dialect, run: RunRecord): Promise<void> {
  await db.query(insertRunSql(dialect), [
    run.id,
    run.job,
    run.trigger,
    new Date(run.started),
    new Date(run.finished),
    run.status,
    run.rowsAffected,
    run.batches,
    run.error?.code ?? null,
    run.error?.message.slice(0, MAX_MESSAGE_LENGTH) ?? null,
  ]);
}

/** The newest runs first, of one job or of all. */
export function listRunsSql(dialect: Dialect, byJob: boolean, first: number): string {
  if (dialect === 'tsql') {
    return (
      `SELECT TOP (${first}) ${COLUMNS.map((n) => `[${n}]`).join(', ')}\n` +
      `FROM [vaultgate].[job_runs]${byJob ? '\nWHERE [job] = @p1' : ''}\n` +
      'ORDER BY [started] DESC, [id];'
    );
  }
  return (
    `SELECT ${COLUMNS.map((n) => `"${n}"`).join(', ')}\n` +
    `FROM "vaultgate"."job_runs"${byJob ? '\nWHERE "job" = $1' : ''}\n` +
    `ORDER BY "started" DESC, "id"\nLIMIT ${first};`
  );
}

interface RunRow {
  id: string;
  job: string;
  trigger: string;
  started: Date | string;
  finished: Date | string;
  status: string;
  rows_affected: number | string;
  batches: number;
  error_code: string | null;
  error_message: string | null;
}

/** Reads the history, newest first; `first` is already bounded by the caller. */
export async function listRuns(
  db: Queryable,
  dialect: Dialect,
  options: { job?: string; first: number },
): Promise<RunRecord[]> {
  const params = options.job === undefined ? [] : [options.job];
  const result = await db.query<RunRow>(
    listRunsSql(dialect, options.job !== undefined, options.first),
    params,
  );
  return result.rows.map(toRecord);
}

function toRecord(row: RunRow): RunRecord {
  return {
    // SQL Server returns uniqueidentifiers in upper case.
    id: String(row.id).toLowerCase(),
    job: row.job,
    trigger: row.trigger as RunTrigger,
    started: new Date(row.started).toISOString(),
    finished: new Date(row.finished).toISOString(),
    status: row.status as RunStatus,
    rowsAffected: Number(row.rows_affected),
    batches: Number(row.batches),
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
  };
}

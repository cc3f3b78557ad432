import { parseFilter } from '../api/query/filter-parser.js';
import { readTableShape } from '../db/catalog.js';
import type { Engine } from '../db/engine.js';
import { VaultgateError } from '../errors.js';
import type { TableShape } from '../sql/table.js';
import type { AgeCondition } from './age-condition.js';
import { archiveColumns } from './archive-columns.js';
import { archiveBatchSql } from './archive-sql.js';
import { durationMs } from './duration.js';
import type { ArchiveParameters, PurgeParameters } from './job-config.js';
import type { JobStep } from './job-step.js';
import type { Job } from './job.js';
import { housekeepingSteps } from './housekeeping.js';
import { procedureSql } from './procedure-sql.js';
import { countSql, purgeBatchSql } from './purge-sql.js';
import { findRoutine } from './routine.js';
import { jobError } from './job-error.js';
import { statisticsSql } from './statistics-sql.js';

/**
 * The statements of one run of the job, compiled for the engine's dialect. Tables and
 * columns come from the catalog; a name it does not know fails the run with a sentence
 * naming the job and the field. `now` fixes the cutoff for the whole run.
 */
export async function planJob(job: Job, engine: Engine, now: Date): Promise<JobStep[]> {
  switch (job.kind) {
    case 'purge':
      return [await purgeStep(job, job.parameters, engine, now)];
    case 'archive':
      return [await archiveStep(job, job.parameters, engine, now)];
    case 'statistics':
      return Promise.all(
        job.parameters.tables.map(async (name, i) => {
          const table = await requireTable(engine, name, job, `parameters.tables.${i}`);
          return { label: `statistics ${name}`, statement: statisticsSql(table, engine.dialect) };
        }),
      );
    case 'procedure': {
      const { procedure, arguments: args, commandTimeoutSeconds } = job.parameters;
      const routine = await findRoutine(engine, procedure, job);
      const step: JobStep = {
        label: `procedure ${procedure}`,
        statement: procedureSql(routine, args, engine.dialect),
      };
      if (commandTimeoutSeconds !== undefined) step.timeoutMs = commandTimeoutSeconds * 1000;
      return [step];
    }
    case 'housekeeping':
      return housekeepingSteps(job.parameters, engine.dialect, now);
  }
}

async function purgeStep(
  job: Job,
  parameters: PurgeParameters,
  engine: Engine,
  now: Date,
): Promise<JobStep> {
  const condition = await ageCondition(job, parameters, engine, now);
  return {
    label: `purge ${parameters.table}`,
    statement: purgeBatchSql(condition, parameters.batchSize, engine.dialect),
    count: countSql(condition, engine.dialect),
    batchSize: parameters.batchSize,
  };
}

async function archiveStep(
  job: Job,
  parameters: ArchiveParameters,
  engine: Engine,
  now: Date,
): Promise<JobStep> {
  const condition = await ageCondition(job, parameters, engine, now);
  const archive = await requireTable(
    engine,
    parameters.archiveTable,
    job,
    'parameters.archiveTable',
  );
  const columns = archiveColumns(condition.table, archive, job);
  return {
    label: `archive ${parameters.table}`,
    statement: archiveBatchSql(condition, archive, columns, parameters.batchSize, engine.dialect),
    count: countSql(condition, engine.dialect),
    batchSize: parameters.batchSize,
  };
}

async function ageCondition(
  job: Job,
  parameters: PurgeParameters,
  engine: Engine,
  now: Date,
): Promise<AgeCondition> {
  const table = await requireTable(engine, parameters.table, job, 'parameters.table');
  if (engine.dialect === 'postgres' && table.key.length === 0) {
    throw jobError(
      job,
      'parameters.table',
      `${parameters.table} has no primary key; ` +
        'PostgreSQL batches are picked by key, so add one',
    );
  }
  const cutoff = new Date(now.getTime() - durationMs(parameters.olderThan));
  const column = table.columns.find((c) => c.name === parameters.timestampColumn);
  if (column === undefined) {
    throw jobError(
      job,
      'parameters.timestampColumn',
      `${parameters.table} has no column ${parameters.timestampColumn}`,
    );
  }
  const condition: AgeCondition = { table, timestampColumn: column.name, cutoff };
  if (parameters.filter !== undefined)
    condition.filter = parseJobFilter(job, parameters.filter, table);
  return condition;
}

function parseJobFilter(job: Job, filter: string, table: TableShape) {
  try {
    return parseFilter(filter, table);
  } catch (error) {
    if (error instanceof VaultgateError) throw jobError(job, 'parameters.filter', error.message);
    throw error;
  }
}

async function requireTable(
  engine: Engine,
  name: string,
  job: Job,
  field: string,
): Promise<TableShape> {
  const [schema, table] = name.includes('.') ? name.split('.', 2) : [undefined, name];
  const shape = await readTableShape(engine, schema, table!);
  if (shape === undefined) throw jobError(job, field, `no table or view ${name} was found`);
  return shape;
}

import type { Dialect } from '../db/engine.js';
import type { TableShape } from '../sql/table.js';
import { durationMs } from './duration.js';
import type { HousekeepingParameters } from './job-config.js';
import type { JobStep } from './job-step.js';
import { countSql, purgeBatchSql } from './purge-sql.js';

// The project tables as ensureProjectSchema makes them: no catalog round trip is needed.
const IDEMPOTENCY: TableShape = {
  schema: 'vaultgate',
  name: 'idempotency',
  key: ['key'],
  columns: [
    {
      name: 'key',
      type: 'string',
      dbType: 'text',
      nullable: false,
      hasDefault: false,
      identity: false,
    },
    {
      name: 'expires_at',
      type: 'datetimeoffset',
      dbType: 'timestamptz',
      nullable: false,
      hasDefault: false,
      identity: false,
    },
  ],
};

const JOB_RUNS: TableShape = {
  schema: 'vaultgate',
  name: 'job_runs',
  key: ['id'],
  columns: [
    {
      name: 'id',
      type: 'uuid',
      dbType: 'uuid',
      nullable: false,
      hasDefault: false,
      identity: false,
    },
    {
      name: 'started',
      type: 'datetimeoffset',
      dbType: 'timestamptz',
      nullable: false,
      hasDefault: false,
      identity: false,
    },
  ],
};

/**
 * The built-in job: idempotency keys past their expiry, then run history older than the
 * retention, each in batches like any purge.
 */
export function housekeepingSteps(
  parameters: HousekeepingParameters,
  dialect: Dialect,
  now: Date,
): JobStep[] {
  const { batchSize } = parameters;
  const keys = { table: IDEMPOTENCY, timestampColumn: 'expires_at', cutoff: now };
  const history = {
    table: JOB_RUNS,
    timestampColumn: 'started',
    cutoff: new Date(now.getTime() - durationMs(parameters.runHistoryOlderThan)),
  };
  return [
    {
      label: 'purge vaultgate.idempotency',
      statement: purgeBatchSql(keys, batchSize, dialect),
      count: countSql(keys, dialect),
      batchSize,
    },
    {
      label: 'purge vaultgate.job_runs',
      statement: purgeBatchSql(history, batchSize, dialect),
      count: countSql(history, dialect),
      batchSize,
    },
  ];
}

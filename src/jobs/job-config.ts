import { Cron } from 'croner';
import { z } from 'zod';
import { durationSchema } from './duration.js';

/**
 * The `jobs` section of vaultgate.json: maintenance jobs by name, each run on its own timer
 * function `maintenance-<name>`. Every field is checked at start, so a mistake stops the app
 * with a sentence naming the job and the field rather than failing at 3 a.m.
 */

/** A table as configuration names it: `table` or `schema.table`. */
const tableName = z
  .string()
  .regex(
    /^([A-Za-z_][A-Za-z0-9_$]{0,127}\.)?[A-Za-z_][A-Za-z0-9_$]{0,127}$/,
    'must be `table` or `schema.table`',
  );

const columnName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_$ -]{0,127}$/, 'must be a column name of letters, digits and _');

/** SQL Server escalates to a table lock at about 5,000 row locks; a batch stays below that. */
export const MAX_BATCH_SIZE = 4000;

const batchSize = z
  .number()
  .int()
  .min(1)
  .max(MAX_BATCH_SIZE, `must be at most ${MAX_BATCH_SIZE}, below SQL Server's lock escalation`)
  .default(1000)
  .describe('Rows per batch; each batch is its own transaction. Default 1,000.');

const ageParameters = {
  table: tableName.describe('The table to clear, as `table` or `schema.table`.'),
  timestampColumn: columnName.describe('The date or timestamp column that dates each row.'),
  olderThan: durationSchema.describe('Rows older than this are affected, e.g. 90d or 12h.'),
  filter: z
    .string()
    .min(1)
    .max(4000)
    .optional()
    .describe("An extra condition in the API's $filter grammar, e.g. status eq 'delivered'."),
  batchSize,
};

const purgeParameters = z.object(ageParameters).strict();

const archiveParameters = z
  .object({
    ...ageParameters,
    archiveTable: tableName.describe('Where the rows go; its columns are matched by name.'),
  })
  .strict();

const statisticsParameters = z
  .object({
    tables: z.array(tableName).min(1).max(100).describe('Tables whose statistics are refreshed.'),
  })
  .strict();

const argumentValue = z.union([z.string().max(4000), z.number(), z.boolean(), z.null()]);

const procedureParameters = z
  .object({
    procedure: tableName.describe('The stored procedure (or PostgreSQL function), `schema.name`.'),
    arguments: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be a parameter name'),
        argumentValue,
      )
      .default({})
      .describe('Named arguments, without @: { "days": 30 }.'),
    commandTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('How long the call may run; by default until the time budget runs out.'),
  })
  .strict();

const housekeepingParameters = z
  .object({
    runHistoryOlderThan: durationSchema
      .default('90d')
      .describe('Run history older than this is purged. Default 90d.'),
    batchSize,
  })
  .strict();

/** Six-field NCRONTAB, as the Functions host reads it: second minute hour day month weekday. */
const scheduleSchema = z
  .string()
  .refine(isNcrontab, 'must be a six-field NCRONTAB expression such as "0 30 2 * * *"')
  .describe('When the job runs: second minute hour day month weekday, in UTC.');

const common = {
  schedule: scheduleSchema,
  timeBudgetSeconds: z
    .number()
    .int()
    .min(5)
    .optional()
    .describe("When no new batch starts; default: host.json's functionTimeout less a margin."),
  enabled: z.boolean().default(true).describe('A disabled job has no timer; it can run by hand.'),
};

const jobSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...common, kind: z.literal('purge'), parameters: purgeParameters }).strict(),
    z.object({ ...common, kind: z.literal('archive'), parameters: archiveParameters }).strict(),
    z
      .object({ ...common, kind: z.literal('statistics'), parameters: statisticsParameters })
      .strict(),
    z.object({ ...common, kind: z.literal('procedure'), parameters: procedureParameters }).strict(),
    z
      .object({
        ...common,
        kind: z.literal('housekeeping'),
        parameters: housekeepingParameters.default({ runHistoryOlderThan: '90d', batchSize: 1000 }),
      })
      .strict(),
  ],
  { error: 'must be one of purge, archive, statistics, procedure, housekeeping' },
);

/** Job names become function names `maintenance-<name>` and URL segments. */
export const JOB_NAME = /^[a-z][a-z0-9-]{0,47}$/;

/** The `jobs` key of vaultgate.json. */
export const jobsSchema = z
  .record(z.string().regex(JOB_NAME), jobSchema, {
    // zod reports a bad key as "Invalid key in record"; say what a name may hold instead.
    error: (issue) =>
      issue.code === 'invalid_key'
        ? 'must be a job name of lower-case letters, digits and - (at most 48)'
        : undefined,
  })
  .default({})
  .describe('Maintenance jobs by name; each runs on its own timer as maintenance-<name>.');

export type JobConfig = z.output<typeof jobSchema>;
export type JobKind = JobConfig['kind'];
export type PurgeParameters = z.output<typeof purgeParameters>;
export type ArchiveParameters = z.output<typeof archiveParameters>;
export type StatisticsParameters = z.output<typeof statisticsParameters>;
export type ProcedureParameters = z.output<typeof procedureParameters>;
export type HousekeepingParameters = z.output<typeof housekeepingParameters>;
export type ArgumentValue = z.output<typeof argumentValue>;

function isNcrontab(expression: string): boolean {
  if (expression.trim().split(/\s+/).length !== 6) return false;
  try {
    // As the Functions host reads NCRONTAB: both day fields must match, unlike classic cron.
    new Cron(expression, { mode: '6-part', domAndDow: true, paused: true });
    return true;
  } catch {
    return false;
  }
}

import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { Engine } from '../db/engine.js';
import { ensureProjectSchema } from '../db/project-schema.js';
import { VaultgateError } from '../errors.js';
import { redact, silentLogger, type Logger } from '../log.js';
import type { JobLocks } from './job-lock.js';
import type { JobStep } from './job-step.js';
import type { Job } from './job.js';
import { planJob } from './plan-job.js';
import { storeRun } from './run-history.js';
import type { RunRecord, RunStatus, RunTrigger } from './run-record.js';

export interface JobRunnerOptions {
  database: Pick<Database, 'run'>;
  locks: JobLocks;
  logger?: Logger;
  /** Milliseconds since the epoch; tests pass a fake clock to spend the budget. */
  clock?: () => number;
}

export interface RunOptions {
  trigger: RunTrigger;
  /** Count what the run would touch and change nothing. */
  dryRun?: boolean;
  /** Where this run's log line goes; the runner's logger otherwise. */
  logger?: Logger;
}

interface Progress {
  rowsAffected: number;
  batches: number;
}

// What each failed run threw, for adapters that answer with the error's HTTP status.
const failures = new WeakMap<RunRecord, unknown>();

/** What a failed run threw (undefined for any other run): its status decides a response's. */
export function runFailure(record: RunRecord): unknown {
  return failures.get(record);
}

// Left before the host's timeout when a statement's command timeout is set, to record the run.
const RECORD_SECONDS = 5;
const MIN_COMMAND_TIMEOUT_MS = 1000;

/**
 * Runs maintenance jobs: resolves the secret through the database path for every statement,
 * takes the job's lock (a second run of the same job, here or on another instance, is
 * recorded `skipped`), runs the job's statements batch by batch until the work is done or the
 * time budget is spent (`partial`: the next run carries on), and records the run in
 * `vaultgate.job_runs`. Never throws: whatever goes wrong is in the record it returns.
 */
export class JobRunner {
  readonly #database: Pick<Database, 'run'>;
  readonly #locks: JobLocks;
  readonly #logger: Logger;
  readonly #clock: () => number;
  // Runs under way in this process. The database lock covers other instances; this covers a
  // single-session database (the embedded one), where the lock cannot tell runs apart.
  readonly #running = new Set<string>();

  constructor(options: JobRunnerOptions) {
    this.#database = options.database;
    this.#locks = options.locks;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? Date.now;
  }

  async run(job: Job, options: RunOptions): Promise<RunRecord> {
    const started = this.#clock();
    const progress: Progress = { rowsAffected: 0, batches: 0 };
    let status: RunStatus;
    let error: RunRecord['error'] = null;
    let failure: unknown;
    try {
      status = options.dryRun
        ? await this.#dryRun(job, started, progress)
        : await this.#guarded(job, started, progress);
      if (status === 'skipped') error = alreadyRunning(job);
    } catch (thrown) {
      status = 'failed';
      error = describeRunError(thrown, job.name);
      failure = thrown;
    }
    const record: RunRecord = {
      id: randomUUID(),
      job: job.name,
      trigger: options.trigger,
      started: new Date(started).toISOString(),
      finished: new Date(this.#clock()).toISOString(),
      status,
      ...progress,
      error,
    };
    if (failure !== undefined) failures.set(record, failure);
    if (options.dryRun) record.dryRun = true;
    else if (!(await this.#store(record))) record.stored = false;
    this.#logRun(record, started, options.logger ?? this.#logger);
    return record;
  }

  async #guarded(job: Job, started: number, progress: Progress): Promise<RunStatus> {
    if (this.#running.has(job.name)) return 'skipped';
    this.#running.add(job.name);
    try {
      const lock = await this.#locks.acquire(job.name);
      if (lock === undefined) return 'skipped';
      try {
        return await this.#execute(job, started, progress);
      } finally {
        await lock.release();
      }
    } finally {
      this.#running.delete(job.name);
    }
  }

  async #execute(job: Job, started: number, progress: Progress): Promise<RunStatus> {
    const steps = await this.#plan(job, started);
    const deadline = started + job.timeBudgetSeconds * 1000;
    const hardStop = started + (job.functionTimeoutSeconds - RECORD_SECONDS) * 1000;
    for (const step of steps) {
      for (;;) {
        if (this.#clock() >= deadline) return 'partial';
        const timeoutMs = Math.max(
          MIN_COMMAND_TIMEOUT_MS,
          Math.min(step.timeoutMs ?? Infinity, hardStop - this.#clock()),
        );
        const affected = await this.#runStep(step, timeoutMs);
        progress.rowsAffected += affected;
        progress.batches++;
        if (step.batchSize === undefined || affected < step.batchSize) break;
      }
    }
    return 'ok';
  }

  async #dryRun(job: Job, started: number, progress: Progress): Promise<RunStatus> {
    const steps = await this.#plan(job, started);
    for (const step of steps) {
      const count = step.count;
      const rows =
        count === undefined
          ? 0
          : await this.#database.run(async (engine) => {
              const result = await engine.query<{ count: number | string }>(
                count.text,
                count.params,
              );
              return Number(result.rows[0]?.count ?? 0);
            });
      progress.rowsAffected += rows;
      // A batched step runs until a batch comes back short, so one more than the full ones.
      progress.batches += step.batchSize === undefined ? 1 : Math.floor(rows / step.batchSize) + 1;
    }
    return 'ok';
  }

  #plan(job: Job, started: number): Promise<JobStep[]> {
    return this.#database.run(async (engine) => {
      await ensureProjectSchema(engine);
      return planJob(job, engine, new Date(started));
    });
  }

  async #runStep(step: JobStep, timeoutMs: number): Promise<number> {
    try {
      return await this.#database.run(async (engine: Engine) => {
        const { text, params } = step.statement;
        return (await engine.query(text, params, { timeoutMs })).rowCount;
      });
    } catch (thrown) {
      if (thrown instanceof VaultgateError) throw thrown;
      throw new VaultgateError(
        500,
        'StatementFailed',
        `The database refused the statement of ${step.label}${driverCode(thrown)}.`,
        { cause: thrown },
      );
    }
  }

  async #store(record: RunRecord): Promise<boolean> {
    try {
      await this.#database.run(async (engine) => {
        await ensureProjectSchema(engine);
        await storeRun(engine, engine.dialect, record);
      });
      return true;
    } catch (thrown) {
      this.#logger.log('warn', 'A maintenance run could not be written to the run history.', {
        job: record.job,
        run: record.id,
        code: describeRunError(thrown, record.job).code,
      });
      return false;
    }
  }

  #logRun(record: RunRecord, started: number, logger: Logger): void {
    const level = record.status === 'failed' ? 'error' : 'info';
    const message = record.error === null ? 'Maintenance run finished.' : record.error.message;
    logger.log(level, message, {
      job: record.job,
      run: record.id,
      trigger: record.trigger,
      outcome: record.status,
      rows: record.rowsAffected,
      batches: record.batches,
      code: record.error?.code,
      ms: this.#clock() - started,
    });
  }
}

function alreadyRunning(job: Job): { code: string; message: string } {
  return {
    code: 'AlreadyRunning',
    message: `Another run of job ${job.name} holds its lock, so this run did nothing.`,
  };
}

/**
 * The code and sentence a failed run records: safe to show, with no SQL text or secret. A
 * driver error keeps only its error number or SQLSTATE, which names the problem without
 * quoting any data.
 */
export function describeRunError(thrown: unknown, job: string): { code: string; message: string } {
  if (thrown instanceof VaultgateError) {
    return { code: thrown.code, message: redact(thrown.message) };
  }
  const code = driverCode(thrown);
  if (code !== '') {
    return {
      code: 'StatementFailed',
      message: `The database refused a statement of job ${job}${code}.`,
    };
  }
  return { code: 'InternalError', message: 'An unexpected error occurred.' };
}

function driverCode(thrown: unknown): string {
  const { number, code } = (thrown ?? {}) as { number?: unknown; code?: unknown };
  if (typeof number === 'number') return ` (SQL Server error ${number})`;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return ` (SQLSTATE ${code})`;
  return '';
}

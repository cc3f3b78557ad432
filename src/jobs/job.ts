import { ConfigurationError } from '../errors.js';
import { defaultTimeBudgetSeconds } from './function-timeout.js';
import type { JobConfig } from './job-config.js';

/** A job ready to run: its configuration with every default filled in. */
export type Job = JobConfig & {
  name: string;
  /** When no new batch starts, in seconds from the start of the run. */
  timeBudgetSeconds: number;
  /** host.json's functionTimeout: no statement may run past it. */
  functionTimeoutSeconds: number;
  /** Added by Vaultgate rather than configured. */
  builtIn: boolean;
};

/** The name and defaults of the built-in job that purges idempotency keys and run history. */
export const HOUSEKEEPING_JOB = 'housekeeping';
const HOUSEKEEPING_SCHEDULE = '0 15 3 * * *';

/**
 * The jobs of a configuration, in name order, with the built-in housekeeping job added
 * unless a job of kind `housekeeping` is configured (which then replaces it, to change its
 * schedule or retention, or to disable it). Throws a ConfigurationError naming the job and
 * the field when a time budget does not fit inside the function timeout.
 */
export function resolveJobs(
  configured: Record<string, JobConfig>,
  functionTimeoutSeconds: number,
  file = 'vaultgate.json',
): Job[] {
  const jobs = Object.entries(configured).map(([name, config]) =>
    withDefaults(name, config, functionTimeoutSeconds, file, false),
  );
  if (!jobs.some((job) => job.kind === 'housekeeping')) {
    if (configured[HOUSEKEEPING_JOB] !== undefined) {
      throw new ConfigurationError(
        `${file}: jobs.${HOUSEKEEPING_JOB} is the name of the built-in job; rename that job, ` +
          'or give it kind "housekeeping" to configure the built-in one.',
      );
    }
    jobs.push(
      withDefaults(HOUSEKEEPING_JOB, builtInHousekeeping(), functionTimeoutSeconds, file, true),
    );
  }
  return jobs.sort((a, b) => a.name.localeCompare(b.name));
}

function builtInHousekeeping(): JobConfig {
  return {
    kind: 'housekeeping',
    schedule: HOUSEKEEPING_SCHEDULE,
    enabled: true,
    parameters: { runHistoryOlderThan: '90d', batchSize: 1000 },
  };
}

function withDefaults(
  name: string,
  config: JobConfig,
  functionTimeoutSeconds: number,
  file: string,
  builtIn: boolean,
): Job {
  const budget = config.timeBudgetSeconds ?? defaultTimeBudgetSeconds(functionTimeoutSeconds);
  if (budget >= functionTimeoutSeconds) {
    throw new ConfigurationError(
      `${file}: jobs.${name}.timeBudgetSeconds is ${budget}, but host.json's functionTimeout ` +
        `is ${functionTimeoutSeconds} s; leave room for the last batch, e.g. ` +
        `${defaultTimeBudgetSeconds(functionTimeoutSeconds)}.`,
    );
  }
  return { ...config, name, timeBudgetSeconds: budget, functionTimeoutSeconds, builtIn };
}

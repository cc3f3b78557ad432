import { resolve } from 'node:path';
import { configPath, loadConfigSync } from '../src/api/config.js';
import { readFunctionTimeoutSeconds } from '../src/jobs/function-timeout.js';
import { SessionLocks } from '../src/jobs/job-lock.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { resolveJobs, type Job } from '../src/jobs/job.js';
import type { Environment } from '../src/settings/settings.js';
import { getRuntime, type Runtime } from '../src/runtime.js';
import { processLogger } from './process-logger.js';

/**
 * The configured maintenance jobs: vaultgate.json (VAULTGATE_CONFIG, or vaultgate.json in the
 * app's folder) with host.json's functionTimeout for the time budgets. Read synchronously at
 * module load, because timers are registered from it before the host serves anything; a
 * mistake throws, and the app does not start.
 */
export function loadJobs(env: Environment = process.env): Job[] {
  const path = configPath(env);
  const config = loadConfigSync(path);
  const timeout = readFunctionTimeoutSeconds(resolve(process.cwd(), 'host.json'));
  return resolveJobs(config.jobs, timeout, path);
}

let jobs: Job[] | undefined;
let runner: { runtime: Runtime; runner: JobRunner } | undefined;

/** The jobs of this process, read once. */
export function maintenanceJobs(): Job[] {
  jobs ??= loadJobs();
  return jobs;
}

/**
 * The runner of this process, over the shared runtime. Its locks open their own connection
 * from the same secret with the runtime's credential.
 */
export function maintenanceRunner(env: Environment = process.env): JobRunner {
  const runtime = getRuntime(env, processLogger);
  // A new runtime (after closeRuntime) has new pools; the runner follows it.
  if (runner?.runtime === runtime) return runner.runner;
  const locks = new SessionLocks({
    secrets: runtime.resolver,
    credential: runtime.credential,
    logger: processLogger,
  });
  const created = new JobRunner({ database: runtime.database, locks, logger: processLogger });
  runner = { runtime, runner: created };
  return created;
}

import type { InvocationContext, Timer } from '@azure/functions';
import type { Job } from '../src/jobs/job.js';
import { describeRunError } from '../src/jobs/job-runner.js';
import { contextLogger } from './http.js';
import { maintenanceJobs, maintenanceRunner } from './maintenance-service.js';
import { register } from './register.js';

/**
 * The timer handler of one job. The run's outcome, failures included, is in its record and
 * its log line; nothing is thrown, since the host would only log it again.
 */
export function scheduledRun(job: Job) {
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const logger = contextLogger(context);
    try {
      await maintenanceRunner().run(job, { trigger: 'schedule', logger });
    } catch (error) {
      // Only the runtime's settings can fail before a run starts.
      const { code, message } = describeRunError(error, job.name);
      logger.log('error', message, { job: job.name, code });
    }
  };
}

/** One timer function `maintenance-<job>` per enabled job, from the configuration. */
export const definitions = maintenanceJobs()
  .filter((job) => job.enabled)
  .map((job) =>
    register({
      name: `maintenance-${job.name}`,
      trigger: 'timer',
      options: { schedule: job.schedule, handler: scheduledRun(job) },
    }),
  );

import { ConfigurationError } from '../errors.js';
import type { Job } from './job.js';

/** A configuration mistake found at run time; the sentence names the job and the field. */
export function jobError(job: Job, field: string, problem: string): ConfigurationError {
  return new ConfigurationError(`Job ${job.name}: ${field}: ${problem}.`, {
    target: `jobs.${job.name}.${field}`,
  });
}

import { jobsSchema } from '../../src/jobs/job-config.js';
import { resolveJobs, type Job } from '../../src/jobs/job.js';
import type { SecretSource } from '../../src/secrets/types.js';

/** A job as the configuration would give it, with a 10-minute function timeout. */
export function jobOf(name: string, config: Record<string, unknown>): Job {
  const jobs = resolveJobs(jobsSchema.parse({ [name]: config }), 600);
  const job = jobs.find((candidate) => candidate.name === name);
  if (job === undefined) throw new Error(`no job ${name}`);
  return job;
}

/**
 * A secret source that always answers with one connection string: for runner tests whose
 * subject is the database work, not Key Vault (test/jobs/key-vault-down.test.ts covers that).
 */
export function fixedSecret(connectionString: string): SecretSource & { invalidated: string[] } {
  const invalidated: string[] = [];
  return {
    invalidated,
    resolve: () => Promise.resolve({ connectionString, version: 'v1' }),
    invalidate: (version) => void invalidated.push(version),
  };
}

/** A clock that moves on by `stepMs` each time it is read. */
export function steppingClock(startMs: number, stepMs: number): () => number {
  let now = startMs - stepMs;
  return () => (now += stepMs);
}

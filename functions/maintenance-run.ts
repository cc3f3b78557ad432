import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { shortText } from '../src/sql/column-lookup.js';
import { describeError, VaultgateError } from '../src/errors.js';
import { runFailure } from '../src/jobs/job-runner.js';
import type { RunRecord } from '../src/jobs/run-record.js';
import { contextLogger, errorResponse, jsonResponse } from './http.js';
import { maintenanceJobs, maintenanceRunner } from './maintenance-service.js';
import { register } from './register.js';

/**
 * `POST /api/maintenance/{job}/run[?dryRun=true]`: runs the job now, disabled ones too, and
 * answers with the run record: 200 when it ran (`ok` or `partial`), 409 when another run held
 * the lock (`skipped`), and the failure's own status (503 with Retry-After when Key Vault or
 * the database is down) when it failed. A dry run counts and changes nothing.
 */
export async function runMaintenanceJob(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    const job = findJob(request.params.job ?? '');
    const dryRun = parseDryRun(request.query.get('dryRun'));
    const record = await maintenanceRunner().run(job, {
      trigger: 'manual',
      dryRun,
      logger: contextLogger(context),
    });
    return runResponse(record);
  } catch (error) {
    return errorResponse(error, context);
  }
}

function findJob(name: string) {
  const jobs = maintenanceJobs();
  const job = jobs.find((candidate) => candidate.name === name);
  if (job !== undefined) return job;
  const known = jobs.map((candidate) => candidate.name).join(', ');
  throw new VaultgateError(
    404,
    'UnknownJob',
    `There is no job '${shortText(name)}'; the jobs are: ${known}.`,
    {
      target: 'job',
    },
  );
}

function parseDryRun(value: string | null): boolean {
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  throw new VaultgateError(400, 'BadDryRun', 'dryRun must be true or false.', { target: 'dryRun' });
}

function runResponse(record: RunRecord): HttpResponseInit {
  const noStore = { 'Cache-Control': 'no-store' };
  if (record.status === 'skipped') return jsonResponse(409, record, noStore);
  if (record.status !== 'failed') return jsonResponse(200, record, noStore);
  const { status, headers } = describeError(runFailure(record));
  return jsonResponse(status, record, { ...headers, ...noStore });
}

export const definition = register({
  name: 'maintenance-run',
  trigger: 'http',
  options: {
    methods: ['POST'],
    authLevel: 'admin',
    route: 'maintenance/{job}/run',
    handler: runMaintenanceJob,
  },
});

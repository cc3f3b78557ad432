import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ensureProjectSchema } from '../src/db/project-schema.js';
import { VaultgateError } from '../src/errors.js';
import { listRuns } from '../src/jobs/run-history.js';
import { getRuntime } from '../src/runtime.js';
import { errorResponse, jsonResponse } from './http.js';
import { processLogger } from './process-logger.js';
import { register } from './register.js';

/** Runs per page when `$first` is left out, and the most one page may hold. */
export const RUNS_PAGE = { default: 50, max: 1000 } as const;

/** `GET /api/maintenance/runs[?job=name][&$first=n]`: the run history, newest first. */
export async function listMaintenanceRuns(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    const first = parseFirst(request.query.get('$first'));
    const job = request.query.get('job') ?? undefined;
    const { database } = getRuntime(process.env, processLogger);
    const runs = await database.run(async (engine) => {
      await ensureProjectSchema(engine);
      return listRuns(engine, engine.dialect, job === undefined ? { first } : { job, first });
    });
    return jsonResponse(200, { value: runs }, { 'Cache-Control': 'no-store' });
  } catch (error) {
    return errorResponse(error, context);
  }
}

function parseFirst(value: string | null): number {
  if (value === null) return RUNS_PAGE.default;
  const first = /^[0-9]{1,7}$/.test(value) ? Number(value) : NaN;
  if (first >= 1 && first <= RUNS_PAGE.max) return first;
  throw new VaultgateError(
    400,
    'BadFirst',
    `$first must be a whole number from 1 to ${RUNS_PAGE.max}.`,
    { target: '$first' },
  );
}

export const definition = register({
  name: 'maintenance-runs',
  trigger: 'http',
  options: {
    methods: ['GET'],
    authLevel: 'admin',
    route: 'maintenance/runs',
    handler: listMaintenanceRuns,
  },
});

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { checkHealth } from '../src/health.js';
import { getRuntime } from '../src/runtime.js';
import { errorResponse, jsonResponse } from './http.js';
import { processLogger } from './process-logger.js';
import { register } from './register.js';

/** `GET /api/health`: Key Vault and the database, each with its latency, or 503 and why. */
export async function health(
  _request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  let runtime;
  try {
    runtime = getRuntime(process.env, processLogger);
  } catch (error) {
    return errorResponse(error, context);
  }
  const report = await checkHealth(runtime);
  if (report.status === 'unhealthy') {
    return jsonResponse(503, report, { 'Retry-After': '5', 'Cache-Control': 'no-store' });
  }
  return jsonResponse(200, report, { 'Cache-Control': 'no-store' });
}

export const definition = register({
  name: 'health',
  trigger: 'http',
  options: { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: health },
});

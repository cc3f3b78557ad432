import { describeError } from './errors.js';
import type { Runtime } from './runtime.js';

export interface ProblemReport {
  code: string;
  message: string;
}

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  keyVault: {
    ok: boolean;
    latencyMs?: number;
    cache?: { state: string; hits: number; misses: number; ageSeconds?: number };
    secretVersion?: string;
    error?: ProblemReport;
  };
  database: { ok: boolean; engine?: string; latencyMs?: number; error?: ProblemReport };
}

/**
 * Checks both dependencies through the same path as every request: the resolver (from its
 * cache when fresh) and a round trip to the database. A stale secret still serves, so health
 * answers `degraded`; a part that cannot serve makes it `unhealthy`.
 */
export async function checkHealth(runtime: Runtime): Promise<HealthReport> {
  const keyVault = await checkKeyVault(runtime);
  const database: HealthReport['database'] =
    keyVault.secretVersion === undefined
      ? {
          ok: false,
          error: {
            code: 'NotChecked',
            message: 'The database was not checked: the connection string could not be read.',
          },
        }
      : await runtime.database.health();

  let status: HealthReport['status'] = 'healthy';
  if (!keyVault.ok) status = 'degraded';
  if (keyVault.secretVersion === undefined || !database.ok) status = 'unhealthy';
  return { status, keyVault, database };
}

async function checkKeyVault(runtime: Runtime): Promise<HealthReport['keyVault']> {
  const started = performance.now();
  let problem: ProblemReport | undefined;
  let version: string | undefined;
  try {
    version = (await runtime.resolver.resolve()).version;
  } catch (error) {
    problem = describeError(error).body.error;
  }
  const latencyMs = Math.round(performance.now() - started);
  const status = runtime.resolver.status();
  if (problem === undefined && status.state === 'stale' && status.lastError !== undefined) {
    problem = { code: status.lastError.code, message: status.lastError.message };
  }
  return {
    ok: problem === undefined,
    latencyMs,
    cache: {
      state: status.state,
      hits: status.hits,
      misses: status.misses,
      ageSeconds: status.ageSeconds,
    },
    secretVersion: version,
    ...(problem === undefined ? {} : { error: problem }),
  };
}

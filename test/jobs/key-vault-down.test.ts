import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import { SessionLocks } from '../../src/jobs/job-lock.js';
import { JobRunner, runFailure } from '../../src/jobs/job-runner.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';
import { jobOf } from './job-fixture.js';

describe('a maintenance run while Key Vault is down', () => {
  const capture = new Capture();
  let emulator: KeyVaultEmulator;
  let server: EmbeddedPostgres;
  let runtime: Runtime;
  let runner: JobRunner;

  const job = jobOf('purge-while-down', {
    kind: 'purge',
    schedule: '0 0 3 * * *',
    parameters: { table: 'events', timestampColumn: 'occurred_at', olderThan: '365d' },
  });

  beforeAll(async () => {
    [emulator, server] = await Promise.all([startTestEmulator(), startEmbeddedPostgres()]);
    emulator.setSecret('db-connection-string', server.url);
    runtime = createRuntime(
      {
        ...appSettings(emulator),
      },
      capture.logger,
    );
    const locks = new SessionLocks({ secrets: runtime.resolver, logger: capture.logger });
    runner = new JobRunner({ database: runtime.database, locks, logger: capture.logger });
  });

  afterAll(async () => {
    await runtime.database.close();
    await Promise.all([emulator.stop(), server.stop()]);
  });

  it('is recorded failed with the reason, and the next run after recovery is stored', async () => {
    await emulator.faults.set({ refuseConnections: true });

    const down = await runner.run(job, { trigger: 'schedule' });

    expect(down.status).toBe('failed');
    expect(down.stored).toBe(false);
    expect(down.error?.code).toMatch(/^KeyVault/);
    expect(down.error?.message).toMatch(/Key Vault/);
    const failure = runFailure(down) as { status?: number; retryAfterSeconds?: number };
    expect(failure.status).toBe(503);
    expect(failure.retryAfterSeconds).toBeGreaterThan(0);

    // The resolver asks Key Vault again once the Retry-After it gave has passed.
    await emulator.faults.set({ refuseConnections: false });
    await new Promise((resolve) => setTimeout(resolve, failure.retryAfterSeconds! * 1000 + 100));
    const up = await runner.run(job, { trigger: 'schedule' });

    expect(up.error).toBeNull();
    expect(up.status).toBe('ok');
    expect(up.stored).toBeUndefined();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const stored = await client.query('select status from vaultgate.job_runs where id = $1', [
      up.id,
    ]);
    await client.end();
    expect(stored.rows).toEqual([{ status: 'ok' }]);
    capture.add([down, up]);
    expect(capture.lines.some((line) => line.includes('could not be written'))).toBe(true);
    expect(capture.leaked([server.url, APP.clientSecret])).toEqual([]);
  });
});

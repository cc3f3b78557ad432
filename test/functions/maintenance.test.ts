import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest, type HttpResponseInit, type Timer } from '@azure/functions';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyVaultEmulator } from '../../local/keyvault/index.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import type { FunctionDefinition } from '../../functions/register.js';
import type { RunRecord } from '../../src/jobs/run-record.js';
import { closeRuntime } from '../../src/runtime.js';
import { Capture } from '../capture.js';
import { APP, appSettings, startTestEmulator } from '../local/keyvault/emulator-fixture.js';

const capture = new Capture();
let emulator: KeyVaultEmulator;
let server: EmbeddedPostgres;
let client: pg.Client;
let restoreConsole: () => void;
let definitions: FunctionDefinition[];
let runJob: typeof import('../../functions/maintenance-run.js').runMaintenanceJob;
let listRuns: typeof import('../../functions/maintenance-runs.js').listMaintenanceRuns;

const CONFIG = {
  entities: {},
  jobs: {
    'purge-clicks': {
      kind: 'purge',
      schedule: '0 */5 * * * *',
      parameters: {
        table: 'events',
        timestampColumn: 'occurred_at',
        olderThan: '30d',
        filter: "kind eq 'click'",
      },
    },
    'stats-by-hand': {
      kind: 'statistics',
      schedule: '0 0 4 * * *',
      enabled: false,
      parameters: { tables: ['events'] },
    },
  },
};

beforeAll(async () => {
  [emulator, server] = await Promise.all([startTestEmulator(), startEmbeddedPostgres()]);
  emulator.setSecret('db-connection-string', server.url);
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`delete from events;
    insert into events (kind, occurred_at)
    select 'click', now() - interval '40 days' from generate_series(1, 1500)
    union all select 'view', now() - interval '40 days' from generate_series(1, 20)
    union all select 'click', now() - interval '1 day' from generate_series(1, 5)`);
  const configPath = join(mkdtempSync(join(tmpdir(), 'vg-jobs-')), 'vaultgate.json');
  writeFileSync(configPath, JSON.stringify(CONFIG));
  Object.assign(process.env, {
    VAULTGATE_CONFIG: configPath,
    ...appSettings(emulator),
  });
  restoreConsole = capture.console();
  // The modules read the configuration as they load, as they do when the host starts.
  ({ definitions } = await import('../../functions/maintenance.js'));
  ({ runMaintenanceJob: runJob } = await import('../../functions/maintenance-run.js'));
  ({ listMaintenanceRuns: listRuns } = await import('../../functions/maintenance-runs.js'));
});

afterAll(async () => {
  restoreConsole();
  await closeRuntime();
  await client.end();
  await Promise.all([emulator.stop(), server.stop()]);
  expect(capture.leaked([APP.clientSecret, server.url])).toEqual([]);
});

const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);

async function post(job: string, query = ''): Promise<HttpResponseInit> {
  const request = new HttpRequest({
    method: 'POST',
    url: `http://localhost:7071/api/maintenance/${job}/run${query}`,
    params: { job },
  });
  const response = await runJob(request, capture.context('maintenance-run'));
  capture.add(response);
  return response;
}

async function get(query: string): Promise<HttpResponseInit> {
  const request = new HttpRequest({
    method: 'GET',
    url: `http://localhost:7071/api/maintenance/runs${query}`,
  });
  const response = await listRuns(request, capture.context('maintenance-runs'));
  capture.add(response);
  return response;
}

describe('maintenance functions', () => {
  it('registers one timer per enabled job, the built-in one included', () => {
    expect(
      definitions.map((d) => [d.name, d.trigger, (d.options as { schedule: string }).schedule]),
    ).toEqual([
      ['maintenance-housekeeping', 'timer', '0 15 3 * * *'],
      ['maintenance-purge-clicks', 'timer', '0 */5 * * * *'],
    ]);
  });

  it('counts in a dry run and deletes nothing', async () => {
    const response = await post('purge-clicks', '?dryRun=true');

    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({
      job: 'purge-clicks',
      trigger: 'manual',
      status: 'ok',
      dryRun: true,
      rowsAffected: 1500,
      batches: 2,
    });
    expect(await count('select count(*) as n from events')).toBe(1525);
  });

  it('runs a job now and answers with its run record', async () => {
    const response = await post('purge-clicks');

    expect(response.status).toBe(200);
    const record = response.jsonBody as RunRecord;
    expect(record).toMatchObject({ status: 'ok', rowsAffected: 1500, batches: 2, error: null });
    expect(await count('select count(*) as n from events')).toBe(25);

    const runs = await get('?job=purge-clicks&$first=5');
    expect(runs.status).toBe(200);
    expect((runs.jsonBody as { value: RunRecord[] }).value).toEqual([
      { ...record, started: expect.any(String), finished: expect.any(String) },
    ]);
  });

  it('runs a job on its timer, recorded as scheduled', async () => {
    const timer = definitions.find((d) => d.name === 'maintenance-purge-clicks')!;
    const handler = timer.options.handler as (t: Timer, c: unknown) => Promise<void>;
    const tick: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: true },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };

    await handler(tick, capture.context('maintenance-purge-clicks'));

    const runs = (await get('?job=purge-clicks&$first=1')).jsonBody as { value: RunRecord[] };
    expect(runs.value[0]).toMatchObject({ trigger: 'schedule', status: 'ok', rowsAffected: 0 });
    expect(
      capture.lines.some((line) => line.includes('"function":"maintenance-purge-clicks"')),
    ).toBe(true);
  });

  it('runs a disabled job by hand', async () => {
    const response = await post('stats-by-hand');

    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({ job: 'stats-by-hand', status: 'ok', batches: 1 });
  });

  it('answers 404 UnknownJob for a job that is not configured, listing the jobs', async () => {
    const response = await post('purge-everything');

    expect(response.status).toBe(404);
    expect(response.jsonBody).toEqual({
      error: {
        code: 'UnknownJob',
        message:
          "There is no job 'purge-everything'; the jobs are: housekeeping, purge-clicks, " +
          'stats-by-hand.',
        target: 'job',
      },
    });
  });

  it('answers 400 for a dryRun that is not true or false, and a $first out of range', async () => {
    const dry = await post('purge-clicks', '?dryRun=yes');
    const first = await get('?$first=0');

    expect([dry.status, (dry.jsonBody as { error: { code: string } }).error.code]).toEqual([
      400,
      'BadDryRun',
    ]);
    expect([first.status, (first.jsonBody as { error: { code: string } }).error.code]).toEqual([
      400,
      'BadFirst',
    ]);
  });

  it('answers 503 with Retry-After and the failed record while Key Vault is down', async () => {
    await closeRuntime();
    await emulator.faults.set({ refuseConnections: true });
    try {
      const response = await post('purge-clicks');

      expect(response.status).toBe(503);
      expect((response.headers as Record<string, string>)['Retry-After']).toMatch(/^[0-9]+$/);
      expect(response.jsonBody).toMatchObject({
        status: 'failed',
        stored: false,
        error: { code: expect.stringMatching(/^KeyVault/) },
      });
    } finally {
      await emulator.faults.clear();
      await closeRuntime();
    }
  });
});

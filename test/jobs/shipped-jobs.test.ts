import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import { loadConfigSync } from '../../src/api/config.js';
import { Database } from '../../src/db/database.js';
import { SessionLocks } from '../../src/jobs/job-lock.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { resolveJobs, type Job } from '../../src/jobs/job.js';
import { fixedSecret } from './job-fixture.js';

describe('the example jobs of the shipped vaultgate.json', () => {
  let server: EmbeddedPostgres;
  let database: Database;
  let runner: JobRunner;
  let client: pg.Client;
  let jobs: Job[];

  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  const job = (name: string) => jobs.find((candidate) => candidate.name === name)!;

  beforeAll(async () => {
    jobs = resolveJobs(loadConfigSync(resolve('vaultgate.json')).jobs, 600);
    server = await startEmbeddedPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const secrets = fixedSecret(server.url);
    database = new Database({ secrets });
    runner = new JobRunner({ database, locks: new SessionLocks({ secrets }) });
  });

  afterAll(async () => {
    await client.end();
    await database.close();
    await server.stop();
  });

  it('are there: archive old events, purge old archived events, refresh statistics', () => {
    expect(jobs.map((j) => [j.name, j.kind])).toEqual([
      ['archive-old-events', 'archive'],
      ['housekeeping', 'housekeeping'],
      ['purge-old-events', 'purge'],
      ['refresh-statistics', 'statistics'],
    ]);
  });

  it('archives the demo events older than 90 days, each once', async () => {
    const due = await count(
      `select count(*) as n from events where occurred_at < now() - interval '90 days'`,
    );
    const all = await count('select count(*) as n from events');

    const record = await runner.run(job('archive-old-events'), { trigger: 'manual' });

    expect(due).toBeGreaterThan(0);
    expect(record).toMatchObject({ status: 'ok', rowsAffected: due });
    expect(await count('select count(*) as n from events_archive')).toBe(due);
    expect(await count('select count(*) as n from events')).toBe(all - due);
    expect(
      await count('select count(*) as n from events e join events_archive a on a.id = e.id'),
    ).toBe(0);
  });

  it('purges the archived events older than a year', async () => {
    const old = await count(
      `select count(*) as n from events_archive where occurred_at < now() - interval '365 days'`,
    );
    const archived = await count('select count(*) as n from events_archive');

    const record = await runner.run(job('purge-old-events'), { trigger: 'manual' });

    expect(old).toBeGreaterThan(0);
    expect(record).toMatchObject({ status: 'ok', rowsAffected: old });
    expect(await count('select count(*) as n from events_archive')).toBe(archived - old);
  });

  it('refreshes the statistics, and the built-in job runs', async () => {
    const stats = await runner.run(job('refresh-statistics'), { trigger: 'manual' });
    const housekeeping = await runner.run(job('housekeeping'), { trigger: 'manual' });

    expect(stats).toMatchObject({ status: 'ok', batches: 2 });
    expect(housekeeping).toMatchObject({ status: 'ok', batches: 2 });
  });
});

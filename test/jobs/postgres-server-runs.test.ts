import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { advisoryKey, SessionLocks } from '../../src/jobs/job-lock.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { fixedSecret, jobOf } from './job-fixture.js';

/** A real PostgreSQL server, where each connection is a session of its own (see .ci/run). */
const url = process.env.PG_TEST_URL;

/** One app instance: its own pools, its own lock connections, its own runner. */
function instance(connectionString: string) {
  const secrets = fixedSecret(connectionString);
  const database = new Database({ secrets });
  return { database, runner: new JobRunner({ database, locks: new SessionLocks({ secrets }) }) };
}

describe.skipIf(!url)('maintenance runs on the PostgreSQL server', () => {
  const schema = `vg_jobs_${randomBytes(4).toString('hex')}`;
  let client: pg.Client;
  let one: ReturnType<typeof instance>;
  let two: ReturnType<typeof instance>;

  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
    // The name is made here, never from input; DDL takes no parameters.
    await client.query(`create schema ${schema};
      create table ${schema}.events (
        id bigint generated always as identity primary key,
        kind text not null,
        occurred_at timestamp not null);
      create table ${schema}.events_archive (
        id bigint primary key, kind text not null, occurred_at timestamp not null,
        archived_at timestamptz not null default now());
      create function ${schema}.slow_job(seconds float8) returns void
        language sql as $$ select pg_sleep(seconds) $$;`);
    one = instance(url!);
    two = instance(url!);
  });

  afterAll(async () => {
    await Promise.all([one?.database.close(), two?.database.close()]);
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.query(`delete from vaultgate.job_runs where job like 'server-%'`).catch(() => 0);
    await client.end();
  });

  it('skips the run of a second instance while the first holds the lock', async () => {
    const job = jobOf('server-slow', {
      kind: 'procedure',
      schedule: '0 0 5 * * *',
      parameters: { procedure: `${schema}.slow_job`, arguments: { seconds: 1.5 } },
    });

    const first = one.runner.run(job, { trigger: 'schedule' });
    await waitForLockOf('server-slow');
    const second = await two.runner.run(job, { trigger: 'manual' });

    expect(second).toMatchObject({ status: 'skipped', error: { code: 'AlreadyRunning' } });
    expect((await first).status).toBe('ok');
    // Released at the end of the run: the other instance may now run it.
    const afterwards = jobOf('server-slow', {
      kind: 'procedure',
      schedule: '0 0 5 * * *',
      parameters: { procedure: `${schema}.slow_job`, arguments: { seconds: 0 } },
    });
    expect((await two.runner.run(afterwards, { trigger: 'manual' })).status).toBe('ok');
  });

  it('archives from a timestamp column without time zone, each row once', async () => {
    await client.query(`insert into ${schema}.events (kind, occurred_at)
      select 'old', now() at time zone 'UTC' - interval '40 days' from generate_series(1, 1234)
      union all
      select 'new', now() at time zone 'UTC' - interval '1 day' from generate_series(1, 6)`);
    const job = jobOf('server-archive', {
      kind: 'archive',
      schedule: '0 0 5 * * *',
      parameters: {
        table: `${schema}.events`,
        archiveTable: `${schema}.events_archive`,
        timestampColumn: 'occurred_at',
        olderThan: '30d',
        batchSize: 500,
      },
    });

    const record = await one.runner.run(job, { trigger: 'manual' });

    expect(record).toMatchObject({ status: 'ok', rowsAffected: 1234, batches: 3 });
    expect(await count(`select count(*) as n from ${schema}.events`)).toBe(6);
    expect(await count(`select count(distinct id) as n from ${schema}.events_archive`)).toBe(1234);
    expect(
      await count(`select count(*) as n from ${schema}.events_archive where kind <> 'old'`),
    ).toBe(0);
  });

  // A run holds its lock once pg_locks shows the job's advisory key (a bigint key is kept as
  // its high and low 32 bits).
  async function waitForLockOf(job: string): Promise<void> {
    const key = BigInt.asUintN(64, BigInt(advisoryKey(job)));
    const halves = [String(key >> 32n), String(key & 0xffffffffn)];
    for (let i = 0; i < 100; i++) {
      const held = await client.query(
        `select 1 from pg_locks where locktype = 'advisory' and granted
         and classid = $1::oid and objid = $2::oid and objsubid = 1`,
        halves,
      );
      if (held.rowCount === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the first run never took its lock');
  }
});

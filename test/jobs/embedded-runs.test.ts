import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import { Database } from '../../src/db/database.js';
import { SessionLocks } from '../../src/jobs/job-lock.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { listRuns } from '../../src/jobs/run-history.js';
import { resolveJobs } from '../../src/jobs/job.js';
import { fixedSecret, jobOf, steppingClock } from './job-fixture.js';

describe('maintenance runs on the embedded database', () => {
  let server: EmbeddedPostgres;
  let database: Database;
  let runner: JobRunner;
  let client: pg.Client;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await client.query<{ n: string }>(sql, params)).rows[0]!.n);

  const runnerWith = (clock?: () => number) => {
    const secrets = fixedSecret(server.url);
    return new JobRunner({
      database,
      locks: new SessionLocks({ secrets }),
      ...(clock ? { clock } : {}),
    });
  };

  beforeAll(async () => {
    server = await startEmbeddedPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
    database = new Database({ secrets: fixedSecret(server.url) });
    runner = runnerWith();
  });

  afterAll(async () => {
    await client.end();
    await database.close();
    await server.stop();
  });

  beforeEach(async () => {
    await client.query('delete from order_lines; delete from orders_archive; delete from events');
  });

  async function seedEvents(old: number, recent: number, kind = 'click') {
    await client.query(
      `insert into events (kind, occurred_at)
       select $1, now() - interval '400 days' from generate_series(1, $2::int)
       union all
       select $1, now() - interval '1 day' from generate_series(1, $3::int)`,
      [kind, old, recent],
    );
  }

  it('purges the rows older than the cutoff, in batches, and keeps the newer ones', async () => {
    await seedEvents(2500, 40);
    const job = jobOf('purge-events', {
      kind: 'purge',
      schedule: '0 0 3 * * *',
      parameters: { table: 'events', timestampColumn: 'occurred_at', olderThan: '365d' },
    });

    const record = await runner.run(job, { trigger: 'manual' });

    expect(record).toMatchObject({ status: 'ok', rowsAffected: 2500, batches: 3, error: null });
    expect(record.stored).toBeUndefined();
    expect(await count('select count(*) as n from events')).toBe(40);
  });

  async function seedOrders(oldDelivered: number, recentDelivered: number, oldShipped: number) {
    await client.query(
      `insert into orders (customer_id, status, total, ordered_at, delivered_at)
       select (select min(id) from customers), s.status, 10, now() - interval '200 days', s.at
       from (
         select 'delivered' as status, now() - interval '120 days' as at
           from generate_series(1, $1::int)
         union all select 'delivered', now() - interval '5 days' from generate_series(1, $2::int)
         union all select 'shipped', null from generate_series(1, $3::int)
       ) s`,
      [oldDelivered, recentDelivered, oldShipped],
    );
  }

  const archiveJob = jobOf('archive-orders', {
    kind: 'archive',
    schedule: '0 30 2 * * *',
    parameters: {
      table: 'orders',
      archiveTable: 'orders_archive',
      timestampColumn: 'delivered_at',
      olderThan: '90d',
      filter: "status eq 'delivered'",
      batchSize: 100,
    },
  });

  it('archives exactly the rows it deletes, each once, and leaves the rest', async () => {
    await client.query('delete from orders');
    await seedOrders(250, 7, 9);
    const wanted = await client.query<{ id: number }>(
      `select id from orders where status = 'delivered'
       and delivered_at < now() - interval '90 days' order by id`,
    );

    const record = await runner.run(archiveJob, { trigger: 'schedule' });

    expect(record).toMatchObject({ status: 'ok', rowsAffected: 250, batches: 3 });
    const archived = await client.query<{ id: number }>(
      'select id from orders_archive order by id',
    );
    expect(archived.rows).toEqual(wanted.rows);
    expect(await count('select count(distinct id) as n from orders_archive')).toBe(250);
    expect(await count('select count(*) as n from orders')).toBe(16);
    expect(
      await count('select count(*) as n from orders o join orders_archive a on a.id = o.id'),
    ).toBe(0);
  });

  it('moves nothing when the archive refuses a batch: delete and insert are one', async () => {
    await client.query('delete from orders');
    await seedOrders(30, 0, 0);
    // A row with the same key already in the archive makes the batch's insert fail.
    await client.query(
      `insert into orders_archive (id, customer_id, status, total, ordered_at)
       select id, customer_id, status, total, ordered_at from orders order by id limit 1`,
    );

    const record = await runner.run(archiveJob, { trigger: 'manual' });

    expect(record.status).toBe('failed');
    expect(record.error).toEqual({
      code: 'StatementFailed',
      message: 'The database refused the statement of archive orders (SQLSTATE 23505).',
    });
    expect(await count('select count(*) as n from orders')).toBe(30);
    expect(await count('select count(*) as n from orders_archive')).toBe(1);
  });

  it('refreshes the statistics of each listed table', async () => {
    await client.query('create table if not exists stats_probe (id int primary key)');
    await client.query(
      'insert into stats_probe select generate_series(1, 500) on conflict do nothing',
    );
    const job = jobOf('stats', {
      kind: 'statistics',
      schedule: '0 0 4 * * *',
      parameters: { tables: ['stats_probe', 'public.orders'] },
    });

    const record = await runner.run(job, { trigger: 'manual' });

    expect(record).toMatchObject({ status: 'ok', batches: 2, error: null });
    expect(
      await count(`select reltuples::int as n from pg_class where relname = 'stats_probe'`),
    ).toBe(500);
  });

  it('calls a function and a procedure with named arguments from the configuration', async () => {
    await client.query(`create or replace function purge_kind(kind_name text, keep int)
      returns int language sql as $$
        with gone as (delete from events where kind = kind_name and id > keep returning 1)
        select count(*)::int from gone $$`);
    await client.query(`create or replace procedure mark_kind(kind_name text)
      language sql as $$ update events set kind = kind_name || '-seen' where kind = kind_name $$`);
    await seedEvents(0, 5, 'noise');
    await seedEvents(0, 3, 'keep');
    const call = (name: string, procedure: string, args: Record<string, unknown>) =>
      jobOf(name, {
        kind: 'procedure',
        schedule: '0 0 5 * * *',
        parameters: { procedure, arguments: args, commandTimeoutSeconds: 30 },
      });

    const fn = await runner.run(call('fn', 'public.purge_kind', { kind_name: 'noise', keep: 0 }), {
      trigger: 'manual',
    });
    const proc = await runner.run(call('proc', 'mark_kind', { kind_name: 'keep' }), {
      trigger: 'manual',
    });

    expect(fn).toMatchObject({ status: 'ok', batches: 1 });
    expect(proc).toMatchObject({ status: 'ok', batches: 1 });
    expect(await count(`select count(*) as n from events where kind = 'noise'`)).toBe(0);
    expect(await count(`select count(*) as n from events where kind = 'keep-seen'`)).toBe(3);
  });

  it('fails a procedure job that names no routine, naming the job and the field', async () => {
    const job = jobOf('missing', {
      kind: 'procedure',
      schedule: '0 0 5 * * *',
      parameters: { procedure: 'public.no_such_routine' },
    });

    const record = await runner.run(job, { trigger: 'manual' });

    expect(record.status).toBe('failed');
    expect(record.error).toEqual({
      code: 'ConfigurationError',
      message:
        'Job missing: parameters.procedure: no procedure or function public.no_such_routine ' +
        'was found.',
    });
  });

  it('stops at the time budget as partial, and the next run finishes the work', async () => {
    await seedEvents(2500, 10);
    const job = jobOf('budget', {
      kind: 'purge',
      schedule: '0 0 3 * * *',
      timeBudgetSeconds: 25,
      parameters: { table: 'events', timestampColumn: 'occurred_at', olderThan: '365d' },
    });
    // Each read of the clock moves it 10 s on: the budget of 25 s allows one batch.
    const slow = runnerWith(steppingClock(Date.now(), 10_000));

    const first = await slow.run(job, { trigger: 'schedule' });
    const second = await runner.run(job, { trigger: 'schedule' });

    expect(first).toMatchObject({ status: 'partial', rowsAffected: 1000, batches: 1 });
    expect(second).toMatchObject({ status: 'ok', rowsAffected: 1500, batches: 2 });
    expect(await count('select count(*) as n from events')).toBe(10);
  });

  it('skips a run while another run of the same job is under way', async () => {
    await client.query(`create or replace function slow_job(seconds float8)
      returns void language sql as $$ select pg_sleep(seconds) $$`);
    const job = jobOf('slow', {
      kind: 'procedure',
      schedule: '0 0 5 * * *',
      parameters: { procedure: 'slow_job', arguments: { seconds: 0.5 } },
    });

    const [one, two] = await Promise.all([
      runner.run(job, { trigger: 'schedule' }),
      runner.run(job, { trigger: 'manual' }),
    ]);

    expect([one.status, two.status].sort()).toEqual(['ok', 'skipped']);
    const skipped = one.status === 'skipped' ? one : two;
    expect(skipped.error?.code).toBe('AlreadyRunning');
    expect((await runner.run(job, { trigger: 'manual' })).status).toBe('ok');
  });

  it('counts in a dry run and changes nothing, not even the history', async () => {
    await seedEvents(1200, 4);
    const job = jobOf('dry', {
      kind: 'purge',
      schedule: '0 0 3 * * *',
      parameters: {
        table: 'events',
        timestampColumn: 'occurred_at',
        olderThan: '365d',
        batchSize: 500,
      },
    });
    const runsBefore = await count('select count(*) as n from vaultgate.job_runs');

    const record = await runner.run(job, { trigger: 'manual', dryRun: true });

    expect(record).toMatchObject({ status: 'ok', dryRun: true, rowsAffected: 1200, batches: 3 });
    expect(await count('select count(*) as n from events')).toBe(1204);
    expect(await count('select count(*) as n from vaultgate.job_runs')).toBe(runsBefore);
  });

  it('fails a purge whose filter names an unknown column, quoting the field', async () => {
    const job = jobOf('bad-filter', {
      kind: 'purge',
      schedule: '0 0 3 * * *',
      parameters: {
        table: 'events',
        timestampColumn: 'occurred_at',
        olderThan: '30d',
        filter: "knd eq 'x'",
      },
    });

    const record = await runner.run(job, { trigger: 'manual' });

    expect(record.status).toBe('failed');
    expect(record.error?.code).toBe('ConfigurationError');
    expect(record.error?.message).toMatch(
      /^Job bad-filter: parameters\.filter: .*did you mean 'kind'/,
    );
  });

  it('keeps every run in the history, newest first', async () => {
    const job = jobOf('history', {
      kind: 'statistics',
      schedule: '0 0 4 * * *',
      parameters: { tables: ['events'] },
    });
    const first = await runner.run(job, { trigger: 'schedule' });
    const second = await runner.run(job, { trigger: 'manual' });

    const runs = await database.run((engine) =>
      listRuns(engine, engine.dialect, { job: 'history', first: 10 }),
    );

    expect(runs.map((run) => run.id)).toEqual([second.id, first.id]);
    expect(runs[1]).toEqual({ ...first, started: runs[1]!.started, finished: runs[1]!.finished });
    expect(Date.parse(runs[1]!.started)).toBe(Date.parse(first.started));
  });

  it('purges expired idempotency keys and old run history in the built-in job', async () => {
    const [housekeeping] = jobOfHousekeeping();
    await client.query(`insert into vaultgate.idempotency
      (key, entity, request_hash, status, expires_at)
      values ('gone', 'orders', repeat('a', 64), 201, now() - interval '1 hour'),
             ('kept', 'orders', repeat('b', 64), 201, now() + interval '1 hour')
      on conflict do nothing`);
    await client.query(`insert into vaultgate.job_runs
      (id, job, trigger, started, finished, status, rows_affected, batches)
      values (gen_random_uuid(), 'ancient', 'schedule', now() - interval '100 days',
              now() - interval '100 days', 'ok', 0, 1)`);

    const record = await runner.run(housekeeping!, { trigger: 'manual' });

    expect(record).toMatchObject({ status: 'ok', rowsAffected: 2, batches: 2 });
    expect(await count(`select count(*) as n from vaultgate.idempotency`)).toBe(1);
    expect(await count(`select count(*) as n from vaultgate.job_runs where job = 'ancient'`)).toBe(
      0,
    );
  });
});

function jobOfHousekeeping() {
  return resolveJobs({}, 600).filter((job) => job.kind === 'housekeeping');
}

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/db/database.js';
import { SessionLocks } from '../../src/jobs/job-lock.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { fixedSecret, jobOf } from './job-fixture.js';

/** A real SQL Server or Azure SQL database, where the T-SQL of every kind runs for real. */
const connectionString = process.env.MSSQL_TEST_CONNECTION_STRING;

function instance(cs: string) {
  const secrets = fixedSecret(cs);
  const database = new Database({ secrets });
  return { database, runner: new JobRunner({ database, locks: new SessionLocks({ secrets }) }) };
}

describe.skipIf(!connectionString)('maintenance runs on SQL Server', () => {
  const suffix = randomBytes(4).toString('hex');
  const events = `vg_events_${suffix}`;
  const archive = `vg_events_archive_${suffix}`;
  const slow = `vg_slow_${suffix}`;
  let one: ReturnType<typeof instance>;
  let two: ReturnType<typeof instance>;

  const sql = (text: string) => one.database.run((engine) => engine.query(text));
  const count = async (table: string) => {
    const result = await one.database.run((engine) =>
      engine.query<{ n: number }>(`SELECT COUNT(*) AS n FROM [dbo].[${table}]`),
    );
    return result.rows[0]!.n;
  };

  beforeAll(async () => {
    one = instance(connectionString!);
    two = instance(connectionString!);
    // Names are made here, never from input; DDL takes no parameters.
    await sql(`CREATE TABLE [dbo].[${events}] (
      id bigint IDENTITY PRIMARY KEY, kind nvarchar(20) NOT NULL,
      occurred_at datetime2(3) NOT NULL)`);
    await sql(`CREATE TABLE [dbo].[${archive}] (
      id bigint PRIMARY KEY, kind nvarchar(20) NOT NULL, occurred_at datetime2(3) NOT NULL,
      archived_at datetimeoffset NOT NULL DEFAULT SYSDATETIMEOFFSET())`);
    await sql(`CREATE PROCEDURE [dbo].[${slow}] @delay char(12) AS WAITFOR DELAY @delay`);
    await sql(`INSERT INTO [dbo].[${events}] (kind, occurred_at)
      SELECT TOP (2300) CASE WHEN a.object_id % 2 = 0 THEN N'click' ELSE N'view' END,
        DATEADD(day, -40, SYSUTCDATETIME())
      FROM sys.all_objects a CROSS JOIN sys.all_objects b`);
    await sql(`INSERT INTO [dbo].[${events}] (kind, occurred_at)
      VALUES (N'click', SYSUTCDATETIME()), (N'view', SYSUTCDATETIME())`);
  });

  afterAll(async () => {
    await sql(`DROP TABLE IF EXISTS [dbo].[${events}], [dbo].[${archive}];
      DROP PROCEDURE IF EXISTS [dbo].[${slow}];
      DELETE FROM [vaultgate].[job_runs] WHERE [job] LIKE N'mssql-%';`).catch(() => undefined);
    await Promise.all([one?.database.close(), two?.database.close()]);
  });

  it('purges with a filter, then archives the rest, each row once', async () => {
    const age = { timestampColumn: 'occurred_at', olderThan: '30d', batchSize: 1000 };
    const purge = jobOf('mssql-purge', {
      kind: 'purge',
      schedule: '0 0 3 * * *',
      parameters: { table: events, filter: "kind eq 'click'", ...age },
    });
    const move = jobOf('mssql-archive', {
      kind: 'archive',
      schedule: '0 0 3 * * *',
      parameters: { table: `dbo.${events}`, archiveTable: archive, ...age },
    });

    const purged = await one.runner.run(purge, { trigger: 'manual' });
    const moved = await one.runner.run(move, { trigger: 'manual' });

    expect(purged.status).toBe('ok');
    expect(moved.status).toBe('ok');
    expect(purged.rowsAffected + moved.rowsAffected).toBe(2300);
    expect(await count(events)).toBe(2);
    expect(await count(archive)).toBe(moved.rowsAffected);
  });

  it('refreshes statistics', async () => {
    const job = jobOf('mssql-stats', {
      kind: 'statistics',
      schedule: '0 0 3 * * *',
      parameters: { tables: [events, archive] },
    });

    expect(await one.runner.run(job, { trigger: 'manual' })).toMatchObject({
      status: 'ok',
      batches: 2,
    });
  });

  it('skips the run of a second instance while the first holds the app lock', async () => {
    const job = (delay: string) =>
      jobOf('mssql-slow', {
        kind: 'procedure',
        schedule: '0 0 3 * * *',
        parameters: { procedure: `dbo.${slow}`, arguments: { delay } },
      });

    const first = one.runner.run(job('00:00:02.000'), { trigger: 'schedule' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await two.runner.run(job('00:00:00.000'), { trigger: 'manual' });

    expect(second).toMatchObject({ status: 'skipped', error: { code: 'AlreadyRunning' } });
    expect((await first).status).toBe('ok');
    expect((await two.runner.run(job('00:00:00.000'), { trigger: 'manual' })).status).toBe('ok');
  });
});

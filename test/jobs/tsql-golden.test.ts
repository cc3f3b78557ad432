import { describe, expect, it } from 'vitest';
import { PROJECT_SCHEMA_SQL } from '../../src/db/project-schema.js';
import { parseFilter } from '../../src/api/query/filter-parser.js';
import type { ColumnShape, TableShape } from '../../src/sql/table.js';
import { archiveBatchSql } from '../../src/jobs/archive-sql.js';
import { housekeepingSteps } from '../../src/jobs/housekeeping.js';
import { LOCK_SQL } from '../../src/jobs/job-lock.js';
import { procedureSql } from '../../src/jobs/procedure-sql.js';
import { countSql, purgeBatchSql } from '../../src/jobs/purge-sql.js';
import { insertRunSql, listRunsSql } from '../../src/jobs/run-history.js';
import { statisticsSql } from '../../src/jobs/statistics-sql.js';

const column = (name: string, type: ColumnShape['type'], dbType: string): ColumnShape => ({
  name,
  type,
  dbType,
  nullable: false,
  hasDefault: false,
  identity: false,
});

const events: TableShape = {
  schema: 'dbo',
  name: 'events',
  key: ['id'],
  columns: [
    { ...column('id', 'bigint', 'bigint'), identity: true },
    column('kind', 'string', 'nvarchar(50)'),
    column('occurred_at', 'datetimeoffset', 'datetimeoffset(7)'),
  ],
};

const orderColumns = [
  column('id', 'integer', 'int'),
  column('status', 'string', 'nvarchar(20)'),
  { ...column('delivered_at', 'datetime', 'datetime2(3)'), nullable: true },
];
const orders: TableShape = { schema: 'sales', name: 'orders', key: ['id'], columns: orderColumns };
const archive: TableShape = { ...orders, name: 'orders]archive' };

const cutoff = new Date('2026-01-01T00:00:00Z');

describe('the T-SQL of each job kind', () => {
  it('purges with DELETE TOP and the cutoff as a parameter', () => {
    const condition = {
      table: events,
      timestampColumn: 'occurred_at',
      cutoff,
      filter: parseFilter("kind in ('click', 'view')", events),
    };

    expect(purgeBatchSql(condition, 1000, 'tsql')).toEqual({
      text:
        'DELETE TOP (1000) FROM [dbo].[events]\n' +
        'WHERE [occurred_at] < @p1 AND ([kind] IN (@p2, @p3));',
      params: [cutoff, 'click', 'view'],
    });
    expect(countSql(condition, 'tsql')).toEqual({
      text:
        'SELECT COUNT_BIG(*) AS [count]\nFROM [dbo].[events]\n' +
        'WHERE [occurred_at] < @p1 AND ([kind] IN (@p2, @p3));',
      params: [cutoff, 'click', 'view'],
    });
  });

  it('archives with DELETE TOP ... OUTPUT deleted INTO, in one statement', () => {
    const condition = {
      table: orders,
      timestampColumn: 'delivered_at',
      cutoff,
      filter: parseFilter("status eq 'delivered'", orders),
    };

    expect(
      archiveBatchSql(condition, archive, ['id', 'status', 'delivered_at'], 500, 'tsql'),
    ).toEqual({
      text:
        'DELETE TOP (500) FROM [sales].[orders]\n' +
        'OUTPUT deleted.[id], deleted.[status], deleted.[delivered_at]\n' +
        'INTO [sales].[orders]]archive] ([id], [status], [delivered_at])\n' +
        'WHERE [delivered_at] < CAST(@p1 AS datetime2(3)) AND ([status] = @p2);',
      params: [cutoff, 'delivered'],
    });
  });

  it('refreshes statistics with UPDATE STATISTICS', () => {
    expect(statisticsSql(orders, 'tsql')).toEqual({
      text: 'UPDATE STATISTICS [sales].[orders];',
      params: [],
    });
  });

  it('calls a procedure with named parameters, each value bound', () => {
    const routine = { schema: 'dbo', name: 'purge_sessions', kind: 'procedure' as const };

    expect(procedureSql(routine, { days: 30, dryRun: false, note: null }, 'tsql')).toEqual({
      text: 'EXEC [dbo].[purge_sessions] @days = @p1, @dryRun = @p2, @note = @p3;',
      params: [30, false, null],
    });
    expect(procedureSql(routine, {}, 'tsql').text).toBe('EXEC [dbo].[purge_sessions];');
  });

  it('purges expired idempotency keys and old run history in the built-in job', () => {
    const steps = housekeepingSteps(
      { runHistoryOlderThan: '30d', batchSize: 2000 },
      'tsql',
      cutoff,
    );

    expect(steps.map((step) => step.statement)).toEqual([
      {
        text: 'DELETE TOP (2000) FROM [vaultgate].[idempotency]\nWHERE [expires_at] < @p1;',
        params: [cutoff],
      },
      {
        text: 'DELETE TOP (2000) FROM [vaultgate].[job_runs]\nWHERE [started] < @p1;',
        params: [new Date('2025-12-02T00:00:00Z')],
      },
    ]);
  });

  it('takes the job lock with sp_getapplock, owned by the session, without waiting', () => {
    expect(LOCK_SQL.tsql.acquire).toBe(
      'DECLARE @result int;\n' +
        "EXEC @result = sp_getapplock @Resource = @p1, @LockMode = N'Exclusive', " +
        "@LockOwner = N'Session', @LockTimeout = 0;\n" +
        'SELECT @result AS [result];',
    );
    expect(LOCK_SQL.tsql.release).toBe(
      "EXEC sp_releaseapplock @Resource = @p1, @LockOwner = N'Session';",
    );
  });

  it('writes and reads the run history', () => {
    expect(insertRunSql('tsql')).toBe(
      'INSERT INTO [vaultgate].[job_runs] ([id], [job], [trigger], [started], [finished], ' +
        '[status], [rows_affected], [batches], [error_code], [error_message])\n' +
        'VALUES (@p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10);',
    );
    expect(listRunsSql('tsql', true, 50)).toBe(
      'SELECT TOP (50) [id], [job], [trigger], [started], [finished], [status], ' +
        '[rows_affected], [batches], [error_code], [error_message]\n' +
        'FROM [vaultgate].[job_runs]\nWHERE [job] = @p1\nORDER BY [started] DESC, [id];',
    );
  });

  it('creates the project schema under an app lock, only what is missing', () => {
    const [script] = PROJECT_SCHEMA_SQL.tsql;
    expect(PROJECT_SCHEMA_SQL.tsql).toHaveLength(1);
    expect(script).toContain("@LockOwner = N'Transaction', @LockTimeout = 30000;");
    expect(script).toContain(
      "IF SCHEMA_ID(N'vaultgate') IS NULL EXEC (N'CREATE SCHEMA [vaultgate];');",
    );
    expect(script).toContain("IF OBJECT_ID(N'[vaultgate].[job_runs]', N'U') IS NULL");
    expect(script).toContain("IF OBJECT_ID(N'[vaultgate].[idempotency]', N'U') IS NULL");
    expect(script).toContain('[key] nvarchar(200) NOT NULL PRIMARY KEY,');
    expect(script).toContain('[request_hash] char(64) NOT NULL,');
  });
});

describe('the PostgreSQL of the batched kinds', () => {
  const pgEvents: TableShape = { ...events, schema: 'public' };

  it('bounds a purge by a key sub-select', () => {
    const condition = { table: pgEvents, timestampColumn: 'occurred_at', cutoff };

    expect(purgeBatchSql(condition, 1000, 'postgres')).toEqual({
      text:
        'DELETE FROM "public"."events"\n' +
        'WHERE "id" IN (\n' +
        '  SELECT "id" FROM "public"."events"\n' +
        '  WHERE "occurred_at" < $1::timestamptz\n' +
        '  LIMIT 1000)',
      params: [cutoff],
    });
  });

  it('moves archived rows with one statement: a deleting CTE feeding the insert', () => {
    const lines: TableShape = {
      schema: 'public',
      name: 'lines',
      key: ['order_id', 'line_no'],
      columns: [
        column('order_id', 'integer', 'integer'),
        column('line_no', 'integer', 'integer'),
        column('shipped_at', 'datetime', 'timestamp without time zone'),
      ],
    };
    const condition = { table: lines, timestampColumn: 'shipped_at', cutoff };

    expect(
      archiveBatchSql(
        condition,
        { ...lines, name: 'lines_archive' },
        ['order_id', 'line_no'],
        10,
        'postgres',
      ).text,
    ).toBe(
      'WITH moved AS (\n' +
        'DELETE FROM "public"."lines"\n' +
        'WHERE ("order_id", "line_no") IN (\n' +
        '  SELECT "order_id", "line_no" FROM "public"."lines"\n' +
        `  WHERE "shipped_at" < ($1::timestamptz AT TIME ZONE 'UTC')\n` +
        '  LIMIT 10)\n' +
        'RETURNING "order_id", "line_no")\n' +
        'INSERT INTO "public"."lines_archive" ("order_id", "line_no")\n' +
        'SELECT "order_id", "line_no" FROM moved;',
    );
  });
});

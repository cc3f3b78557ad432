import type { Dialect, Engine } from './engine.js';

/**
 * Vaultgate's own tables, in schema `vaultgate`: `job_runs`, the history of maintenance runs,
 * and `idempotency`, the keys of idempotent requests with the response they got.
 *
 * Both take a lock first (a transaction-owned app lock; an advisory transaction lock)
 * so two instances starting at once do not race to create the same table, then create only
 * what is missing: safe to run any number of times.
 */
export const PROJECT_SCHEMA_SQL: Readonly<Record<Dialect, readonly string[]>> = {
  tsql: [
    `DECLARE @lock int;
EXEC @lock = sp_getapplock @Resource = N'vaultgate.project-schema', @LockMode = N'Exclusive',
  @LockOwner = N'Transaction', @LockTimeout = 30000;
IF @lock < 0 THROW 50000, N'Another instance is creating the vaultgate schema.', 1;
IF SCHEMA_ID(N'vaultgate') IS NULL EXEC (N'CREATE SCHEMA [vaultgate];');
IF OBJECT_ID(N'[vaultgate].[job_runs]', N'U') IS NULL
BEGIN
  CREATE TABLE [vaultgate].[job_runs] (
    [id] uniqueidentifier NOT NULL PRIMARY KEY NONCLUSTERED,
    [job] nvarchar(128) NOT NULL,
    [trigger] nvarchar(16) NOT NULL,
    [started] datetimeoffset(3) NOT NULL,
    [finished] datetimeoffset(3) NOT NULL,
    [status] nvarchar(16) NOT NULL
      CHECK ([status] IN (N'ok', N'partial', N'failed', N'skipped')),
    [rows_affected] bigint NOT NULL,
    [batches] int NOT NULL,
    [error_code] nvarchar(128) NULL,
    [error_message] nvarchar(1000) NULL
  );
  CREATE CLUSTERED INDEX [job_runs_started] ON [vaultgate].[job_runs] ([started]);
  CREATE INDEX [job_runs_job_started] ON [vaultgate].[job_runs] ([job], [started] DESC);
END;
IF OBJECT_ID(N'[vaultgate].[idempotency]', N'U') IS NULL
BEGIN
  CREATE TABLE [vaultgate].[idempotency] (
    [key] nvarchar(200) NOT NULL PRIMARY KEY,
    [entity] nvarchar(128) NOT NULL,
    [request_hash] char(64) NOT NULL,
    [status] int NOT NULL,
    [response] nvarchar(max) NULL,
    [created_at] datetimeoffset(3) NOT NULL DEFAULT SYSDATETIMEOFFSET(),
    [expires_at] datetimeoffset(3) NOT NULL
  );
  CREATE INDEX [idempotency_expires_at] ON [vaultgate].[idempotency] ([expires_at]);
END;`,
  ],
  // One statement each: pg returns one result per query, and the engine expects one.
  postgres: [
    `select pg_advisory_xact_lock(7235610358123)`,
    `create schema if not exists vaultgate`,
    `create table if not exists vaultgate.job_runs (
  id uuid primary key,
  job text not null,
  trigger text not null,
  started timestamptz not null,
  finished timestamptz not null,
  status text not null check (status in ('ok', 'partial', 'failed', 'skipped')),
  rows_affected int8 not null,
  batches int4 not null,
  error_code text null,
  error_message text null
)`,
    `create index if not exists job_runs_job_started on vaultgate.job_runs (job, started desc)`,
    `create index if not exists job_runs_started on vaultgate.job_runs (started)`,
    `create table if not exists vaultgate.idempotency (
  key text primary key,
  entity text not null,
  request_hash char(64) not null,
  status int4 not null,
  response text null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
)`,
    `create index if not exists idempotency_expires_at on vaultgate.idempotency (expires_at)`,
  ],
};

// Per engine object, which is per pool and so per secret version: a new database behind a
// rotated secret gets its check too.
const ensured = new WeakMap<Engine, Promise<void>>();

/**
 * Creates the `vaultgate` schema and its tables if they are missing, once per engine. A
 * failure is not remembered, so the next call tries again.
 */
export function ensureProjectSchema(engine: Engine): Promise<void> {
  const known = ensured.get(engine);
  if (known !== undefined) return known;
  const creating = engine
    .transaction(async (tx) => {
      for (const statement of PROJECT_SCHEMA_SQL[engine.dialect]) await tx.query(statement);
    })
    .catch((error: unknown) => {
      ensured.delete(engine);
      throw error;
    });
  ensured.set(engine, creating);
  return creating;
}

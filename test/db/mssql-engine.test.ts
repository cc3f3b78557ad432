import { DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { parseConnectionString } from '../../src/db/connection-string.js';
import { Database } from '../../src/db/database.js';
import { MssqlEngine } from '../../src/db/mssql-engine.js';

/** A real SQL Server or Azure SQL database; these tests are skipped without one. */
const cs = process.env.MSSQL_TEST_CONNECTION_STRING;

describe.skipIf(!cs)('MssqlEngine against a real SQL Server', () => {
  function engine(): MssqlEngine {
    const config = parseConnectionString(cs!, { credential: new DefaultAzureCredential() });
    if (config.engine !== 'mssql') throw new Error('MSSQL_TEST_CONNECTION_STRING is not ADO.NET');
    return new MssqlEngine(config.mssql);
  }

  it('runs a query with @p parameters of several types', async () => {
    const mssql = engine();
    try {
      const result = await mssql.query<{ n: number; s: string; big: string; ok: boolean }>(
        'select @p1 + 1 as n, @p2 as s, @p3 as big, @p4 as ok',
        [41, 'héllo', 2 ** 40, true],
      );
      expect(result.rowCount).toBe(1);
      expect(result.rows[0]).toMatchObject({ n: 42, s: 'héllo', ok: true });
      expect(Number(result.rows[0]?.big)).toBe(2 ** 40);
    } finally {
      await mssql.close();
    }
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const mssql = engine();
    const table = `vg_tx_${Date.now()}`;
    try {
      await mssql.query(`create table ${table} (id int primary key)`);
      await mssql.transaction((tx) => tx.query(`insert into ${table} values (@p1)`, [1]));
      const failed = mssql.transaction(async (tx) => {
        await tx.query(`insert into ${table} values (@p1)`, [2]);
        throw new Error('the job changed its mind');
      });
      await expect(failed).rejects.toThrow('the job changed its mind');
      const left = await mssql.query<{ id: number }>(`select id from ${table}`);
      expect(left.rows).toEqual([{ id: 1 }]);
    } finally {
      await mssql.query(`drop table if exists ${table}`).catch(() => undefined);
      await mssql.close();
    }
  });

  it('answers health through Database', async () => {
    const database = new Database({
      secrets: { resolve: async () => ({ connectionString: cs!, version: 'v1' }), invalidate() {} },
      credential: new DefaultAzureCredential(),
    });
    try {
      const health = await database.health();
      expect(health).toMatchObject({ ok: true, engine: 'mssql' });
    } finally {
      await database.close();
    }
  });
});

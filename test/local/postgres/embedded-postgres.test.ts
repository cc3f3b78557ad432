import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COUNTS } from '../../../local/postgres/demo-data.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../../local/postgres/embedded-postgres.js';

async function count(pool: pg.Pool, table: string): Promise<number> {
  const result = await pool.query<{ n: string }>(`select count(*) as n from ${table}`);
  return Number(result.rows[0]?.n);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('embedded postgres on a data directory', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vaultgate-pg-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the demo schema with its rows on first start', async () => {
    const db = await startEmbeddedPostgres({ dataDir });
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      expect(db.seeded).toBe(true);
      expect(db.url).toMatch(/^postgres:\/\/[^:]+:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
      expect(await count(pool, 'customers')).toBe(DEMO_COUNTS.customers);
      expect(await count(pool, 'orders')).toBe(DEMO_COUNTS.orders);
      expect(await count(pool, 'events')).toBe(DEMO_COUNTS.events);
      expect(await count(pool, 'order_lines')).toBeGreaterThan(DEMO_COUNTS.orders);
      expect(await count(pool, 'orders_archive')).toBe(0);
      expect(await count(pool, 'events_archive')).toBe(0);
      await pool.query(`insert into customers (name, email, country) values ('M', 'm@x.io', 'DE')`);
    } finally {
      await pool.end();
      await db.stop();
    }
  });

  it('reuses the data on a second start and frees the port on stop', async () => {
    const db = await startEmbeddedPostgres({ dataDir });
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      expect(db.seeded).toBe(false);
      expect(await count(pool, 'customers')).toBe(DEMO_COUNTS.customers + 1);
      const marker = await pool.query(`select 1 from customers where email = 'm@x.io'`);
      expect(marker.rowCount).toBe(1);
    } finally {
      await pool.end();
      await db.stop();
    }
    expect(await canListen(db.port)).toBe(true);
  });
});

describe('embedded postgres in memory', () => {
  let db: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await startEmbeddedPostgres();
    pool = new pg.Pool({ connectionString: db.url, max: 10 });
  });
  afterAll(async () => {
    await pool.end();
    await db.stop();
  });

  it('holds events spread over the last 400 days and consistent order totals', async () => {
    const span = await pool.query<{ days: number; future: number }>(
      `select extract(day from max(occurred_at) - min(occurred_at))::int as days,
              count(*) filter (where occurred_at > now())::int as future
       from events`,
    );
    expect(span.rows[0]?.days).toBeGreaterThan(390);
    expect(span.rows[0]?.days).toBeLessThanOrEqual(400);
    expect(span.rows[0]?.future).toBe(0);
    const mismatched = await pool.query(
      `select o.id from orders o join order_lines l on l.order_id = o.id
       group by o.id, o.total having sum(l.quantity * l.unit_price) <> o.total`,
    );
    expect(mismatched.rowCount).toBe(0);
  });

  it('serves a pool of 10 clients running parameterized queries at once', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => pool.connect()));
    try {
      // Each client runs its queries in turn; the ten clients run side by side.
      const perClient = await Promise.all(
        clients.map(async (client, c) => {
          const answers: { id: number; twice: number }[][] = [];
          for (let i = 0; i < 20; i++) {
            const result = await client.query<{ id: number; twice: number }>(
              'select id, $2::int * 2 as twice from customers where id = $1',
              [c * 20 + i + 1, c * 1000 + i],
            );
            answers.push(result.rows);
          }
          return answers;
        }),
      );
      perClient.forEach((answers, c) => {
        answers.forEach((rows, i) => {
          expect(rows).toEqual([{ id: c * 20 + i + 1, twice: (c * 1000 + i) * 2 }]);
        });
      });
      expect(pool.totalCount).toBe(10);
    } finally {
      clients.forEach((client) => client.release());
    }
  });

  it('runs concurrent transactions of different clients one after another', async () => {
    await pool.query('create table counters (id int primary key, n int not null)');
    await pool.query('insert into counters values (1, 0), (2, 0)');
    const bump = async (id: number, commit: boolean) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const read = await client.query<{ n: number }>('select n from counters where id = $1', [
          id,
        ]);
        await new Promise((resolve) => setTimeout(resolve, 2));
        await client.query('update counters set n = $1 where id = $2', [read.rows[0]!.n + 1, id]);
        await client.query(commit ? 'commit' : 'rollback');
      } finally {
        client.release();
      }
    };
    // Read-then-write without locks: any interleaving would lose updates.
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump((i % 2) + 1, i % 4 !== 3)));
    const result = await pool.query<{ id: number; n: number }>(
      'select * from counters order by id',
    );
    expect(result.rows).toEqual([
      { id: 1, n: 20 },
      { id: 2, n: 10 },
    ]);
  });
});

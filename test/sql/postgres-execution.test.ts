import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeOrder } from '../../src/sql/order.js';
import { postgresDialect } from '../../src/sql/postgres-dialect.js';
import type { CompiledStatement, Statement } from '../../src/sql/statement.js';
import { customers, events, orderLines, postgresTable } from './tables.js';

// Runs compiled PostgreSQL statements on the embedded engine (PGlite is PostgreSQL compiled
// to WebAssembly), so the text is proven valid and the results right, not only well spelled.
const customersPg = postgresTable(customers);
const linesPg = postgresTable(orderLines);
const eventsPg = postgresTable(events);

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(`
    CREATE TABLE customers (
      id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(200) NOT NULL,
      email varchar(320), country varchar(2), created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE order_lines (
      order_id int NOT NULL, line_no int NOT NULL, product varchar(100) NOT NULL,
      quantity int NOT NULL DEFAULT 1, unit_price numeric(10,2) NOT NULL, note text,
      PRIMARY KEY (order_id, line_no));
    CREATE TABLE events (
      id uuid PRIMARY KEY, kind varchar(50) NOT NULL, payload jsonb, active boolean NOT NULL,
      happened_on date, at_time time, local_at timestamp, weight float8, big bigint,
      blob bytea);
  `);
});

afterAll(async () => {
  await db.close();
});

async function run(statement: Statement): Promise<Record<string, unknown>[]> {
  const compiled: CompiledStatement = postgresDialect.compile(statement);
  const result = await db.query<Record<string, unknown>>(compiled.text, compiled.params);
  return result.rows;
}

describe('compiled PostgreSQL statements on the embedded engine', () => {
  it('inserts a batch in one statement and returns keys in input order', async () => {
    const rows = await run({
      kind: 'insert',
      table: customersPg,
      rows: [
        { name: 'Ada', country: 'GB' },
        { name: 'Bo', email: 'bo@example.com', created_at: '2020-01-01T00:00:00Z' },
        { name: 'Cy', country: null },
        { name: 'Di', country: 'DE', created_at: '2021-01-01T00:00:00Z' },
        { name: 'Ed' },
      ],
    });
    // Rows giving created_at form a second group, inserted after the first; the keys still
    // come back in input order.
    const ids = rows.map((row) => row.id as number);
    expect(ids).toEqual([1, 4, 2, 5, 3]);
    const stored = await db.query<{ id: number; name: string; year: number }>(
      'SELECT id, name, extract(year from created_at)::int AS year FROM customers',
    );
    const byId = new Map(stored.rows.map((row) => [row.id, row]));
    const now = new Date().getUTCFullYear();
    expect(ids.map((id) => byId.get(id)?.name)).toEqual(['Ada', 'Bo', 'Cy', 'Di', 'Ed']);
    expect(ids.map((id) => byId.get(id)?.year)).toEqual([now, 2020, now, 2021, now]);
  });

  it('inserts rows that give no column at all, taking every default', async () => {
    const table = { ...linesPg, name: 'empty_defaults' };
    await db.exec('CREATE TABLE empty_defaults (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY)');
    const rows = await run({
      kind: 'insert',
      table: { ...table, columns: [{ ...customersPg.columns[0]! }], key: ['id'] },
      rows: [{}, {}],
    });
    expect(rows.map((row) => row.id)).toEqual([1, 2]);
  });

  it('pages with a keyset over a nullable column in both directions', async () => {
    for (const direction of ['asc', 'desc'] as const) {
      const order = completeOrder([{ column: 'country', direction }], customersPg);
      const seen: unknown[] = [];
      let after: (string | number | null)[] | undefined;
      for (let page = 0; page < 10; page++) {
        const rows = await run({
          kind: 'select',
          table: customersPg,
          columns: ['id', 'country'],
          order,
          limit: 2,
          after,
        });
        if (rows.length === 0) break;
        seen.push(...rows.map((row) => row.id));
        const last = rows[rows.length - 1]!;
        after = [last.country as string | null, last.id as number];
      }
      const all = await run({
        kind: 'select',
        table: customersPg,
        columns: ['id'],
        order,
        limit: 100,
      });
      expect(seen).toEqual(all.map((row) => row.id));
      expect(seen).toHaveLength(5);
    }
  });

  it('filters with LIKE patterns that treat wildcards literally', async () => {
    await run({ kind: 'insert', table: customersPg, rows: [{ name: '50%_off\\' }] });
    const rows = await run({
      kind: 'select',
      table: customersPg,
      columns: ['name'],
      filter: { kind: 'match', column: 'name', fn: 'contains', value: '%_off\\' },
      order: [],
      limit: 10,
    });
    expect(rows).toEqual([{ name: '50%_off\\' }]);
  });

  it('counts rows matching a filter', async () => {
    const rows = await run({
      kind: 'count',
      table: customersPg,
      filter: { kind: 'in', column: 'country', values: ['GB', 'DE'] },
    });
    expect(Number(rows[0]!.count)).toBe(2);
  });

  it('upserts, inserts only and updates only on a composite key', async () => {
    const row = { order_id: 1, line_no: 1, product: 'pen', unit_price: '1.50' };
    const insertOnly = { kind: 'upsert', table: linesPg, mode: 'insert-only', row } as const;
    expect(await run(insertOnly)).toEqual([{ order_id: 1, line_no: 1 }]);
    expect(await run(insertOnly)).toEqual([]);

    const changed = { ...row, product: 'ink' };
    expect(await run({ kind: 'upsert', table: linesPg, mode: 'upsert', row: changed })).toEqual([
      { order_id: 1, line_no: 1 },
    ]);
    const missing = { ...row, line_no: 2 };
    const updateOnly = {
      kind: 'upsert',
      table: linesPg,
      mode: 'update-only',
      row: missing,
    } as const;
    expect(await run(updateOnly)).toEqual([]);

    const keyOnly = { order_id: 1, line_no: 1 };
    await expect(
      run({ kind: 'upsert', table: linesPg, mode: 'upsert', row: keyOnly }),
    ).rejects.toThrow(/null value/);
    const stored = await db.query('SELECT product, quantity FROM order_lines');
    expect(stored.rows).toEqual([{ product: 'ink', quantity: 1 }]);
  });

  it('updates and deletes by composite key, returning nothing when absent', async () => {
    const key = { order_id: 1, line_no: 1 };
    const update = { kind: 'update', table: linesPg, key, values: { note: 'gift' } } as const;
    expect(await run(update)).toEqual([key]);
    expect(await run({ kind: 'delete', table: linesPg, key })).toEqual([key]);
    expect(await run({ kind: 'delete', table: linesPg, key })).toEqual([]);
  });

  it('writes every column type through the batch insert and reads it back by filter', async () => {
    const id = '6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c';
    await run({
      kind: 'insert',
      table: eventsPg,
      rows: [
        {
          id,
          kind: 'paid',
          payload: { amount: 12.5, tags: ['a'] },
          active: true,
          happened_on: '2024-02-29',
          at_time: '13:45:00',
          local_at: '2024-02-29T13:45:00',
          weight: 0.25,
          big: '9007199254740993',
          blob: new Uint8Array([1, 2, 255]),
        },
        { id: '00000000-0000-4000-8000-000000000000', kind: 'x', active: false, payload: [1, 2] },
      ],
    });
    const rows = await run({
      kind: 'select',
      table: eventsPg,
      columns: ['payload', 'big', 'blob', 'happened_on'],
      filter: {
        kind: 'and',
        items: [
          { kind: 'compare', column: 'big', op: 'gt', value: '9007199254740992' },
          { kind: 'compare', column: 'happened_on', op: 'eq', value: '2024-02-29' },
          { kind: 'compare', column: 'local_at', op: 'ge', value: '2024-02-29T13:45:00Z' },
          { kind: 'compare', column: 'id', op: 'eq', value: id },
          { kind: 'compare', column: 'active', op: 'eq', value: true },
        ],
      },
      order: [],
      limit: 10,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toEqual({ amount: 12.5, tags: ['a'] });
    expect(String(rows[0]!.big)).toBe('9007199254740993');
    expect(Array.from(rows[0]!.blob as Uint8Array)).toEqual([1, 2, 255]);
    const second = await db.query<{ payload: unknown }>(
      `SELECT payload FROM events WHERE kind = 'x'`,
    );
    expect(second.rows[0]!.payload).toEqual([1, 2]);
  });
});

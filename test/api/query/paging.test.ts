import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAfter } from '../../../src/api/query/after-token.js';
import { parseReadOptions, toSelectStatement } from '../../../src/api/query/read-options.js';
import { postgresDialect } from '../../../src/sql/postgres-dialect.js';
import { customers, postgresTable } from '../../sql/tables.js';

// The whole read path on a real PostgreSQL (PGlite): query string -> options -> statement ->
// SQL -> rows -> $after token -> next page.
const table = postgresTable(customers);
const COUNTRIES = ['GB', 'DE', null, 'FR', null, 'DE'];
let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(`CREATE TABLE customers (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, email text,
    country text, created_at timestamptz NOT NULL DEFAULT now())`);
  for (let i = 0; i < 30; i++) {
    const created = new Date(Date.UTC(2024, 0, 1 + (i % 7))).toISOString();
    await db.query('INSERT INTO customers (name, country, created_at) VALUES ($1, $2, $3)', [
      `c${i}`,
      COUNTRIES[i % COUNTRIES.length],
      created,
    ]);
  }
});

afterAll(async () => {
  await db.close();
});

async function page(query: URLSearchParams) {
  const options = parseReadOptions(query, table, { maxPageSize: 4 });
  const compiled = postgresDialect.compile(toSelectStatement(options, table));
  const { rows } = await db.query<Record<string, unknown>>(compiled.text, compiled.params);
  const last = rows[rows.length - 1];
  const next =
    rows.length === options.first && last !== undefined
      ? encodeAfter(options.order, last, table)
      : undefined;
  return { rows, next };
}

async function walk(base: Record<string, string>, between?: () => Promise<void>) {
  const seen: number[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const query = new URLSearchParams(base);
    if (after !== undefined) query.set('$after', after);
    const { rows, next } = await page(query);
    seen.push(...rows.map((row) => row.id as number));
    if (next === undefined) return seen;
    after = next;
    await between?.();
  }
  throw new Error('paging did not end');
}

describe('keyset paging end to end on PostgreSQL', () => {
  for (const orderby of ['country desc', 'country asc', 'created_at desc, country', 'name']) {
    it(`visits every row once in order for $orderby=${orderby}`, async () => {
      const base = { $orderby: orderby, $filter: "not (name eq 'c3')" };
      const seen = await walk(base);
      const options = parseReadOptions(new URLSearchParams(base), table, { maxPageSize: 4 });
      const all = postgresDialect.compile({ ...toSelectStatement(options, table), limit: 1000 });
      const expected = await db.query<{ id: number }>(all.text, all.params);
      expect(seen).toEqual(expected.rows.map((row) => row.id));
      expect(seen).toHaveLength(29);
    });
  }

  it('neither repeats nor skips rows when rows are inserted ahead of the position', async () => {
    const before = await walk({ $orderby: 'country desc' });
    let inserted = 0;
    const seen = await walk({ $orderby: 'country desc' }, async () => {
      // 'ZZ' sorts first when descending: already behind every later page's position.
      await db.query("INSERT INTO customers (name, country) VALUES ('late', 'ZZ')");
      inserted++;
    });
    expect(inserted).toBeGreaterThan(0);
    expect(seen).toEqual(before);
  });

  it('pages a large table in key order by default', async () => {
    const seen = await walk({ $select: 'name' });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});

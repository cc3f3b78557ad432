import { describe, expect, it } from 'vitest';
import { completeOrder } from '../../src/sql/order.js';
import { postgresDialect } from '../../src/sql/postgres-dialect.js';
import { awkward, customers, events, orderLines, orders } from './tables.js';

const lines = (...parts: string[]) => parts.join('\n');
const compile = postgresDialect.compile.bind(postgresDialect);

describe('postgres dialect: reads', () => {
  it('compiles a page with filter, LIKE, keyset, explicit NULLS order and LIMIT', () => {
    const compiled = compile({
      kind: 'select',
      table: orders,
      columns: ['id', 'total'],
      filter: {
        kind: 'or',
        items: [
          { kind: 'compare', column: 'status', op: 'eq', value: 'paid' },
          { kind: 'match', column: 'status', fn: 'contains', value: '50%_[x]\\' },
        ],
      },
      order: completeOrder([{ column: 'delivered_at', direction: 'desc' }], orders),
      limit: 50,
      after: ['2024-01-01T00:00:00Z', 7],
    });
    expect(compiled.text).toBe(
      lines(
        'SELECT "id", "total"',
        'FROM "dbo"."orders"',
        `WHERE ("status" = $1 OR "status" LIKE $2 ESCAPE '\\') AND ("delivered_at" < $3` +
          ' OR "delivered_at" IS NULL OR ("delivered_at" = $4 AND "id" > $5))',
        'ORDER BY "delivered_at" DESC NULLS LAST, "id" ASC',
        'LIMIT $6',
      ),
    );
    expect(compiled.params).toEqual([
      'paid',
      '%50\\%\\_[x]\\\\%',
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00Z',
      7,
      50,
    ]);
  });

  it('orders a nullable column ascending with NULLS FIRST and pages past a NULL', () => {
    const compiled = compile({
      kind: 'select',
      table: customers,
      columns: [],
      order: completeOrder([{ column: 'country', direction: 'asc' }], customers),
      limit: 10,
      after: [null, 3],
    });
    expect(compiled.text).toBe(
      lines(
        'SELECT "id", "name", "email", "country", "created_at"',
        'FROM "dbo"."customers"',
        'WHERE "country" IS NOT NULL OR ("country" IS NULL AND "id" > $1)',
        'ORDER BY "country" ASC NULLS FIRST, "id" ASC',
        'LIMIT $2',
      ),
    );
    expect(compiled.params).toEqual([3, 10]);
  });

  it('has nothing after a NULL in a descending column but the ties', () => {
    const compiled = compile({
      kind: 'select',
      table: orders,
      columns: ['id'],
      order: completeOrder([{ column: 'delivered_at', direction: 'desc' }], orders),
      limit: 10,
      after: [null, 3],
    });
    expect(compiled.text).toContain('WHERE "delivered_at" IS NULL AND "id" > $1\n');
  });

  it('matches nothing past a NULL that ends a descending order', () => {
    const compiled = compile({
      kind: 'select',
      table: orders,
      columns: ['id'],
      order: [{ column: 'delivered_at', direction: 'desc' }],
      limit: 10,
      after: [null],
    });
    expect(compiled.text).toContain('\nWHERE 1 = 0\n');
    expect(compiled.params).toEqual([10]);
  });

  it('compiles startswith, endswith, in, null tests and not', () => {
    const compiled = compile({
      kind: 'select',
      table: customers,
      columns: ['id'],
      filter: {
        kind: 'and',
        items: [
          { kind: 'match', column: 'name', fn: 'startswith', value: 'A_[' },
          { kind: 'match', column: 'email', fn: 'endswith', value: '@x.org' },
          { kind: 'in', column: 'country', values: ['GB', 'DE'] },
          { kind: 'not', item: { kind: 'null', column: 'email', negated: true } },
          { kind: 'compare', column: 'id', op: 'ne', value: 9 },
        ],
      },
      order: [],
      limit: 1,
    });
    expect(compiled.text).toBe(
      lines(
        'SELECT "id"',
        'FROM "dbo"."customers"',
        `WHERE "name" LIKE $1 ESCAPE '\\' AND "email" LIKE $2 ESCAPE '\\'` +
          ' AND "country" IN ($3, $4) AND NOT ("email" IS NOT NULL) AND "id" <> $5',
        'LIMIT $6',
      ),
    );
    expect(compiled.params).toEqual(['A\\_[%', '%@x.org', 'GB', 'DE', 9, 1]);
  });

  it('counts with count(*)', () => {
    const compiled = compile({
      kind: 'count',
      table: orders,
      filter: { kind: 'compare', column: 'total', op: 'gt', value: '10.5' },
    });
    expect(compiled).toEqual({
      text: lines('SELECT count(*) AS "count"', 'FROM "dbo"."orders"', 'WHERE "total" > $1'),
      params: ['10.5'],
    });
  });

  it('quotes identifiers by doubling " and leaves ] alone', () => {
    const compiled = compile({
      kind: 'select',
      table: awkward,
      columns: [],
      order: completeOrder([], awkward),
      limit: 5,
      after: ['x'],
    });
    expect(compiled.text).toBe(
      lines(
        'SELECT "k]""ey", "va""l]ue"',
        'FROM "odd]""schema"."my]table"""',
        'WHERE "k]""ey" > $1',
        'ORDER BY "k]""ey" ASC',
        'LIMIT $2',
      ),
    );
  });
});

const populate = (param: string, table: string) => [
  `FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS j ("row", "ordinal")`,
  `CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, j."row") AS r`,
  'ORDER BY j."ordinal"',
];

describe('postgres dialect: writes', () => {
  it('inserts a batch with one INSERT ... SELECT over jsonb, ordered by input position', () => {
    const compiled = compile({
      kind: 'insert',
      table: orderLines,
      rows: [
        { order_id: 1, line_no: 1, product: 'pen', unit_price: 2 },
        { order_id: 1, line_no: 2, product: 'ink', unit_price: '0.50', note: null },
      ],
    });
    expect(compiled.text).toBe(
      lines(
        'INSERT INTO "dbo"."order_lines" ("order_id", "line_no", "product", "unit_price", "note")',
        'SELECT r."order_id", r."line_no", r."product", r."unit_price", r."note"',
        ...populate('$1', '"dbo"."order_lines"'),
        'RETURNING "order_id", "line_no"',
      ),
    );
    expect(compiled.params).toEqual([
      JSON.stringify([
        { order_id: 1, line_no: 1, product: 'pen', unit_price: 2 },
        { order_id: 1, line_no: 2, product: 'ink', unit_price: '0.50', note: null },
      ]),
    ]);
  });

  it('inserts groups of different defaulted columns as CTEs put back in input order', () => {
    const compiled = compile({
      kind: 'insert',
      table: customers,
      rows: [{ name: 'A' }, { name: 'B', created_at: '2020-01-01T00:00:00Z' }, { name: 'C' }],
    });
    const ordered = (cte: string, param: string) => [
      'SELECT x."id", m."ordinal"',
      `FROM (SELECT "id", row_number() OVER () AS "n" FROM ${cte}) AS x`,
      `JOIN unnest(${param}::int[]) WITH ORDINALITY AS m ("ordinal", "n")`,
      'ON m."n" = x."n"',
    ];
    expect(compiled.text).toBe(
      lines(
        'WITH "i1" AS (',
        'INSERT INTO "dbo"."customers" ("name")',
        'SELECT r."name"',
        ...populate('$1', '"dbo"."customers"'),
        'RETURNING "id"',
        '),',
        '"i2" AS (',
        'INSERT INTO "dbo"."customers" ("name", "created_at")',
        'SELECT r."name", r."created_at"',
        ...populate('$2', '"dbo"."customers"'),
        'RETURNING "id"',
        ')',
        'SELECT o."id"',
        'FROM (',
        ...ordered('"i1"', '$3'),
        'UNION ALL',
        ...ordered('"i2"', '$4'),
        ') AS o',
        'ORDER BY o."ordinal"',
      ),
    );
    expect(compiled.params).toEqual([
      '[{"name":"A"},{"name":"C"}]',
      '[{"name":"B","created_at":"2020-01-01T00:00:00Z"}]',
      [0, 2],
      [1],
    ]);
  });

  it('inserts rows that give no column with an empty select list', () => {
    const table = { ...customers, columns: customers.columns.slice(0, 1) };
    const compiled = compile({ kind: 'insert', table, rows: [{}] });
    expect(compiled.text).toBe(
      lines(
        'INSERT INTO "dbo"."customers"',
        'SELECT',
        ...populate('$1', '"dbo"."customers"'),
        'RETURNING "id"',
      ),
    );
  });

  it('nests json values in the document and writes bytes in bytea hex form', () => {
    const compiled = compile({
      kind: 'insert',
      table: events,
      rows: [{ id: 'a', kind: 'k', payload: { n: [1] }, blob: new Uint8Array([255, 1]) }],
    });
    expect(compiled.params).toEqual([
      '[{"id":"a","kind":"k","payload":{"n":[1]},"blob":"\\\\xff01"}]',
    ]);
  });

  it('updates by composite key with RETURNING', () => {
    const compiled = compile({
      kind: 'update',
      table: orderLines,
      key: { order_id: 1, line_no: 2 },
      values: { note: 'x', quantity: 3 },
    });
    expect(compiled.text).toBe(
      lines(
        'UPDATE "dbo"."order_lines"',
        'SET "note" = $1, "quantity" = $2',
        'WHERE "order_id" = $3 AND "line_no" = $4',
        'RETURNING "order_id", "line_no"',
      ),
    );
    expect(compiled.params).toEqual(['x', 3, 1, 2]);
  });

  it('sends json values of an update as JSON text', () => {
    const compiled = compile({
      kind: 'update',
      table: events,
      key: { id: 'a' },
      values: { payload: [1, 'two'] },
    });
    expect(compiled.params).toEqual(['[1,"two"]', 'a']);
  });

  it('deletes by key with RETURNING', () => {
    const compiled = compile({ kind: 'delete', table: orders, key: { id: 42 } });
    expect(compiled).toEqual({
      text: lines('DELETE FROM "dbo"."orders"', 'WHERE "id" = $1', 'RETURNING "id"'),
      params: [42],
    });
  });

  const row = { order_id: 1, line_no: 2, product: 'p', unit_price: 2 };
  const head = [
    'INSERT INTO "dbo"."order_lines" ("order_id", "line_no", "product", "unit_price")',
    'VALUES ($1, $2, $3, $4)',
  ];

  it('upserts with INSERT ... ON CONFLICT DO UPDATE', () => {
    const compiled = compile({ kind: 'upsert', mode: 'upsert', table: orderLines, row });
    expect(compiled.text).toBe(
      lines(
        ...head,
        'ON CONFLICT ("order_id", "line_no") DO UPDATE SET "product" = EXCLUDED."product",' +
          ' "unit_price" = EXCLUDED."unit_price"',
        'RETURNING "order_id", "line_no"',
      ),
    );
    expect(compiled.params).toEqual([1, 2, 'p', 2]);
  });

  it('inserts only (If-None-Match: *) with ON CONFLICT DO NOTHING', () => {
    const compiled = compile({ kind: 'upsert', mode: 'insert-only', table: orderLines, row });
    expect(compiled.text).toBe(
      lines(
        ...head,
        'ON CONFLICT ("order_id", "line_no") DO NOTHING',
        'RETURNING "order_id", "line_no"',
      ),
    );
  });

  it('updates only (If-Match: *) with a plain UPDATE by key', () => {
    const compiled = compile({ kind: 'upsert', mode: 'update-only', table: orderLines, row });
    expect(compiled).toEqual({
      text: lines(
        'UPDATE "dbo"."order_lines"',
        'SET "product" = $1, "unit_price" = $2',
        'WHERE "order_id" = $3 AND "line_no" = $4',
        'RETURNING "order_id", "line_no"',
      ),
      params: ['p', 2, 1, 2],
    });
  });
});

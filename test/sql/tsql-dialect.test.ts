import { describe, expect, it } from 'vitest';
import { completeOrder } from '../../src/sql/order.js';
import { tsqlDialect } from '../../src/sql/tsql-dialect.js';
import { awkward, customers, events, orderLines, orders } from './tables.js';

const lines = (...parts: string[]) => parts.join('\n');
const compile = tsqlDialect.compile.bind(tsqlDialect);

describe('tsql dialect: reads', () => {
  it('compiles a page with filter, LIKE, keyset over a nullable descending column and TOP', () => {
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
        'SELECT TOP (@p6) [id], [total]',
        'FROM [dbo].[orders]',
        "WHERE ([status] = @p1 OR [status] LIKE @p2 ESCAPE '\\') AND ([delivered_at] < @p3" +
          ' OR [delivered_at] IS NULL OR ([delivered_at] = @p4 AND [id] > @p5))',
        'ORDER BY [delivered_at] DESC, [id] ASC',
      ),
    );
    expect(compiled.params).toEqual([
      'paid',
      '%50\\%\\_\\[x]\\\\%',
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00Z',
      7,
      50,
    ]);
  });

  it('selects every column when none are named, and keeps a NULL position exact', () => {
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
        'SELECT TOP (@p2) [id], [name], [email], [country], [created_at]',
        'FROM [dbo].[customers]',
        'WHERE [country] IS NOT NULL OR ([country] IS NULL AND [id] > @p1)',
        'ORDER BY [country] ASC, [id] ASC',
      ),
    );
    expect(compiled.params).toEqual([3, 10]);
  });

  it('compiles startswith, endswith, in, null tests and not', () => {
    const compiled = compile({
      kind: 'select',
      table: customers,
      columns: ['id'],
      filter: {
        kind: 'and',
        items: [
          { kind: 'match', column: 'name', fn: 'startswith', value: 'A_' },
          { kind: 'match', column: 'email', fn: 'endswith', value: '@x.org' },
          { kind: 'in', column: 'country', values: ['GB', 'DE'] },
          { kind: 'not', item: { kind: 'null', column: 'email', negated: true } },
          { kind: 'compare', column: 'id', op: 'le', value: 9 },
        ],
      },
      order: [],
      limit: 1,
    });
    expect(compiled.text).toBe(
      lines(
        'SELECT TOP (@p6) [id]',
        'FROM [dbo].[customers]',
        "WHERE [name] LIKE @p1 ESCAPE '\\' AND [email] LIKE @p2 ESCAPE '\\'" +
          ' AND [country] IN (@p3, @p4) AND NOT ([email] IS NOT NULL) AND [id] <= @p5',
      ),
    );
    expect(compiled.params).toEqual(['A\\_%', '%@x.org', 'GB', 'DE', 9, 1]);
  });

  it('counts with COUNT_BIG and no paging', () => {
    const compiled = compile({
      kind: 'count',
      table: orders,
      filter: { kind: 'not', item: { kind: 'in', column: 'status', values: ['a', 'b'] } },
    });
    expect(compiled.text).toBe(
      lines(
        'SELECT COUNT_BIG(*) AS [count]',
        'FROM [dbo].[orders]',
        'WHERE NOT ([status] IN (@p1, @p2))',
      ),
    );
    expect(compiled.params).toEqual(['a', 'b']);
  });

  it('counts a whole table without a WHERE', () => {
    expect(compile({ kind: 'count', table: orders })).toEqual({
      text: lines('SELECT COUNT_BIG(*) AS [count]', 'FROM [dbo].[orders]'),
      params: [],
    });
  });

  it('quotes identifiers by doubling ] and leaves " alone', () => {
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
        'SELECT TOP (@p2) [k]]"ey], [va"l]]ue]',
        'FROM [odd]]"schema].[my]]table"]',
        'WHERE [k]]"ey] > @p1',
        'ORDER BY [k]]"ey] ASC',
      ),
    );
  });
});

const OPENJSON_PAIR = "WITH ([ordinal] int '$[0]', [row] nvarchar(max) '$[1]' AS JSON) AS j";

describe('tsql dialect: writes', () => {
  it('inserts a batch with one MERGE over OPENJSON and returns keys in input order', () => {
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
        'DECLARE @out TABLE ([ordinal] int, [order_id] int, [line_no] int);',
        'MERGE INTO [dbo].[order_lines] AS t',
        'USING (',
        'SELECT j.[ordinal] AS [ordinal], r.[order_id], r.[line_no], r.[product], r.[unit_price],' +
          ' r.[note]',
        `FROM OPENJSON(@p1) ${OPENJSON_PAIR}`,
        'CROSS APPLY OPENJSON(j.[row]) WITH ([order_id] int \'$."order_id"\',' +
          ' [line_no] int \'$."line_no"\', [product] nvarchar(100) \'$."product"\',' +
          ' [unit_price] decimal(10,2) \'$."unit_price"\', [note] nvarchar(max) \'$."note"\') AS r',
        ') AS s',
        'ON 1 = 0',
        'WHEN NOT MATCHED THEN INSERT ([order_id], [line_no], [product], [unit_price], [note])' +
          ' VALUES (s.[order_id], s.[line_no], s.[product], s.[unit_price], s.[note])',
        'OUTPUT s.[ordinal], inserted.[order_id], inserted.[line_no] INTO @out;',
        'SELECT [order_id], [line_no] FROM @out ORDER BY [ordinal];',
      ),
    );
    expect(compiled.params).toEqual([
      JSON.stringify([
        [0, { order_id: 1, line_no: 1, product: 'pen', unit_price: 2 }],
        [1, { order_id: 1, line_no: 2, product: 'ink', unit_price: '0.50', note: null }],
      ]),
    ]);
  });

  it('splits rows by which defaulted columns they give, one MERGE each, into one result', () => {
    const compiled = compile({
      kind: 'insert',
      table: customers,
      rows: [{ name: 'A' }, { name: 'B', created_at: '2020-01-01T00:00:00Z' }, { name: 'C' }],
    });
    const merge = (param: string, columns: string, typed: string) => [
      'MERGE INTO [dbo].[customers] AS t',
      'USING (',
      `SELECT j.[ordinal] AS [ordinal], ${columns.replace(/\[/g, 'r.[')}`,
      `FROM OPENJSON(${param}) ${OPENJSON_PAIR}`,
      `CROSS APPLY OPENJSON(j.[row]) WITH (${typed}) AS r`,
      ') AS s',
      'ON 1 = 0',
      `WHEN NOT MATCHED THEN INSERT (${columns}) VALUES (${columns.replace(/\[/g, 's.[')})`,
      'OUTPUT s.[ordinal], inserted.[id] INTO @out;',
    ];
    expect(compiled.text).toBe(
      lines(
        'DECLARE @out TABLE ([ordinal] int, [id] int);',
        ...merge('@p1', '[name]', `[name] nvarchar(200) '$."name"'`),
        ...merge(
          '@p2',
          '[name], [created_at]',
          `[name] nvarchar(200) '$."name"', [created_at] datetimeoffset(7) '$."created_at"'`,
        ),
        'SELECT [id] FROM @out ORDER BY [ordinal];',
      ),
    );
    expect(compiled.params).toEqual([
      '[[0,{"name":"A"}],[2,{"name":"C"}]]',
      '[[1,{"name":"B","created_at":"2020-01-01T00:00:00Z"}]]',
    ]);
  });

  it('inserts rows that give no column with INSERT DEFAULT VALUES', () => {
    const table = { ...customers, columns: customers.columns.slice(0, 1) };
    const compiled = compile({ kind: 'insert', table, rows: [{}, {}] });
    expect(compiled.text).toBe(
      lines(
        'DECLARE @out TABLE ([ordinal] int, [id] int);',
        'MERGE INTO [dbo].[customers] AS t',
        'USING (',
        'SELECT j.[ordinal] AS [ordinal]',
        `FROM OPENJSON(@p1) ${OPENJSON_PAIR}`,
        ') AS s',
        'ON 1 = 0',
        'WHEN NOT MATCHED THEN INSERT DEFAULT VALUES',
        'OUTPUT s.[ordinal], inserted.[id] INTO @out;',
        'SELECT [id] FROM @out ORDER BY [ordinal];',
      ),
    );
    expect(compiled.params).toEqual(['[[0,{}],[1,{}]]']);
  });

  it('sends json as JSON text, bytes as base64 and picks a free name for the position', () => {
    const table = {
      ...events,
      columns: [...events.columns, { ...events.columns[1]!, name: 'ordinal' }],
    };
    const compiled = compile({
      kind: 'insert',
      table,
      rows: [
        { id: 'a', kind: 'k', payload: { n: [1] }, blob: new Uint8Array([255]), ordinal: 'o' },
      ],
    });
    expect(compiled.text.split('\n')[0]).toBe(
      'DECLARE @out TABLE ([ordinal_] int, [id] uniqueidentifier);',
    );
    expect(compiled.text).toContain('SELECT j.[ordinal] AS [ordinal_], r.[id],');
    expect(compiled.params).toEqual([
      '[[0,{"id":"a","kind":"k","payload":"{\\"n\\":[1]}","blob":"/w==","ordinal":"o"}]]',
    ]);
  });

  it('updates by composite key with OUTPUT INTO a table variable', () => {
    const compiled = compile({
      kind: 'update',
      table: orderLines,
      key: { order_id: 1, line_no: 2 },
      values: { note: 'x', quantity: 3, order_id: 1 },
    });
    expect(compiled.text).toBe(
      lines(
        'DECLARE @out TABLE ([order_id] int, [line_no] int);',
        'UPDATE [dbo].[order_lines]',
        'SET [note] = @p1, [quantity] = @p2',
        'OUTPUT inserted.[order_id], inserted.[line_no] INTO @out',
        'WHERE [order_id] = @p3 AND [line_no] = @p4;',
        'SELECT [order_id], [line_no] FROM @out;',
      ),
    );
    expect(compiled.params).toEqual(['x', 3, 1, 2]);
  });

  it('deletes by key, returning the deleted key', () => {
    const compiled = compile({ kind: 'delete', table: orders, key: { id: 42 } });
    expect(compiled.text).toBe(
      lines(
        'DECLARE @out TABLE ([id] int);',
        'DELETE FROM [dbo].[orders]',
        'OUTPUT deleted.[id] INTO @out',
        'WHERE [id] = @p1;',
        'SELECT [id] FROM @out;',
      ),
    );
    expect(compiled.params).toEqual([42]);
  });

  const row = { order_id: 1, line_no: 2, product: 'p', unit_price: 2 };
  const mergeHead = [
    'DECLARE @out TABLE ([order_id] int, [line_no] int);',
    'MERGE INTO [dbo].[order_lines] WITH (HOLDLOCK) AS t',
    'USING (VALUES (@p1, @p2, @p3, @p4)) AS s ([order_id], [line_no], [product], [unit_price])',
    'ON t.[order_id] = s.[order_id] AND t.[line_no] = s.[line_no]',
  ];
  const mergeTail = [
    'WHEN NOT MATCHED THEN INSERT ([order_id], [line_no], [product], [unit_price])' +
      ' VALUES (s.[order_id], s.[line_no], s.[product], s.[unit_price])',
    'OUTPUT inserted.[order_id], inserted.[line_no] INTO @out;',
    'SELECT [order_id], [line_no] FROM @out;',
  ];

  it('upserts with MERGE WITH (HOLDLOCK), updating the non-key columns when matched', () => {
    const compiled = compile({ kind: 'upsert', mode: 'upsert', table: orderLines, row });
    expect(compiled.text).toBe(
      lines(
        ...mergeHead,
        'WHEN MATCHED THEN UPDATE SET t.[product] = s.[product], t.[unit_price] = s.[unit_price]',
        ...mergeTail,
      ),
    );
    expect(compiled.params).toEqual([1, 2, 'p', 2]);
  });

  it('inserts only (If-None-Match: *) with a MERGE that has no matched branch', () => {
    const compiled = compile({ kind: 'upsert', mode: 'insert-only', table: orderLines, row });
    expect(compiled.text).toBe(lines(...mergeHead, ...mergeTail));
    expect(compiled.params).toEqual([1, 2, 'p', 2]);
  });

  it('updates only (If-Match: *) with a plain UPDATE by key', () => {
    const compiled = compile({ kind: 'upsert', mode: 'update-only', table: orderLines, row });
    expect(compiled.text).toBe(
      lines(
        'DECLARE @out TABLE ([order_id] int, [line_no] int);',
        'UPDATE [dbo].[order_lines]',
        'SET [product] = @p1, [unit_price] = @p2',
        'OUTPUT inserted.[order_id], inserted.[line_no] INTO @out',
        'WHERE [order_id] = @p3 AND [line_no] = @p4;',
        'SELECT [order_id], [line_no] FROM @out;',
      ),
    );
    expect(compiled.params).toEqual(['p', 2, 1, 2]);
  });

  it('upserts a key-only row by setting the key to itself when matched', () => {
    const compiled = compile({
      kind: 'upsert',
      mode: 'upsert',
      table: orderLines,
      row: { order_id: 1, line_no: 2 },
    });
    expect(compiled.text).toContain(
      'WHEN MATCHED THEN UPDATE SET t.[order_id] = s.[order_id], t.[line_no] = s.[line_no]',
    );
  });

  it('declares rowversion as binary(8) in the output table', () => {
    const table = {
      ...orders,
      columns: [...orders.columns, { ...orders.columns[1]!, name: 'rv', dbType: 'rowversion' }],
    };
    const compiled = compile({ kind: 'delete', table, key: { id: 1 }, returning: ['id', 'rv'] });
    expect(compiled.text.split('\n')[0]).toBe('DECLARE @out TABLE ([id] int, [rv] binary(8));');
  });
});

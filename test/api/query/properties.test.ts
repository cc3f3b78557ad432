import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAfter } from '../../../src/api/query/after-token.js';
import { parseFilter } from '../../../src/api/query/filter-parser.js';
import { parseReadOptions } from '../../../src/api/query/read-options.js';
import { VaultgateError } from '../../../src/errors.js';
import { dialectFor } from '../../../src/sql/dialects.js';
import type { FilterNode } from '../../../src/sql/filter.js';
import { completeOrder } from '../../../src/sql/order.js';
import type { Statement } from '../../../src/sql/statement.js';
import type { ColumnShape, TableShape } from '../../../src/sql/table.js';
import { column } from '../../sql/tables.js';

// Every string literal the generators write holds this character, so finding it in SQL text
// would mean a value was inlined instead of bound as a parameter.
const SENTINEL = '\u00a7';

const everything: TableShape = {
  schema: 'dbo',
  name: 'everything',
  key: ['id'],
  columns: [
    column('id', 'integer', 'int'),
    column('name', 'string', 'nvarchar(50)', { nullable: true }),
    column('big', 'bigint', 'bigint'),
    column('amount', 'decimal', 'decimal(12,2)', { nullable: true }),
    column('ratio', 'float', 'float'),
    column('flag', 'boolean', 'bit'),
    column('day', 'date', 'date'),
    column('stamp', 'datetime', 'datetime2(7)'),
    column('moment', 'datetimeoffset', 'datetimeoffset(7)'),
    column('clock', 'time', 'time(7)'),
    column('ref', 'uuid', 'uniqueidentifier'),
    column('doc', 'json', 'nvarchar(max)', { nullable: true }),
    column('bytes', 'binary', 'varbinary(max)', { nullable: true }),
  ],
};

const comparable = everything.columns.filter((c) => c.type !== 'json' && c.type !== 'binary');
const dialects = [dialectFor('tsql'), dialectFor('postgres')];

const quoted = (text: string) => `'${text.replaceAll("'", "''")}'`;
const hostileText = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 12 }))
  .map(([a, b]) => `${a}${SENTINEL}${b}`);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const day = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z') })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString());

/** A literal's text for a column of this type, valid for the grammar and the type. */
function literal(type: ColumnShape['type']): fc.Arbitrary<string> {
  switch (type) {
    case 'string':
      return hostileText.map(quoted);
    case 'integer':
      return fc.integer().map(String);
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
    case 'decimal':
    case 'float':
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n));
    case 'boolean':
      return fc.constantFrom('true', 'false', 'TRUE');
    case 'date':
      return day.map((iso) => iso.slice(0, 10));
    case 'datetime':
      return day.map((iso) => iso.slice(0, 19));
    case 'datetimeoffset':
      return day;
    case 'time':
      return fc
        .tuple(fc.nat(23), fc.nat(59), fc.nat(59))
        .map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}`);
    case 'uuid':
      return fc.uuid();
    default:
      throw new Error(`no literal for ${type}`);
  }
}

/** A filter shape rendered twice with different literal values in the same places. */
interface Pair {
  a: string;
  b: string;
}

const same = (text: string): Pair => ({ a: text, b: text });
const slot = (type: ColumnShape['type']) =>
  fc.tuple(literal(type), literal(type)).map(([a, b]) => ({ a, b }));

const comparison: fc.Arbitrary<Pair> = fc.constantFrom(...comparable).chain((col) =>
  fc
    .tuple(fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le'), slot(col.type))
    .map(([op, value]) => ({
      a: `${col.name} ${op} ${value.a}`,
      b: `${col.name} ${op} ${value.b}`,
    })),
);

const inList: fc.Arbitrary<Pair> = fc.constantFrom(...comparable).chain((col) =>
  fc.array(slot(col.type), { minLength: 1, maxLength: 5 }).map((values) => ({
    a: `${col.name} in (${values.map((v) => v.a).join(', ')})`,
    b: `${col.name} in (${values.map((v) => v.b).join(',')})`,
  })),
);

const match: fc.Arbitrary<Pair> = fc
  .tuple(fc.constantFrom('contains', 'startswith', 'endswith'), slot('string'))
  .map(([fn, value]) => ({ a: `${fn}(name, ${value.a})`, b: `${fn}(name,${value.b})` }));

const nullTest: fc.Arbitrary<Pair> = fc
  .tuple(fc.constantFrom(...everything.columns), fc.constantFrom('eq', 'ne'))
  .map(([col, op]) => same(`${col.name} ${op} null`));

const { filter: filterArb } = fc.letrec<{ filter: Pair; leaf: Pair }>((tie) => ({
  leaf: fc.oneof(comparison, inList, match, nullTest),
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc
      .tuple(tie('filter'), fc.constantFrom('and', 'or', 'AND'), tie('filter'))
      .map(([l, op, r]) => ({ a: `${l.a} ${op} ${r.a}`, b: `${l.b} ${op} ${r.b}` })),
    tie('filter').map((f) => ({ a: `not (${f.a})`, b: `not(${f.b})` })),
    tie('filter').map((f) => ({ a: `(${f.a})`, b: `( ${f.b} )` })),
  ),
}));

/** Random sequences of the grammar's own pieces: far more reach deep into the parser. */
const tokenSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom(...everything.columns.map((c) => c.name), 'nmae', 'Amount'),
      fc.constantFrom('eq', 'ne', 'gt', 'in', 'and', 'or', 'not', 'null', 'true', 'contains'),
      fc.constantFrom('(', ')', ',', "'", "''", '-', '.', '*', ' ', '$1', '@p1', ';', '--'),
      fc.constantFrom('2024-02-29', '2024-02-30', '12:00', '1e999', '0x1F', '2024-01-01T00:00Z'),
      hostileText.map(quoted),
      fc.integer().map(String),
      fc.uuid(),
    ),
    { maxLength: 25 },
  )
  .map((parts) => parts.join(' '));

const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), tokenSoup);

/** Anything thrown must be a 400 with the option's code and a short, single-line message. */
function expectBadRequest(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(VaultgateError);
  const known = error as VaultgateError;
  expect(known.status).toBe(400);
  expect(known.code).toBe(code);
  expect(known.message.length).toBeLessThan(200);
  expect(known.message).not.toMatch(/\n|\bat .*\.ts:\d/);
}

function compileBoth(filter: FilterNode) {
  return dialects.map((dialect) =>
    dialect.compile({
      kind: 'select',
      table: everything,
      columns: [],
      filter,
      order: completeOrder([], everything),
      limit: 10,
    }),
  );
}

function expectOnlyParameters(compiled: { text: string; params: unknown[] }): void {
  expect(compiled.text).not.toContain(SENTINEL);
  const placeholders = compiled.text.match(/(\$|@p)\d+/g) ?? [];
  expect(new Set(placeholders).size).toBe(compiled.params.length);
}

describe('query grammar properties', () => {
  it('parses every well-formed filter and binds every value as a parameter', () => {
    fc.assert(
      fc.property(filterArb, (pair) => {
        const first = compileBoth(parseFilter(pair.a, everything));
        const second = compileBoth(parseFilter(pair.b, everything));
        first.forEach((compiled, i) => {
          expectOnlyParameters(compiled);
          // The text depends on the shape of the filter only, never on the values.
          expect(second[i]!.text).toBe(compiled.text);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('answers any text given as $filter with a tree or a 400 BadFilter, nothing else', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let filter: FilterNode;
        try {
          filter = parseFilter(text, everything);
        } catch (error) {
          expectBadRequest(error, 'BadFilter');
          return;
        }
        compileBoth(filter).forEach(expectOnlyParameters);
      }),
      { numRuns: 1500 },
    );
  });

  it('answers any query string with options or a 400, nothing else', () => {
    const names = ['$filter', '$select', '$orderby', '$first', '$after', '$count', '$top', 'x'];
    const query = fc.array(fc.tuple(fc.constantFrom(...names), anyText), { maxLength: 4 });
    fc.assert(
      fc.property(query, (entries) => {
        try {
          parseReadOptions(new URLSearchParams(entries), everything, { maxPageSize: 100 });
        } catch (error) {
          expect(error).toBeInstanceOf(VaultgateError);
          expect((error as VaultgateError).status).toBe(400);
          expect((error as VaultgateError).message).not.toContain('\n');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('answers any $after text with a position or a 400 BadAfter', () => {
    const order = completeOrder([{ column: 'name', direction: 'desc' }], everything);
    const forged = fc
      .tuple(fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 }))
      .map(([o, v]) => Buffer.from(JSON.stringify({ o, v })).toString('base64url'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), forged, fc.base64String()), (token) => {
        try {
          decodeAfter(token, order, everything);
        } catch (error) {
          expectBadRequest(error, 'BadAfter');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('binds every written value as a parameter in every kind of write', () => {
    const writable = everything.columns.filter((c) => c.name !== 'id' && c.type !== 'binary');
    const row = fc.record(
      Object.fromEntries(writable.map((c) => [c.name, fc.option(hostileText)])),
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(row, hostileText, (values, key) => {
        const statements: Statement[] = [
          { kind: 'insert', table: everything, rows: [values, { ...values, id: key }] },
          { kind: 'update', table: everything, key: { id: key }, values: { ...values, name: key } },
          { kind: 'delete', table: everything, key: { id: key } },
          { kind: 'upsert', mode: 'upsert', table: everything, row: { ...values, id: key } },
          { kind: 'upsert', mode: 'insert-only', table: everything, row: { ...values, id: key } },
          { kind: 'upsert', mode: 'update-only', table: everything, row: { id: key, name: key } },
        ];
        for (const dialect of dialects) {
          for (const statement of statements) expectOnlyParameters(dialect.compile(statement));
        }
      }),
      { numRuns: 300 },
    );
  });
});

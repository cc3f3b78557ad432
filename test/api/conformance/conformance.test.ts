import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyVaultEmulator } from '../../../local/keyvault/index.js';
import { closeRuntime } from '../../../src/runtime.js';
import { Capture } from '../../capture.js';
import { APP, appSettings, startTestEmulator } from '../../local/keyvault/emulator-fixture.js';
import { call, writeDemoConfig, type Answer } from './api-client.js';
import { ENGINES, type EngineSpec, type EngineTarget } from './engine-targets.js';

const MAX_BATCH_ROWS = 200;
const capture = new Capture();
let emulator: KeyVaultEmulator;
let restoreConsole: () => void;

beforeAll(async () => {
  emulator = await startTestEmulator();
  restoreConsole = capture.console();
});

afterAll(async () => {
  restoreConsole();
  await emulator.stop();
  expect(capture.leaked([APP.clientSecret])).toEqual([]);
});

const api = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(capture, method, path, options);

function expectError(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
}

/** How many rows match the filter, asked through the API itself. */
async function countOf(entity: string, filter: string): Promise<number> {
  const answer = await api(
    'GET',
    `${entity}?$count=true&$first=1&$filter=${encodeURIComponent(filter)}`,
  );
  expect(answer.status).toBe(200);
  return answer.body.count as number;
}

for (const spec of ENGINES) {
  describe.skipIf(!spec.available)(`the entity API on ${spec.name}`, () => {
    conformance(spec);
  });
}

function conformance(spec: EngineSpec): void {
  let target: EngineTarget;

  beforeAll(async () => {
    target = await spec.start();
    emulator.setSecret('db-connection-string', target.connectionString);
    Object.assign(process.env, {
      ...appSettings(emulator),
      DB_SECRET_NAME: 'db-connection-string',
      SECRET_CACHE_SECONDS: '300',
      MAX_BATCH_ROWS: String(MAX_BATCH_ROWS),
      VAULTGATE_CONFIG: writeDemoConfig(target.schema),
    });
    await closeRuntime();
  }, 60_000);

  afterAll(async () => {
    await closeRuntime();
    await target?.stop();
    expect(capture.leaked([target.connectionString])).toEqual([]);
  });

  describe('reading', () => {
    it('lists a page of 100 rows by key with an absolute nextLink', async () => {
      const answer = await api('GET', 'customers');
      expect(answer.status).toBe(200);
      expect(answer.body.value).toHaveLength(100);
      expect(answer.body.value[0]).toMatchObject({ id: 1, name: expect.any(String) });
      expect(answer.body.value[0].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
      expect(answer.body.nextLink).toMatch(/^http:\/\/localhost:7071\/api\/customers\?\$after=/);
    });

    it('builds nextLink from the X-Forwarded headers and leaves the key out', async () => {
      const answer = await api('GET', 'customers?$first=2&code=function-key-1234', {
        headers: { 'x-forwarded-host': 'data.example.com', 'x-forwarded-proto': 'https' },
      });
      const next = new URL(answer.body.nextLink as string);
      expect(next.origin).toBe('https://data.example.com');
      expect(next.pathname).toBe('/api/customers');
      expect(next.searchParams.get('$first')).toBe('2');
      expect(next.searchParams.has('code')).toBe(false);
    });

    it('filters, selects, orders and counts', async () => {
      const answer = await api(
        'GET',
        "orders?$filter=status eq 'paid' and total gt 100&$select=id,total" +
          '&$orderby=total desc&$first=5&$count=true',
      );
      expect(answer.status).toBe(200);
      const rows = answer.body.value as { id: number; total: number }[];
      expect(rows).toHaveLength(5);
      expect(Object.keys(rows[0]!).sort()).toEqual(['id', 'total']);
      expect(rows.map((r) => r.total)).toEqual([...rows.map((r) => r.total)].sort((a, b) => b - a));
      expect(answer.body.count).toBeGreaterThan(5);
      expect(typeof rows[0]!.total).toBe('number');
    });

    it('supports in, contains and null tests', async () => {
      const some = await api('GET', 'customers?$filter=id in (3, 5, 8)&$select=id');
      expect(some.body.value).toEqual([{ id: 3 }, { id: 5 }, { id: 8 }]);
      const like = await api('GET', "customers?$filter=contains(email, '.12@')&$select=email");
      expect(like.body.value.length).toBeGreaterThan(0);
      for (const row of like.body.value) expect(row.email).toContain('.12@');
      const open = await countOf('orders', 'delivered_at eq null');
      const done = await countOf('orders', 'delivered_at ne null');
      expect(open + done).toBe(await countOf('orders', 'id gt 0'));
    });

    it('drops order columns the caller did not select', async () => {
      const answer = await api('GET', 'orders?$select=status&$orderby=total&$first=3');
      expect(answer.body.value.every((r: object) => Object.keys(r).join() === 'status')).toBe(true);
      expect(answer.body.nextLink).toBeDefined();
    });

    it('says where and why a filter is wrong', async () => {
      const answer = await api('GET', 'orders?$filter=totl gt 5');
      expectError(answer, 400, 'BadFilter');
      expect(answer.body.error.target).toBe('$filter');
      expect(answer.body.error.message).toMatch(/unknown column 'totl' at 0; did you mean 'total'/);
      const typed = await api('GET', "orders?$filter=total eq 'abc'");
      expectError(typed, 400, 'BadFilter');
      expect(typed.body.error.message).toMatch(/at 9/);
    });

    it('refuses unknown options, bad paging and bad tokens with 400', async () => {
      expectError(await api('GET', 'orders?$top=5'), 400, 'BadQuery');
      expectError(await api('GET', 'orders?$first=0'), 400, 'BadFirst');
      expectError(await api('GET', 'orders?$first=1001'), 400, 'BadFirst');
      expectError(await api('GET', 'orders?$after=not-a-token'), 400, 'BadAfter');
      expectError(await api('GET', 'orders?$select=id,nope'), 400, 'BadSelect');
      expectError(await api('GET', 'orders?$orderby=nope'), 400, 'BadOrderBy');
    });

    it('exposes only the configured fields, and the key', async () => {
      const answer = await api('GET', 'people?$first=1');
      expect(Object.keys(answer.body.value[0]).sort()).toEqual(['country', 'id', 'name']);
      expectError(await api('GET', "people?$filter=email eq 'x'"), 400, 'BadFilter');
    });

    it('reads one row by key, and a composite key in key order', async () => {
      const one = await api('GET', 'customers/7');
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: 7 });
      const line = await api('GET', 'order-lines/1,1');
      expect(line.status).toBe(200);
      expect(line.body).toMatchObject({ order_id: 1, line_no: 1 });
      expect(typeof line.body.unit_price).toBe('number');
    });

    it('answers 404 for an unknown row or entity and 400 for a malformed key', async () => {
      expectError(await api('GET', 'customers/999999'), 404, 'RowNotFound');
      expectError(await api('GET', 'nothing-here'), 404, 'EntityNotFound');
      expectError(await api('GET', 'customers/abc'), 400, 'BadKey');
      expectError(await api('GET', 'order-lines/1'), 400, 'BadKey');
    });

    it('pages a table while rows are inserted, returning every row exactly once', async () => {
      const before = await countOf('events', 'id gt 0');
      const seen = new Map<number, number>();
      let path: string | undefined = 'events?$first=500&$select=id';
      let pages = 0;
      while (path !== undefined) {
        const page: Answer = await api('GET', path);
        expect(page.status).toBe(200);
        for (const row of page.body.value as { id: number }[]) {
          seen.set(row.id, (seen.get(row.id) ?? 0) + 1);
        }
        if (pages++ % 2 === 0) {
          const rows = Array.from({ length: 20 }, (_, i) => ({ kind: `paging-${pages}-${i}` }));
          expect((await api('POST', 'events', { body: rows })).status).toBe(201);
        }
        const next = page.body.nextLink as string | undefined;
        path = next === undefined ? undefined : next.slice(next.indexOf('/api/') + 5);
      }
      expect([...seen.values()].every((times) => times === 1)).toBe(true);
      expect(seen.size).toBeGreaterThanOrEqual(before);
      expect(pages).toBeGreaterThan(5);
    });
  });

  describe('writing', () => {
    it('inserts one object: 201, the row, and a Location that reads it back', async () => {
      const email = `ada-${randomUUID()}@example.com`;
      const answer = await api('POST', 'customers', {
        body: { name: 'Ada Lovelace', email, country: 'GB' },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ name: 'Ada Lovelace', email, id: expect.any(Number) });
      expect(answer.headers.Location).toBe(`http://localhost:7071/api/customers/${answer.body.id}`);
      const again = await api('GET', `customers/${answer.body.id}`);
      expect(again.body.email).toBe(email);
    });

    it('inserts an array in one go and returns the keys in input order', async () => {
      const rows = Array.from({ length: 30 }, (_, i) => ({
        name: `Batch ${i}`,
        email: `batch-${i}-${randomUUID()}@example.com`,
        country: 'NO',
        // Every third row gives the defaulted column; the rest take the default.
        ...(i % 3 === 0 ? { created_at: '2024-01-31T12:00:00Z' } : {}),
      }));
      const answer = await api('POST', 'customers', { body: rows });
      expect(answer.status).toBe(201);
      const keys = answer.body.value as { id: number }[];
      expect(keys).toHaveLength(30);
      for (const [i, key] of keys.entries()) {
        const row = await api('GET', `customers/${key.id}`);
        expect(row.body.name).toBe(`Batch ${i}`);
        if (i % 3 === 0) expect(row.body.created_at).toBe('2024-01-31T12:00:00.000Z');
      }
    });

    it('inserts rows with composite keys and omitted defaults (orders)', async () => {
      const order = await api('POST', 'orders', { body: { customer_id: 1 } });
      expect(order.status).toBe(201);
      expect(order.body).toMatchObject({ status: 'new', total: 0, delivered_at: null });
      const lines = await api('POST', 'order-lines', {
        body: [2, 1, 3].map((n) => ({
          order_id: order.body.id,
          line_no: n,
          product: 'p',
          quantity: n,
          unit_price: 1.5,
        })),
      });
      expect(lines.status).toBe(201);
      expect(lines.body.value).toEqual(
        [2, 1, 3].map((n) => ({ order_id: order.body.id, line_no: n })),
      );
    });

    it(`answers 413 over ${MAX_BATCH_ROWS} rows and inserts nothing`, async () => {
      const rows = Array.from({ length: MAX_BATCH_ROWS + 1 }, () => ({ kind: 'too-many' }));
      expectError(await api('POST', 'events', { body: rows }), 413, 'TooManyRows');
      expect(await countOf('events', "kind eq 'too-many'")).toBe(0);
    });

    it('answers 415 for a body that is not JSON, 400 for broken JSON', async () => {
      const text = await api('POST', 'events', {
        text: 'kind=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectError(text, 415, 'UnsupportedMediaType');
      expectError(await api('POST', 'events', { text: '{"kind":' }), 400, 'BadBody');
    });

    it('answers 405 for an action the entity does not allow, with Allow', async () => {
      const answer = await api('DELETE', 'events/1');
      expectError(answer, 405, 'MethodNotAllowed');
      expect(answer.headers.Allow).toBe('GET');
      expectError(await api('DELETE', 'customers'), 405, 'MethodNotAllowed');
      expectError(await api('POST', 'people', { body: { name: 'x' } }), 405, 'MethodNotAllowed');
    });

    it('answers 422 naming the row and column of a value that does not fit', async () => {
      const rows = [
        { order_id: 1, line_no: 900, product: 'ok', quantity: 1, unit_price: 1 },
        { order_id: 1, line_no: 901, product: 'bad', quantity: 'three', unit_price: 1 },
      ];
      const answer = await api('POST', 'order-lines', { body: rows });
      expectError(answer, 422, 'BadValue');
      expect(answer.body.error.target).toBe('[1].quantity');
      expect(answer.body.error.message).toMatch(/^row 1: column 'quantity' takes whole numbers/);
      expect(await countOf('order-lines', 'order_id eq 1 and line_no ge 900')).toBe(0);

      const missing = await api('POST', 'customers', { body: [{ name: 'x', country: 'y' }] });
      expectError(missing, 422, 'MissingValue');
      expect(missing.body.error.target).toBe('[0].email');
      expectError(await api('POST', 'customers', { body: { nme: 'x' } }), 422, 'UnknownColumn');
      expectError(
        await api('POST', 'customers', { body: { id: 5, name: 'x', email: 'e', country: 'c' } }),
        422,
        'ColumnNotWritable',
      );
      expectError(
        await api('POST', 'orders', { body: { customer_id: 1, total: 1e12 } }),
        422,
        'BadValue',
      );
    });

    it('answers 409 for a unique or foreign-key conflict', async () => {
      const first = await api('GET', 'customers/1');
      const copy = { name: 'Copy', email: first.body.email, country: 'SE' };
      expectError(await api('POST', 'customers', { body: copy }), 409, 'Conflict');
      const orphan = await api('POST', 'orders', { body: { customer_id: 99999999 } });
      expectError(orphan, 409, 'ForeignKeyViolation');
      expectError(await api('DELETE', 'customers/1'), 409, 'ForeignKeyViolation');
    });

    it('answers 422 for a check constraint the server enforces', async () => {
      const answer = await api('POST', 'orders', { body: { customer_id: 1, status: 'lost' } });
      expectError(answer, 422, 'ConstraintViolation');
    });

    it('updates part of a row with PATCH, and 404s a missing one', async () => {
      const answer = await api('PATCH', 'orders/2', { body: { status: 'shipped' } });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: 2, status: 'shipped' });
      expect((await api('GET', 'orders/2')).body.status).toBe('shipped');
      expectError(
        await api('PATCH', 'orders/99999999', { body: { status: 'paid' } }),
        404,
        'RowNotFound',
      );
      expectError(await api('PATCH', 'orders/2', { body: { id: 3 } }), 422, 'KeyNotUpdatable');
      expectError(await api('PATCH', 'orders/2', { body: {} }), 422, 'NothingToUpdate');
    });

    it('upserts with PUT, honouring If-Match and If-None-Match', async () => {
      const line = { product: 'widget', quantity: 2, unit_price: 3.25 };
      const created = await api('PUT', 'order-lines/3,77', {
        body: line,
        headers: { 'if-none-match': '*' },
      });
      expect(created.status).toBe(201);
      expect(created.headers.Location).toBe('http://localhost:7071/api/order-lines/3,77');
      const again = await api('PUT', 'order-lines/3,77', {
        body: line,
        headers: { 'if-none-match': '*' },
      });
      expectError(again, 412, 'PreconditionFailed');
      const updated = await api('PUT', 'order-lines/3,77', { body: { ...line, quantity: 9 } });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ order_id: 3, line_no: 77, quantity: 9 });
      const onlyUpdate = await api('PUT', 'order-lines/3,78', {
        body: line,
        headers: { 'if-match': '*' },
      });
      expectError(onlyUpdate, 412, 'PreconditionFailed');
      expectError(
        await api('PUT', 'order-lines/3,79', { body: { product: 'x' } }),
        422,
        'MissingValue',
      );
      expectError(
        await api('PUT', 'order-lines/3,77', { body: { ...line, line_no: 5 } }),
        422,
        'KeyNotUpdatable',
      );
    });

    it('leaves exactly one row after 50 concurrent upserts of one key', async () => {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          api('PUT', 'order-lines/4,500', {
            body: { product: `race ${i}`, quantity: i + 1, unit_price: 1 },
          }),
        ),
      );
      expect(answers.map((a) => a.status).every((s) => s === 200)).toBe(true);
      expect(await countOf('order-lines', 'order_id eq 4 and line_no eq 500')).toBe(1);
    });

    it('deletes a row: 204, then 404', async () => {
      await api('PUT', 'order-lines/5,600', { body: { product: 'x', quantity: 1, unit_price: 1 } });
      const answer = await api('DELETE', 'order-lines/5,600');
      expect(answer.status).toBe(204);
      expect(answer.body).toBeUndefined();
      expectError(await api('DELETE', 'order-lines/5,600'), 404, 'RowNotFound');
    });
  });

  describe('idempotent retries', () => {
    it('replays the first answer for the same key and body, inserting nothing more', async () => {
      const key = randomUUID();
      const kind = `idem-${key}`;
      const body = [{ kind }, { kind }];
      const first = await api('POST', 'events', { body, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      const second = await api('POST', 'events', { body, headers: { 'idempotency-key': key } });
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['Idempotent-Replayed']).toBe('true');
      expect(await countOf('events', `kind eq '${kind}'`)).toBe(2);
    });

    it('replays a single insert with its Location', async () => {
      const key = randomUUID();
      const body = { name: 'Once', email: `once-${key}@example.com`, country: 'FI' };
      const first = await api('POST', 'customers', { body, headers: { 'idempotency-key': key } });
      const second = await api('POST', 'customers', { body, headers: { 'idempotency-key': key } });
      expect(second.status).toBe(201);
      expect(second.headers.Location).toBe(first.headers.Location);
      expect(await countOf('customers', `email eq '${body.email}'`)).toBe(1);
    });

    it('answers 422 for the same key with another body', async () => {
      const key = randomUUID();
      await api('POST', 'events', { body: { kind: 'a' }, headers: { 'idempotency-key': key } });
      const other = await api('POST', 'events', {
        body: { kind: 'b' },
        headers: { 'idempotency-key': key },
      });
      expectError(other, 422, 'IdempotencyKeyReused');
      expect(await countOf('events', "kind eq 'b'")).toBe(0);
    });

    it('lets a retry through after the first attempt failed', async () => {
      const key = randomUUID();
      const bad = await api('POST', 'orders', {
        body: { customer_id: 99999999 },
        headers: { 'idempotency-key': key },
      });
      expectError(bad, 409, 'ForeignKeyViolation');
      const good = await api('POST', 'orders', {
        body: { customer_id: 99999999 },
        headers: { 'idempotency-key': key },
      });
      expectError(good, 409, 'ForeignKeyViolation');
      const fixed = await api('POST', 'orders', {
        body: { customer_id: 2 },
        headers: { 'idempotency-key': key },
      });
      expect(fixed.status).toBe(201);
    });

    it('refuses a malformed key with 400', async () => {
      const answer = await api('POST', 'events', {
        body: { kind: 'k' },
        headers: { 'idempotency-key': 'a b' },
      });
      expectError(answer, 400, 'BadIdempotencyKey');
    });
  });
}

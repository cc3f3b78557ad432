import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import { Catalog, isSchemaChangeError, type CatalogEngine } from '../../src/db/catalog.js';
import type { QueryOptions, QueryResult } from '../../src/db/engine.js';
import { PostgresEngine } from '../../src/db/postgres-engine.js';
import { rejectionOf } from '../driver-errors.js';

/** The real engine, counting the statements sent through it; can fail the next one on demand. */
class CountingEngine implements CatalogEngine {
  readonly name = 'postgres' as const;
  queries = 0;
  failNext = false;

  constructor(private readonly inner: PostgresEngine) {}

  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>> {
    this.queries++;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('injected: the connection dropped'));
    }
    return this.inner.query<R>(text, params, options);
  }
}

describe('Catalog', () => {
  let db: EmbeddedPostgres;
  let real: PostgresEngine;
  let engine: CountingEngine;

  beforeAll(async () => {
    db = await startEmbeddedPostgres();
    real = new PostgresEngine({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await real.close();
    await db.stop();
  });

  function fresh(): Catalog {
    engine = new CountingEngine(real);
    return new Catalog();
  }

  it('reads a table once per version and serves the same shape after that', async () => {
    const catalog = fresh();
    const first = await catalog.table(engine, 'v1', undefined, 'orders');
    const second = await catalog.table(engine, 'v1', undefined, 'orders');
    expect(first?.name).toBe('orders');
    expect(second).toBe(first);
    expect(engine.queries).toBe(1);
  });

  it('shares one catalog query between concurrent first reads', async () => {
    const catalog = fresh();
    const shapes = await Promise.all([
      catalog.table(engine, 'v1', undefined, 'customers'),
      catalog.table(engine, 'v1', undefined, 'customers'),
      catalog.table(engine, 'v1', undefined, 'customers'),
    ]);
    expect(new Set(shapes).size).toBe(1);
    expect(engine.queries).toBe(1);
  });

  it('starts empty for a new secret version', async () => {
    const catalog = fresh();
    await catalog.table(engine, 'v1', undefined, 'orders');
    await catalog.table(engine, 'v2', undefined, 'orders');
    expect(engine.queries).toBe(2);
    await catalog.table(engine, 'v2', undefined, 'orders');
    expect(engine.queries).toBe(2);
  });

  it('keeps the previous version while a new one warms up, but not the one before', async () => {
    const catalog = fresh();
    await catalog.table(engine, 'v1', undefined, 'orders');
    await catalog.table(engine, 'v2', undefined, 'orders');
    await catalog.table(engine, 'v1', undefined, 'orders');
    expect(engine.queries).toBe(2);
    await catalog.table(engine, 'v3', undefined, 'orders');
    await catalog.table(engine, 'v1', undefined, 'orders');
    expect(engine.queries).toBe(4);
  });

  it('reads a forgotten table again, and only that table of that version', async () => {
    const catalog = fresh();
    await catalog.table(engine, 'v1', undefined, 'orders');
    await catalog.table(engine, 'v1', undefined, 'customers');
    catalog.forget('v1', undefined, 'orders');
    catalog.forget('v2', undefined, 'customers');
    await catalog.table(engine, 'v1', undefined, 'orders');
    await catalog.table(engine, 'v1', undefined, 'customers');
    expect(engine.queries).toBe(3);
  });

  it('keys the cache by the schema as configured', async () => {
    const catalog = fresh();
    const implicit = await catalog.table(engine, 'v1', undefined, 'orders');
    const explicit = await catalog.table(engine, 'v1', 'public', 'orders');
    expect(explicit).toEqual(implicit);
    expect(engine.queries).toBe(2);
  });

  it('does not remember a table the catalog does not know', async () => {
    const catalog = fresh();
    expect(await catalog.table(engine, 'v1', undefined, 'later')).toBeUndefined();
    await real.query('create table later (id integer primary key)');
    expect((await catalog.table(engine, 'v1', undefined, 'later'))?.key).toEqual(['id']);
    expect(engine.queries).toBe(2);
  });

  it('does not remember a failed read', async () => {
    const catalog = fresh();
    engine.failNext = true;
    const err = await rejectionOf(catalog.table(engine, 'v1', undefined, 'orders'));
    expect((err as Error).message).toMatch(/injected/);
    expect((await catalog.table(engine, 'v1', undefined, 'orders'))?.name).toBe('orders');
    expect(engine.queries).toBe(2);
  });

  it('refreshes a shape after a statement fails because a column was dropped', async () => {
    const catalog = fresh();
    await real.query('create table shrinking (id integer primary key, gone text, kept text)');
    const before = await catalog.table(engine, 'v1', undefined, 'shrinking');
    await real.query('alter table shrinking drop column gone');

    const names = before!.columns.map((c) => `"${c.name}"`).join(', ');
    const err = await rejectionOf(real.query(`select ${names} from shrinking`));
    expect(isSchemaChangeError(err)).toBe(true);

    catalog.forget('v1', undefined, 'shrinking');
    const after = await catalog.table(engine, 'v1', undefined, 'shrinking');
    expect(after?.columns.map((c) => c.name)).toEqual(['id', 'kept']);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, createEngine } from '../../src/db/database.js';
import type { Engine } from '../../src/db/engine.js';
import { DependencyError, VaultgateError } from '../../src/errors.js';
import type { ResolvedSecret, SecretSource } from '../../src/secrets/types.js';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../local/postgres/embedded-postgres.js';
import { rejectionOf } from '../driver-errors.js';
import { freePort } from '../ports.js';

/** Stands for the resolver: hands out `current`, and records what was invalidated. */
class TestSource implements SecretSource {
  readonly invalidated: string[] = [];
  resolves = 0;
  constructor(public current: ResolvedSecret) {}
  async resolve(): Promise<ResolvedSecret> {
    this.resolves++;
    return this.current;
  }
  invalidate(version: string): void {
    this.invalidated.push(version);
  }
}

describe('Database against the embedded postgres', () => {
  let db: EmbeddedPostgres;

  beforeAll(async () => {
    db = await startEmbeddedPostgres();
  });
  afterAll(async () => {
    await db.stop();
  });

  it('connects and runs a parameterized query', async () => {
    const database = new Database({
      secrets: new TestSource({ connectionString: db.url, version: 'v1' }),
    });
    try {
      const result = await database.run((engine) =>
        engine.query<{ id: number; country: string }>(
          'select id, country from customers where id = $1',
          [3],
        ),
      );
      expect(result.rowCount).toBe(1);
      expect(result.rows[0]?.id).toBe(3);
      expect(result.rows[0]?.country).toMatch(/^[A-Z]{2}$/);
    } finally {
      await database.close();
    }
  });

  it('reuses one pool across runs of the same version', async () => {
    const database = new Database({
      secrets: new TestSource({ connectionString: db.url, version: 'v1' }),
    });
    try {
      const engines = new Set<Engine>();
      for (let i = 0; i < 3; i++) {
        await database.run(async (engine) => {
          engines.add(engine);
          await engine.ping();
        });
      }
      expect(engines.size).toBe(1);
      expect(database.stats()).toMatchObject({ pools: 1, poolsOpened: 1, poolsClosed: 0 });
    } finally {
      await database.close();
    }
    expect(database.stats()).toMatchObject({ pools: 0, poolsClosed: 1 });
  });

  it("moves new work to a new version's pool and closes the old one after its work", async () => {
    const source = new TestSource({ connectionString: db.url, version: 'v1' });
    const database = new Database({ secrets: source });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let oldEngine: Engine | undefined;
      const slow = database.run(async (engine) => {
        oldEngine = engine;
        await held;
        return engine.query<{ n: number }>('select 1 as n');
      });
      await new Promise((resolve) => setTimeout(resolve, 10));

      source.current = { connectionString: db.url, version: 'v2' };
      const newEngine = await database.run(async (engine) => {
        await engine.ping();
        return engine;
      });
      expect(newEngine).not.toBe(oldEngine);
      expect(database.stats()).toMatchObject({ pools: 2, poolsOpened: 2, poolsClosed: 0 });

      release();
      expect((await slow).rows).toEqual([{ n: 1 }]);
      await expect.poll(() => database.stats().poolsClosed).toBe(1);
      expect(database.stats().pools).toBe(1);
      await expect(oldEngine!.query('select 1')).rejects.toThrow();
    } finally {
      await database.close();
    }
  });

  it('lets constraint violations through unchanged for the caller to classify', async () => {
    const database = new Database({
      secrets: new TestSource({ connectionString: db.url, version: 'v1' }),
    });
    try {
      const err = await rejectionOf(
        database.run((engine) =>
          engine.query(
            `insert into customers (name, email, country)
             select name, email, country from customers where id = 1`,
          ),
        ),
      );
      expect(err).toBeInstanceOf(pg.DatabaseError);
      expect((err as pg.DatabaseError).code).toBe('23505');
    } finally {
      await database.close();
    }
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const database = new Database({
      secrets: new TestSource({ connectionString: db.url, version: 'v1' }),
    });
    const countArchived = () =>
      database.run(async (engine) => {
        const result = await engine.query<{ n: number }>(
          'select count(*)::int as n from orders_archive',
        );
        return result.rows[0]?.n;
      });
    try {
      await database.run((engine) =>
        engine.transaction(async (tx) => {
          await tx.query(`insert into orders_archive select * from orders where id = $1`, [1]);
        }),
      );
      expect(await countArchived()).toBe(1);
      const err = await rejectionOf(
        database.run((engine) =>
          engine.transaction(
            async (tx) => {
              await tx.query(`insert into orders_archive select * from orders where id = $1`, [2]);
              throw new Error('the job changed its mind');
            },
            { isolation: 'serializable' },
          ),
        ),
      );
      expect((err as Error).message).toBe('the job changed its mind');
      expect(await countArchived()).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('retries once with a fresh secret after an injected login failure', async () => {
    const source = new TestSource({ connectionString: db.url, version: 'old' });
    // Fault injection: the engine of version "old" fails the way pg reports a wrong password.
    const database = new Database({
      secrets: source,
      createEngine: (config, logger) => {
        const engine = createEngine(config, logger);
        if (source.current.version !== 'old') return engine;
        source.current = { connectionString: db.url, version: 'new' };
        const refused = Object.assign(
          new pg.DatabaseError('password authentication failed', 0, 'error'),
          {
            code: '28P01',
          },
        );
        return Object.assign(Object.create(engine) as Engine, {
          query: () => Promise.reject(refused),
          close: () => engine.close(),
        });
      },
    });
    try {
      const result = await database.run((engine) => engine.query<{ ok: number }>('select 1 as ok'));
      expect(result.rows).toEqual([{ ok: 1 }]);
      expect(source.invalidated).toEqual(['old']);
      expect(database.stats()).toMatchObject({ loginRetries: 1, poolsOpened: 2 });
      await expect.poll(() => database.stats().poolsClosed).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('reports health with the engine and latency', async () => {
    const database = new Database({
      secrets: new TestSource({ connectionString: db.url, version: 'v1' }),
    });
    try {
      const health = await database.health();
      expect(health.ok).toBe(true);
      expect(health.engine).toBe('postgres');
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    } finally {
      await database.close();
    }
  });
});

describe('Database when the server is down or the secret cannot be had', () => {
  it('turns a refused connection into DatabaseUnavailable with no secret in it', async () => {
    const password = 'down-server-pw-71';
    const url = `postgres://app:${password}@127.0.0.1:${await freePort()}/shop`;
    const database = new Database({
      secrets: new TestSource({ connectionString: url, version: 'v1' }),
    });
    try {
      const err = await rejectionOf(
        database.run((engine) => engine.query('select secret_column from t')),
      );
      expect(err).toBeInstanceOf(DependencyError);
      const dependency = err as DependencyError;
      expect(dependency.status).toBe(503);
      expect(dependency.code).toBe('DatabaseUnavailable');
      expect(dependency.retryAfterSeconds).toBeGreaterThan(0);
      for (const secret of [password, url, '127.0.0.1', 'secret_column']) {
        expect(dependency.message).not.toContain(secret);
      }
      const health = await database.health();
      expect(health.ok).toBe(false);
      expect(health.error).toEqual({ code: 'DatabaseUnavailable', message: dependency.message });
    } finally {
      await database.close();
    }
  });

  it('passes the secret source errors through unchanged', async () => {
    const keyVaultDown = new DependencyError('KeyVaultUnavailable', 'Key Vault did not answer.');
    const database = new Database({
      secrets: { resolve: () => Promise.reject(keyVaultDown), invalidate: () => undefined },
    });
    await expect(database.run(async () => 1)).rejects.toBe(keyVaultDown);
    expect(await database.health()).toMatchObject({
      ok: false,
      error: { code: 'KeyVaultUnavailable', message: 'Key Vault did not answer.' },
    });
    await database.close();
  });

  it('refuses runs after close', async () => {
    const database = new Database({
      secrets: new TestSource({ connectionString: 'postgres://u:p@127.0.0.1/d', version: 'v' }),
    });
    await database.close();
    const err = await rejectionOf(database.run(async () => 1));
    expect(err).toBeInstanceOf(VaultgateError);
    expect((err as VaultgateError).status).toBe(503);
  });
});

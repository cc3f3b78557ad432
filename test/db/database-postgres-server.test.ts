import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError } from '../../src/db/classify.js';
import { Database } from '../../src/db/database.js';
import { DependencyError } from '../../src/errors.js';
import type { ResolvedSecret, SecretSource } from '../../src/secrets/types.js';

/**
 * Against a real PostgreSQL server (PG_TEST_URL), where a wrong password is really refused:
 * postgres://vaultgate_test:<password>@127.0.0.1:5432/vaultgate_test
 */
const url = process.env.PG_TEST_URL;

/** Hands out its secrets in order (the last one again when they run out). */
class SequenceSource implements SecretSource {
  readonly invalidated: string[] = [];
  #next = 0;
  constructor(readonly secrets: ResolvedSecret[]) {}
  async resolve(): Promise<ResolvedSecret> {
    const secret = this.secrets[Math.min(this.#next, this.secrets.length - 1)]!;
    this.#next++;
    return secret;
  }
  invalidate(version: string): void {
    this.invalidated.push(version);
  }
}

function withPassword(base: string, password: string): string {
  const changed = new URL(base);
  changed.password = encodeURIComponent(password);
  return changed.toString();
}

async function setPassword(connectionString: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // ALTER ROLE takes no parameters, so the literal is quoted here.
    await client.query(`alter role current_user password '${password.replace(/'/g, "''")}'`);
  } finally {
    await client.end();
  }
}

describe.skipIf(!url)('Database against a real PostgreSQL server', () => {
  const original = url ? decodeURIComponent(new URL(url).password) : '';
  const rotated = `rotated-${randomBytes(8).toString('hex')}`;
  let current = url ?? '';

  beforeAll(async () => {
    // The test rotates the role's password, as an operator rotating the secret would.
    await setPassword(current, rotated);
    current = withPassword(current, rotated);
  });
  afterAll(async () => {
    await setPassword(current, original);
  });

  it('invalidates a refused secret and retries exactly once with the new one', async () => {
    const source = new SequenceSource([
      { connectionString: url!, version: 'before-rotation' },
      { connectionString: current, version: 'after-rotation' },
    ]);
    const database = new Database({ secrets: source });
    try {
      const result = await database.run((engine) =>
        engine.query<{ who: string }>('select current_user as who'),
      );
      expect(result.rows[0]?.who).toBe(new URL(url!).username);
      expect(source.invalidated).toEqual(['before-rotation']);
      expect(database.stats().loginRetries).toBe(1);
      await expect.poll(() => database.stats().poolsClosed).toBe(1);
      expect(database.stats().pools).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('surfaces a second refused login as DatabaseLoginFailed without the password', async () => {
    const wrong = withPassword(url!, 'wrong-password-3141');
    const source = new SequenceSource([{ connectionString: wrong, version: 'bad' }]);
    const database = new Database({ secrets: source });
    try {
      const err = await database.run((engine) => engine.ping()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DependencyError);
      expect((err as DependencyError).code).toBe('DatabaseLoginFailed');
      expect((err as DependencyError).message).not.toContain('wrong-password-3141');
      expect(source.invalidated).toEqual(['bad', 'bad']);
      expect(database.stats().loginRetries).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('stops a statement at its command timeout as a transient failure', async () => {
    const source = new SequenceSource([{ connectionString: current, version: 'v' }]);
    const database = new Database({ secrets: source });
    try {
      const started = Date.now();
      const err = await database
        .run((engine) => engine.query('select pg_sleep(5)', [], { timeoutMs: 300 }))
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(err).toBeInstanceOf(DependencyError);
      expect((err as DependencyError).code).toBe('DatabaseUnavailable');
      expect(classifyError((err as DependencyError).cause)).toBe('transient');
    } finally {
      await database.close();
    }
  });
});

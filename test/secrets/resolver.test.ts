import { describe, expect, it } from 'vitest';
import { SecretResolver, type SecretFetcher } from '../../src/secrets/resolver.js';
import { SecretError } from '../../src/secrets/secret-error.js';
import type { ResolvedSecret } from '../../src/secrets/types.js';

class FakeClock {
  time = 1_000_000;
  now = () => this.time;
  advance(seconds: number) {
    this.time += seconds * 1000;
  }
}

/** A scripted Key Vault: each request takes the next answer, or the default one. */
function scriptedVault() {
  const requests: (string | undefined)[] = [];
  let current: ResolvedSecret = { connectionString: 'postgres://a', version: 'v1' };
  let failure: SecretError | undefined;
  let gate: Promise<void> | undefined;
  const fetch: SecretFetcher = async (version) => {
    requests.push(version);
    if (gate) await gate;
    if (failure) throw failure;
    return current;
  };
  return {
    fetch,
    requests,
    rotate(version: string) {
      current = { connectionString: `postgres://${version}`, version };
    },
    fail(error: SecretError | undefined) {
      failure = error;
    },
    hold() {
      let release = () => undefined as void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

const unreachable = () => new SecretError('KeyVaultUnavailable', 'down', true);

function setup(cacheSeconds = 60, maxStaleSeconds = 900) {
  const clock = new FakeClock();
  const vault = scriptedVault();
  const resolver = new SecretResolver({ fetch: vault.fetch, cacheSeconds, maxStaleSeconds, clock });
  return { clock, vault, resolver };
}

describe('SecretResolver', () => {
  it('serves from memory while fresh and counts hits and misses', async () => {
    const { clock, vault, resolver } = setup();
    await resolver.resolve();
    clock.advance(30);
    const secret = await resolver.resolve();

    expect(secret.version).toBe('v1');
    expect(vault.requests).toHaveLength(1);
    expect(resolver.status()).toMatchObject({ state: 'fresh', hits: 1, misses: 1 });
  });

  it('asks Key Vault again once the cache time has passed', async () => {
    const { clock, vault, resolver } = setup();
    await resolver.resolve();
    vault.rotate('v2');
    clock.advance(61);

    expect((await resolver.resolve()).version).toBe('v2');
    expect(vault.requests).toHaveLength(2);
  });

  it('refreshes in the background shortly before expiry without making callers wait', async () => {
    const { clock, vault, resolver } = setup();
    await resolver.resolve();
    vault.rotate('v2');
    const release = vault.hold();
    clock.advance(55);

    expect((await resolver.resolve()).version).toBe('v1');
    expect(vault.requests).toHaveLength(2);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await resolver.resolve()).version).toBe('v2');
    expect(vault.requests).toHaveLength(2);
  });

  it('collapses 100 concurrent misses into one Key Vault request', async () => {
    const { vault, resolver } = setup();
    const release = vault.hold();
    const pending = Array.from({ length: 100 }, () => resolver.resolve());
    release();
    const secrets = await Promise.all(pending);

    expect(vault.requests).toHaveLength(1);
    expect(new Set(secrets.map((s) => s.version))).toEqual(new Set(['v1']));
    expect(resolver.status()).toMatchObject({ misses: 100, keyVaultRequests: 1 });
  });

  it('fetches on every invocation when the cache time is 0', async () => {
    const { vault, resolver } = setup(0);
    await resolver.resolve();
    await resolver.resolve();
    await resolver.resolve();

    expect(vault.requests).toHaveLength(3);
  });

  it('keeps serving the last value while Key Vault is unreachable, and says so', async () => {
    const { clock, vault, resolver } = setup(60, 900);
    await resolver.resolve();
    vault.fail(unreachable());
    clock.advance(120);

    expect((await resolver.resolve()).version).toBe('v1');
    const status = resolver.status();
    expect(status.state).toBe('stale');
    expect(status.staleServed).toBe(1);
    expect(status.lastError?.code).toBe('KeyVaultUnavailable');
  });

  it('stops serving the stale value after SECRET_MAX_STALE_SECONDS', async () => {
    const { clock, vault, resolver } = setup(60, 900);
    await resolver.resolve();
    vault.fail(unreachable());
    clock.advance(60 + 900 + 1);

    await expect(resolver.resolve()).rejects.toMatchObject({
      code: 'KeyVaultUnavailable',
      status: 503,
    });
  });

  it('does not serve a stale value when the secret was disabled on purpose', async () => {
    const { clock, vault, resolver } = setup();
    await resolver.resolve();
    vault.fail(new SecretError('SecretDisabled', 'disabled', false));
    clock.advance(61);

    await expect(resolver.resolve()).rejects.toMatchObject({ code: 'SecretDisabled' });
  });

  it('backs off for the Retry-After of a 429 and asks again after it', async () => {
    const { clock, vault, resolver } = setup();
    await resolver.resolve();
    clock.advance(61);
    vault.fail(new SecretError('KeyVaultThrottled', 'throttled', true, { retryAfterSeconds: 30 }));
    expect((await resolver.resolve()).version).toBe('v1');
    expect(vault.requests).toHaveLength(2);

    clock.advance(20);
    expect((await resolver.resolve()).version).toBe('v1');
    expect(vault.requests).toHaveLength(2);

    vault.fail(undefined);
    vault.rotate('v2');
    clock.advance(11);
    expect((await resolver.resolve()).version).toBe('v2');
    expect(vault.requests).toHaveLength(3);
  });

  it('fails without asking Key Vault again during the backoff when nothing is cached', async () => {
    const { clock, vault, resolver } = setup();
    vault.fail(new SecretError('KeyVaultThrottled', 'throttled', true, { retryAfterSeconds: 30 }));
    await expect(resolver.resolve()).rejects.toMatchObject({ code: 'KeyVaultThrottled' });
    clock.advance(10);

    await expect(resolver.resolve()).rejects.toMatchObject({
      code: 'KeyVaultThrottled',
      retryAfterSeconds: 20,
    });
    expect(vault.requests).toHaveLength(1);
  });

  it('drops an invalidated version so the next call refetches', async () => {
    const { vault, resolver } = setup();
    await resolver.resolve();
    vault.rotate('v2');
    resolver.invalidate('v1');

    expect((await resolver.resolve()).version).toBe('v2');
    expect(vault.requests).toHaveLength(2);
  });

  it('ignores invalidation of a version it does not hold', async () => {
    const { vault, resolver } = setup();
    await resolver.resolve();
    resolver.invalidate('v0');
    await resolver.resolve();

    expect(vault.requests).toHaveLength(1);
  });

  it('asks for the pinned version when one is set', async () => {
    const vault = scriptedVault();
    const resolver = new SecretResolver({
      fetch: vault.fetch,
      version: 'abc',
      cacheSeconds: 60,
      maxStaleSeconds: 0,
    });
    await resolver.resolve();

    expect(vault.requests).toEqual(['abc']);
  });

  it('wraps an unexpected error without repeating its text', async () => {
    const resolver = new SecretResolver({
      fetch: () => Promise.reject(new Error('Password=hunter22')),
      cacheSeconds: 60,
      maxStaleSeconds: 0,
    });
    const error = (await resolver.resolve().catch((e: unknown) => e)) as SecretError;

    expect(error).toBeInstanceOf(SecretError);
    expect(error.message).not.toContain('hunter22');
    expect(error.code).toBe('KeyVaultUnavailable');
  });
});

import { registerSensitive } from '../log.js';
import { systemClock, type Clock } from './clock.js';
import { SecretError } from './secret-error.js';
import type { ResolvedSecret, SecretSource } from './types.js';

/** Reads one version of the secret (the latest when none is given) from Key Vault. */
export type SecretFetcher = (version: string | undefined) => Promise<ResolvedSecret>;

export interface ResolverOptions {
  fetch: SecretFetcher;
  /** A pinned version; unset follows the latest. */
  version?: string | undefined;
  cacheSeconds: number;
  maxStaleSeconds: number;
  clock?: Clock;
}

export type CacheState = 'empty' | 'fresh' | 'stale';

/** What health reports: counters and the last error's code, never the value. */
export interface ResolverStatus {
  state: CacheState;
  version: string | undefined;
  ageSeconds: number | undefined;
  hits: number;
  misses: number;
  staleServed: number;
  keyVaultRequests: number;
  keyVaultLatencyMs: number | undefined;
  lastError: { code: string; message: string; at: string } | undefined;
}

/** Failures without a Retry-After wait this long before Key Vault is asked again. */
const FAILURE_BACKOFF_MS = 5_000;
/** A fresh entry is refreshed in the background during the last part of its life. */
const REFRESH_AHEAD_FRACTION = 0.2;

interface Entry {
  secret: ResolvedSecret;
  fetchedAt: number;
}

/**
 * Serves the connection string from memory while fresh, refreshes it shortly before expiry
 * in the background, collapses concurrent misses into one Key Vault request, and keeps
 * serving the last value for a while when Key Vault fails transiently.
 */
export class SecretResolver implements SecretSource {
  readonly #fetcher: SecretFetcher;
  readonly #version: string | undefined;
  readonly #ttlMs: number;
  readonly #maxStaleMs: number;
  readonly #clock: Clock;
  #entry: Entry | undefined;
  #inflight: Promise<ResolvedSecret> | undefined;
  #retryAt = 0;
  #lastError: SecretError | undefined;
  #lastErrorAt = 0;
  #counters = { hits: 0, misses: 0, staleServed: 0, keyVaultRequests: 0 };
  #latencyMs: number | undefined;

  constructor(options: ResolverOptions) {
    this.#fetcher = options.fetch;
    this.#version = options.version;
    this.#ttlMs = options.cacheSeconds * 1000;
    this.#maxStaleMs = options.maxStaleSeconds * 1000;
    this.#clock = options.clock ?? systemClock;
  }

  async resolve(): Promise<ResolvedSecret> {
    const entry = this.#entry;
    if (entry === undefined) {
      if (this.#inBackoff() && this.#lastError !== undefined) throw this.#backoffError();
      this.#counters.misses++;
      return this.#fetchShared();
    }

    const age = this.#clock.now() - entry.fetchedAt;
    if (age < this.#ttlMs) {
      this.#counters.hits++;
      if (age >= this.#ttlMs * (1 - REFRESH_AHEAD_FRACTION)) this.#refreshInBackground();
      return entry.secret;
    }
    if (this.#inBackoff() && this.#servableStale(entry)) return this.#serveStale(entry);

    this.#counters.misses++;
    try {
      return await this.#fetchShared();
    } catch (error) {
      if (error instanceof SecretError && error.transient && this.#servableStale(entry)) {
        return this.#serveStale(entry);
      }
      throw error;
    }
  }

  invalidate(version: string): void {
    if (this.#entry?.secret.version === version) this.#entry = undefined;
  }

  status(): ResolverStatus {
    const entry = this.#entry;
    const age = entry === undefined ? undefined : this.#clock.now() - entry.fetchedAt;
    let state: CacheState = 'empty';
    if (age !== undefined) state = age < this.#ttlMs ? 'fresh' : 'stale';
    const error = this.#lastError;
    return {
      state,
      version: entry?.secret.version,
      ageSeconds: age === undefined ? undefined : Math.floor(age / 1000),
      ...this.#counters,
      keyVaultLatencyMs: this.#latencyMs,
      lastError:
        error === undefined
          ? undefined
          : {
              code: error.code,
              message: error.message,
              at: new Date(this.#lastErrorAt).toISOString(),
            },
    };
  }

  #fetchShared(): Promise<ResolvedSecret> {
    this.#inflight ??= this.#fetchOnce().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetchOnce(): Promise<ResolvedSecret> {
    const started = this.#clock.now();
    this.#counters.keyVaultRequests++;
    try {
      const secret = await this.#fetcher(this.#version);
      registerSensitive(secret.connectionString);
      this.#latencyMs = this.#clock.now() - started;
      this.#entry = { secret, fetchedAt: this.#clock.now() };
      this.#lastError = undefined;
      this.#retryAt = 0;
      return secret;
    } catch (thrown) {
      const error = asSecretError(thrown);
      this.#latencyMs = this.#clock.now() - started;
      this.#lastError = error;
      this.#lastErrorAt = this.#clock.now();
      const waitMs =
        error.code === 'KeyVaultThrottled' && error.retryAfterSeconds !== undefined
          ? error.retryAfterSeconds * 1000
          : FAILURE_BACKOFF_MS;
      this.#retryAt = this.#clock.now() + waitMs;
      throw error;
    }
  }

  #refreshInBackground(): void {
    if (this.#inflight !== undefined || this.#inBackoff()) return;
    // A failed refresh is recorded in lastError; callers keep the fresh entry meanwhile.
    this.#fetchShared().catch(() => undefined);
  }

  #inBackoff(): boolean {
    return this.#clock.now() < this.#retryAt;
  }

  #servableStale(entry: Entry): boolean {
    return this.#clock.now() - entry.fetchedAt < this.#ttlMs + this.#maxStaleMs;
  }

  #serveStale(entry: Entry): ResolvedSecret {
    this.#counters.hits++;
    this.#counters.staleServed++;
    return entry.secret;
  }

  #backoffError(): SecretError {
    const last = this.#lastError as SecretError;
    const retryAfterSeconds = Math.max(1, Math.ceil((this.#retryAt - this.#clock.now()) / 1000));
    return new SecretError(last.code, last.message, last.transient, { retryAfterSeconds });
  }
}

function asSecretError(error: unknown): SecretError {
  if (error instanceof SecretError) return error;
  // An unexpected error's text is not known to be free of secrets, so it is not repeated.
  return new SecretError(
    'KeyVaultUnavailable',
    'Reading the connection string from Key Vault failed unexpectedly; try again shortly.',
    true,
    { cause: error },
  );
}

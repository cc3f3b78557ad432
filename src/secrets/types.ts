/** The database connection string as read from Key Vault, with the version it came from. */
export interface ResolvedSecret {
  connectionString: string;
  version: string;
}

/** Where the database path gets its connection string: the resolver, or a test double. */
export interface SecretSource {
  resolve(): Promise<ResolvedSecret>;
  /** Drops this version from the cache, so the next resolve asks Key Vault again. */
  invalidate(version: string): void;
}

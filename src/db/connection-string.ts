import type { TokenCredential } from '@azure/identity';
import { parse as parseAdoNet } from '@tediousjs/connection-string';
import sql from 'mssql';
import type { PoolConfig } from 'pg';
import { ConfigurationError } from '../errors.js';
import { registerSensitive } from '../log.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, POOL_MAX } from './engine.js';

/** What a connection string turns into: the engine and its driver's pool configuration. */
export type EngineConfig =
  { engine: 'postgres'; postgres: PoolConfig } | { engine: 'mssql'; mssql: sql.config };

export interface ParseOptions {
  /** Supplies Entra ID tokens when the string asks for Active Directory authentication. */
  credential?: TokenCredential;
}

const ACCEPTED_FORMS =
  'Use either the ADO.NET form (Server=...;Database=...;User Id=...;Password=...;) or a ' +
  'URL starting with postgres:// or postgresql://.';

const PASSWORDLESS = new Set(['active directory default', 'active directory managed identity']);
const PASSWORD_AUTH = new Set(['', 'sql password', 'sqlpassword']);
const SERVER_KEYS = ['server', 'data source', 'address', 'addr', 'network address'];

/**
 * Turns the database secret into an engine configuration. The string and its password are
 * registered as sensitive first, so no log line can carry them afterwards; no error thrown
 * here quotes the string or any part of it.
 */
export function parseConnectionString(cs: string, options: ParseOptions = {}): EngineConfig {
  registerSensitive(cs);
  registerSensitive(cs.trim());
  const text = cs.trim();
  if (/^postgres(ql)?:\/\//i.test(text))
    return { engine: 'postgres', postgres: parsePostgres(text) };
  if (looksLikeAdoNet(text)) return { engine: 'mssql', mssql: parseMssql(text, options) };
  throw new ConfigurationError(
    `The database connection string has a form Vaultgate does not know. ${ACCEPTED_FORMS}`,
  );
}

function looksLikeAdoNet(text: string): boolean {
  try {
    const entries = parseAdoNet(text);
    return SERVER_KEYS.some((key) => (entries.get(key) ?? '').toString().trim() !== '');
  } catch {
    return false;
  }
}

function parsePostgres(text: string): PoolConfig {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(
      `The postgres connection string is not a valid URL. ${ACCEPTED_FORMS}`,
    );
  }
  const password = decodeURIComponent(url.password);
  registerSensitive(url.password);
  registerSensitive(password);
  if (url.hostname === '') {
    throw new ConfigurationError('The postgres connection string names no host.');
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 5432 : Number(url.port),
    user: decodeURIComponent(url.username),
    password,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    ssl: postgresSsl(url.searchParams.get('sslmode')),
    application_name: 'vaultgate',
    max: POOL_MAX,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 15_000,
    statement_timeout: DEFAULT_COMMAND_TIMEOUT_MS,
    // A client-side backstop: it also ends waits the server never sees, such as a query queued
    // behind another connection's transaction in the embedded database.
    query_timeout: DEFAULT_COMMAND_TIMEOUT_MS + 5_000,
  };
}

// Every mode that asks for TLS gets full verification; pg has no "try TLS, else plain".
function postgresSsl(mode: string | null): PoolConfig['ssl'] {
  switch (mode ?? 'disable') {
    case 'disable':
    case 'allow':
      return false;
    case 'prefer':
    case 'require':
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    case 'no-verify':
      throw new ConfigurationError(
        'The postgres connection string sets sslmode=no-verify; Vaultgate always verifies the ' +
          "server's certificate. Use sslmode=verify-full.",
      );
    default:
      throw new ConfigurationError(
        'The postgres connection string has an unknown sslmode; use disable, require or ' +
          'verify-full.',
      );
  }
}

function parseMssql(text: string, options: ParseOptions): sql.config {
  let parsed: ReturnType<typeof sql.ConnectionPool.parseConnectionString>;
  try {
    parsed = sql.ConnectionPool.parseConnectionString(text);
  } catch {
    throw new ConfigurationError(
      `The SQL Server connection string cannot be read. ${ACCEPTED_FORMS}`,
    );
  }
  registerSensitive(parsed.password);
  if (parsed.options.trustServerCertificate === true) {
    throw new ConfigurationError(
      'The SQL Server connection string sets TrustServerCertificate=True; Vaultgate always ' +
        "verifies the server's certificate. Remove it and give the server a trusted certificate.",
    );
  }
  const config: sql.config = {
    server: parsed.server,
    port: parsed.port ?? 1433,
    database: parsed.database,
    connectionTimeout: parsed.connectionTimeout ?? 15_000,
    requestTimeout: DEFAULT_COMMAND_TIMEOUT_MS,
    options: {
      encrypt: parsed.options.encrypt ?? true,
      trustServerCertificate: false,
      instanceName: parsed.options.instanceName,
      appName: 'vaultgate',
    },
    pool: { max: POOL_MAX, min: 0, idleTimeoutMillis: 30_000 },
  };
  return withAuthentication(config, parsed, authenticationOf(text), options);
}

function authenticationOf(text: string): string {
  const value = parseAdoNet(text).get('authentication');
  return (value ?? '').toString().trim().replace(/\s+/g, ' ').toLowerCase();
}

function withAuthentication(
  config: sql.config,
  parsed: sql.config,
  authentication: string,
  { credential }: ParseOptions,
): sql.config {
  if (PASSWORDLESS.has(authentication)) {
    if (credential === undefined) {
      throw new ConfigurationError(
        'The SQL Server connection string asks for Active Directory authentication, but no ' +
          'Azure credential was given to the database layer.',
      );
    }
    // The app's own identity signs in; a User Id here would name a managed identity, which
    // the credential already decides, so it is not passed on.
    return { ...config, authentication: { type: 'token-credential', options: { credential } } };
  }
  if (!PASSWORD_AUTH.has(authentication)) {
    throw new ConfigurationError(
      'The SQL Server connection string names an Authentication method Vaultgate does not ' +
        'support. Use a SQL login (User Id and Password) or Active Directory Default or ' +
        'Active Directory Managed Identity.',
    );
  }
  if (parsed.user === undefined || parsed.password === undefined) {
    throw new ConfigurationError(
      'The SQL Server connection string needs User Id and Password, or ' +
        'Authentication=Active Directory Default.',
    );
  }
  return { ...config, user: parsed.user, password: parsed.password, domain: parsed.domain };
}

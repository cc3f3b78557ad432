import { DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { parseConnectionString } from '../../src/db/connection-string.js';
import { ConfigurationError } from '../../src/errors.js';
import { redact } from '../../src/log.js';

function rejection(cs: string, credential?: DefaultAzureCredential): ConfigurationError {
  try {
    parseConnectionString(cs, { credential });
  } catch (err) {
    if (err instanceof ConfigurationError) return err;
    throw new Error('expected a ConfigurationError', { cause: err });
  }
  throw new Error('expected the string to be rejected');
}

describe('parseConnectionString: postgres URLs', () => {
  it('reads host, port, user, password and database', () => {
    const config = parseConnectionString('postgres://app:s%40cret-pw@db.example.com:6432/shop');
    expect(config.engine).toBe('postgres');
    if (config.engine !== 'postgres') return;
    expect(config.postgres).toMatchObject({
      host: 'db.example.com',
      port: 6432,
      user: 'app',
      password: 's@cret-pw',
      database: 'shop',
      ssl: false,
      max: 10,
    });
  });

  it('accepts postgresql:// and verifies certificates whenever TLS is asked for', () => {
    const config = parseConnectionString('postgresql://u:pw1234@h/d?sslmode=require');
    expect(config.engine).toBe('postgres');
    if (config.engine !== 'postgres') return;
    expect(config.postgres.port).toBe(5432);
    expect(config.postgres.ssl).toEqual({ rejectUnauthorized: true });
  });

  it('refuses sslmode=no-verify without quoting the string', () => {
    const cs = 'postgres://u:never-show-this@h/d?sslmode=no-verify';
    const err = rejection(cs);
    expect(err.message).toMatch(/sslmode=no-verify/);
    expect(err.message).not.toContain('never-show-this');
    expect(err.message).not.toContain('h/d');
  });

  it('registers the password as sensitive, so logs hide it', () => {
    parseConnectionString('postgres://u:pg-secret-9x@h/d');
    expect(redact('failed with pg-secret-9x')).toBe('failed with [hidden]');
  });
});

describe('parseConnectionString: ADO.NET strings', () => {
  it('reads the Azure SQL form with tcp:host,port and a braced password', () => {
    const config = parseConnectionString(
      'Server=tcp:vg.database.windows.net,1433;Initial Catalog=shop;User ID=app;' +
        'Password={p;ss=w0rd};Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;',
    );
    expect(config.engine).toBe('mssql');
    if (config.engine !== 'mssql') return;
    expect(config.mssql).toMatchObject({
      server: 'vg.database.windows.net',
      port: 1433,
      database: 'shop',
      user: 'app',
      password: 'p;ss=w0rd',
      connectionTimeout: 30_000,
      options: { encrypt: true, trustServerCertificate: false },
      pool: { max: 10 },
    });
    expect(redact('p;ss=w0rd')).toBe('[hidden]');
  });

  it('understands the synonyms Data Source, Database, UID and PWD', () => {
    const config = parseConnectionString('Data Source=sql1,14330;Database=db;UID=sa;PWD=Pa55word!');
    if (config.engine !== 'mssql') throw new Error('expected mssql');
    expect(config.mssql).toMatchObject({ server: 'sql1', port: 14330, database: 'db', user: 'sa' });
    expect(config.mssql.options?.encrypt).toBe(true);
  });

  it('signs in with the given credential for Active Directory Default and Managed Identity', () => {
    const credential = new DefaultAzureCredential();
    for (const method of ['Active Directory Default', 'Active Directory Managed Identity']) {
      const config = parseConnectionString(
        `Server=tcp:vg.database.windows.net;Database=shop;Authentication=${method};`,
        { credential },
      );
      if (config.engine !== 'mssql') throw new Error('expected mssql');
      expect(config.mssql.authentication).toEqual({
        type: 'token-credential',
        options: { credential },
      });
      expect(config.mssql.password).toBeUndefined();
    }
  });

  it('says a credential is needed when Active Directory is asked for without one', () => {
    const err = rejection('Server=h;Database=d;Authentication=Active Directory Default');
    expect(err.message).toMatch(/no Azure credential/);
  });

  it('refuses TrustServerCertificate=True, since certificates are always verified', () => {
    const err = rejection(
      'Server=h;Database=d;User Id=u;Password=trust-pw;TrustServerCertificate=True',
    );
    expect(err.message).toMatch(/TrustServerCertificate/);
    expect(err.message).not.toContain('trust-pw');
  });

  it('refuses an unsupported Authentication method without naming its value', () => {
    const err = rejection('Server=h;Database=d;Authentication=Active Directory Interactive;');
    expect(err.message).toMatch(/Authentication method/);
    expect(err.message).not.toContain('Interactive');
  });
});

describe('parseConnectionString: anything else', () => {
  const unknowns = [
    'mysql://root:hunter2-pw@db/app',
    'just some words with hunter2-pw',
    'Database=only-a-database;Password=hunter2-pw',
    '',
    '==;;==hunter2-pw',
  ];
  it.each(unknowns)('rejects %j naming the accepted forms and none of its text', (cs) => {
    const err = rejection(cs);
    expect(err.status).toBe(500);
    expect(err.code).toBe('ConfigurationError');
    expect(err.message).toMatch(/ADO\.NET form .* postgres:\/\//);
    expect(err.message).not.toContain('hunter2-pw');
    expect(err.cause).toBeUndefined();
    if (cs !== '') expect(err.message).not.toContain(cs);
  });
});

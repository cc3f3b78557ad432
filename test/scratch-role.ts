import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A login role of its own for one test, made through PG_TEST_URL's role (which has
 * CREATEROLE, see .ci/run), so tests that change passwords never disturb each other.
 */
export interface ScratchRole {
  name: string;
  /** A connection string that signs in as the role with its current password. */
  url: string;
  /** Changes the role's password, as an operator rotating it would; returns the new url. */
  rotate(): Promise<string>;
  /** The passwords the role has had, for asserting that none leaked. */
  passwords: string[];
  drop(): Promise<void>;
}

export async function createScratchRole(adminUrl: string): Promise<ScratchRole> {
  const name = `vg_${randomBytes(6).toString('hex')}`;
  const passwords = [randomBytes(16).toString('hex')];
  const urlWith = (password: string) => {
    const url = new URL(adminUrl);
    url.username = name;
    url.password = password;
    return url.toString();
  };
  // Role names and hex passwords are made here, never from input; DDL takes no parameters.
  await admin(adminUrl, `create role ${name} login password '${passwords[0]}'`);
  return {
    name,
    passwords,
    get url() {
      return urlWith(passwords[passwords.length - 1]!);
    },
    async rotate() {
      const next = randomBytes(16).toString('hex');
      await admin(adminUrl, `alter role ${name} password '${next}'`);
      passwords.push(next);
      return urlWith(next);
    },
    async drop() {
      await admin(
        adminUrl,
        `select pg_terminate_backend(pid) from pg_stat_activity where usename = '${name}'`,
      );
      await admin(adminUrl, `drop role if exists ${name}`);
    },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

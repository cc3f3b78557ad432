import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../local/tls/index.js';
import { canConnect, freePort } from '../ports.js';

/**
 * The built `npm start` program as a user runs it (after `npm run build`, which `npm test`
 * does first), with its settings file and data folder moved to a temporary place and every
 * port chosen free, so it never meets a stack the developer has running.
 */
const root = projectRoot();
const entry = join(root, 'dist/local/start.js');

let folder: string;
let ports: Record<string, number>;

beforeAll(async () => {
  expect(existsSync(entry), 'dist/local/start.js is missing; run npm run build').toBe(true);
  folder = await mkdtemp(join(tmpdir(), 'vaultgate-start-'));
  ports = {
    host: await freePort(),
    vault: await freePort(),
    authority: await freePort(),
    postgres: await freePort(),
    blob: await freePort(),
    queue: await freePort(),
    table: await freePort(),
  };
  // The example as a fresh clone has it, with every port moved to a free one.
  const example = JSON.parse(await readFile(join(root, 'local.settings.example.json'), 'utf8'));
  Object.assign(example.Values, {
    KEY_VAULT_URL: `https://127.0.0.1:${ports.vault}`,
    AZURE_AUTHORITY_HOST: `https://127.0.0.1:${ports.authority}`,
    LOCAL_POSTGRES_PORT: String(ports.postgres),
    AzureWebJobsStorage: ['Blob', 'Queue', 'Table']
      .map((kind) => `${kind}Endpoint=http://127.0.0.1:${ports[kind.toLowerCase()]}/a`)
      .join(';'),
  });
  example.Host.LocalHttpPort = ports.host;
  await writeFile(join(folder, 'local.settings.json'), JSON.stringify(example));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(settingsFile: string): Started {
  let output = '';
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: {
      ...process.env,
      VAULTGATE_LOCAL_SETTINGS: settingsFile,
      VAULTGATE_LOCAL_DATA: join(folder, 'data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function healthWithin(seconds: number): Promise<{ secretVersion: string }> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${ports.host}/api/health`);
      if (response.status === 200) {
        const body = (await response.json()) as { keyVault: { secretVersion: string } };
        return body.keyVault;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`health did not answer 200 within ${seconds} seconds`);
}

describe('npm start', () => {
  const settingsFile = () => join(folder, 'local.settings.json');
  let firstVersion: string;

  it('brings up the whole stack, health answers 200 within 30 s, Ctrl-C exits 0', async () => {
    const run = start(settingsFile());
    try {
      firstVersion = (await healthWithin(30)).secretVersion;
      expect(run.output()).toContain('Vaultgate is running offline');
      expect(run.output()).toMatch(/Function key \(x-functions-key header or \?code=\): \S+/);
      await markDatabase();
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await run.exited).toBe(0);
    for (const [name, port] of Object.entries(ports)) {
      expect(await canConnect(port), `${name} port ${port} after the stop`).toBe(false);
    }
  }, 90_000);

  it('reuses the data of the first start on the second', async () => {
    const run = start(settingsFile());
    try {
      expect((await healthWithin(30)).secretVersion).toBe(firstVersion);
      expect(await readMark()).toBe('kept');
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await run.exited).toBe(0);
  }, 90_000);

  it('names the port in use and the setting that moves it', async () => {
    const blocker = createServer().listen(ports.host, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      const run = start(settingsFile());
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(
        `Port ${ports.host} (the Functions host) is already in use: stop what uses it, or set ` +
          'Host.LocalHttpPort in local.settings.json to another port.',
      );
    } finally {
      blocker.close();
    }
  }, 30_000);
});

function databaseUrl(): string {
  return `postgres://postgres:embedded-local@127.0.0.1:${ports.postgres}/postgres`;
}

async function markDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await client.query('create table if not exists e2e_mark (note text)');
    await client.query("insert into e2e_mark values ('kept')");
  } finally {
    await client.end();
  }
}

async function readMark(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const result = await client.query<{ note: string }>('select note from e2e_mark');
    return result.rows[0]?.note;
  } finally {
    await client.end();
  }
}

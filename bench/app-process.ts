import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running `npm start` program in a process of its own, on free ports. */
export interface AppProcess {
  apiUrl: string;
  functionKey: string;
  /** The embedded database of this stack (also when the app is pointed elsewhere). */
  embeddedUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the built offline stack (dist/local/start.js) with its settings, data and
 * configuration in a temporary folder, so it never meets a stack the developer runs.
 * `databaseUrl` points the app's secret at another database than the embedded one.
 */
export async function startApp(
  root: string,
  config: unknown,
  databaseUrl?: string,
): Promise<AppProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'vaultgate-bench-'));
  const ports = await freePorts(7);
  const [host, vault, authority, postgres, blob, queue, table] = ports as [number, ...number[]];
  const settings = JSON.parse(await readFile(join(root, 'local.settings.example.json'), 'utf8'));
  Object.assign(settings.Values, {
    KEY_VAULT_URL: `https://127.0.0.1:${vault}`,
    AZURE_AUTHORITY_HOST: `https://127.0.0.1:${authority}`,
    LOCAL_POSTGRES_PORT: String(postgres),
    AzureWebJobsStorage:
      `BlobEndpoint=http://127.0.0.1:${blob}/a;QueueEndpoint=http://127.0.0.1:${queue}/a;` +
      `TableEndpoint=http://127.0.0.1:${table}/a`,
    VAULTGATE_CONFIG: join(folder, 'vaultgate.json'),
    ...(databaseUrl === undefined ? {} : { LOCAL_DATABASE_URL: databaseUrl }),
  });
  settings.Host.LocalHttpPort = host;
  await writeFile(join(folder, 'local.settings.json'), JSON.stringify(settings));
  await writeFile(join(folder, 'vaultgate.json'), JSON.stringify(config));

  const child = spawn(process.execPath, [join(root, 'dist/local/start.js')], {
    cwd: root,
    env: {
      ...process.env,
      VAULTGATE_LOCAL_SETTINGS: join(folder, 'local.settings.json'),
      VAULTGATE_LOCAL_DATA: join(folder, 'data'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output = collect(child);
  const apiUrl = `http://127.0.0.1:${host}/api`;
  await waitForHealth(apiUrl, child);
  const functionKey = /Function key \([^)]*\): (\S+)/.exec(output())?.[1];
  if (functionKey === undefined) throw new Error('npm start did not print the function key');
  return {
    apiUrl,
    functionKey,
    embeddedUrl: `postgres://postgres:embedded-local@127.0.0.1:${postgres}/postgres`,
    async stop() {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGINT');
      await exited;
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout!.on('data', (chunk) => (text += String(chunk)));
  return () => text;
}

async function waitForHealth(apiUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the app process ended while starting');
    const status = await fetch(`${apiUrl}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the app did not become healthy within 60 seconds');
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(server)),
      );
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

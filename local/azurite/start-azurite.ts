import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';

/** Where to run Azurite. Port 0 (the default) lets the OS choose a free port. */
export interface AzuriteOptions {
  host?: string;
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** How long to wait for Azurite to listen and answer; default 30 s. */
  startTimeoutMs?: number;
}

/** A running Azurite: its connection string, the queue endpoint, and the way to stop it. */
export interface RunningAzurite {
  connectionString: string;
  /** The queue service endpoint, account path included. */
  queueUrl: string;
  blobUrl: string;
  tableUrl: string;
  /** Stops Azurite and waits until the process has exited. */
  stop(): Promise<void>;
}

/** The emulator's well-known development account; its key is published and guards nothing. */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

type Service = 'Blob' | 'Queue' | 'Table';
const SERVICES: readonly Service[] = ['Blob', 'Queue', 'Table'];
const STOP_GRACE_MS = 5_000;

/**
 * Starts Azurite (the npm package, in its own process) in memory, bound to one address, and
 * resolves once its queue service answers.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const workspace = await mkdtemp(join(tmpdir(), 'vaultgate-azurite-'));
  const child = spawn(process.execPath, [azuriteEntry(), ...azuriteArguments(host, options)], {
    // Azurite creates its workspace folder even in memory; keep it out of the project.
    cwd: workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = exitOf(child);
  try {
    const urls = await listeningUrls(child, exited, options.startTimeoutMs ?? 30_000);
    const connectionString = developmentConnectionString(urls);
    await waitUntilAnswering(connectionString, options.startTimeoutMs ?? 30_000);
    return {
      connectionString,
      queueUrl: urls.Queue,
      blobUrl: urls.Blob,
      tableUrl: urls.Table,
      stop: () => stopProcess(child, exited).then(() => removeWorkspace(workspace)),
    };
  } catch (error) {
    await stopProcess(child, exited);
    await removeWorkspace(workspace);
    throw error;
  }
}

function azuriteEntry(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
}

function azuriteArguments(host: string, options: AzuriteOptions): string[] {
  return [
    '--inMemoryPersistence',
    '--disableTelemetry',
    '--silent',
    // Loose mode and no API version check let newer storage SDKs talk to this Azurite.
    '--loose',
    '--skipApiVersionCheck',
    ...['blob', 'queue', 'table'].flatMap((service) => [`--${service}Host`, host]),
    ...['--blobPort', String(options.blobPort ?? 0)],
    ...['--queuePort', String(options.queuePort ?? 0)],
    ...['--tablePort', String(options.tablePort ?? 0)],
  ];
}

type ServiceUrls = Record<Service, string>;

/** Reads the addresses Azurite prints once each service listens (port 0 becomes real here). */
function listeningUrls(
  child: ChildProcess,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<ServiceUrls> {
  return new Promise((resolve, reject) => {
    const found: Partial<ServiceUrls> = {};
    let output = '';
    const timer = setTimeout(() => fail('did not start listening in time'), timeoutMs);
    function fail(reason: string): void {
      clearTimeout(timer);
      reject(new Error(`Azurite ${reason}. Its output: ${output.slice(-2_000)}`));
    }
    function onData(chunk: Buffer): void {
      output += chunk.toString('utf8');
      for (const service of SERVICES) {
        const match = new RegExp(`${service} service is successfully listening at (\\S+)`).exec(
          output,
        );
        if (match?.[1] !== undefined) found[service] = `${match[1]}/${DEV_ACCOUNT_NAME}`;
      }
      if (SERVICES.every((service) => found[service] !== undefined)) {
        clearTimeout(timer);
        resolve(found as ServiceUrls);
      }
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then((code) => fail(`exited early with code ${String(code)}`));
  });
}

function developmentConnectionString(urls: ServiceUrls): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_ACCOUNT_NAME}`,
    `AccountKey=${DEV_ACCOUNT_KEY}`,
    `BlobEndpoint=${urls.Blob}`,
    `QueueEndpoint=${urls.Queue}`,
    `TableEndpoint=${urls.Table}`,
  ].join(';');
}

async function waitUntilAnswering(connectionString: string, timeoutMs: number): Promise<void> {
  const client = QueueServiceClient.fromConnectionString(connectionString);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.getProperties();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error('Azurite did not answer in time.', { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const graceful = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS).unref()),
  ]);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
}

async function removeWorkspace(workspace: string): Promise<void> {
  await rm(workspace, { recursive: true, force: true });
}

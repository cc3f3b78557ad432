import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { FunctionDefinition } from '../functions/register.js';
import { consoleLogger } from './host/console-logger.js';
import { ensureHostKeys, type HostKeys } from './stack/host-keys.js';
import { ensureLocalSettings } from './stack/local-settings.js';
import { startStack, type RunningStack } from './stack/start-stack.js';
import { ensureLocalCertificate, projectRoot } from './tls/index.js';

/**
 * `npm start`: the whole function app on local stand-ins for Azure, in one process tree.
 * `npm run start:func` (`--func`) starts the same services and hands the functions to Core
 * Tools' `func start`. Ctrl-C stops everything and exits 0.
 */
async function main(): Promise<number> {
  const root = projectRoot();
  const { caPath } = await ensureLocalCertificate();
  // Node reads NODE_EXTRA_CA_CERTS only at start-up; this is how the app (and Core Tools'
  // worker) trusts the local vault, with TLS verification on.
  if (process.env.NODE_EXTRA_CA_CERTS !== caPath) return runAgain(caPath);

  const withCoreTools = process.argv.includes('--func');
  const dataDir = resolve(process.env.VAULTGATE_LOCAL_DATA ?? join(root, '.local'));
  const { settings, path, created } = await ensureLocalSettings(
    join(root, 'local.settings.example.json'),
    resolve(process.env.VAULTGATE_LOCAL_SETTINGS ?? join(root, 'local.settings.json')),
  );
  const keys = await ensureHostKeys(join(dataDir, 'host-keys.json'));
  const hostPort = settings.Host?.LocalHttpPort ?? 7071;
  if (created) say(`Created ${path} from local.settings.example.json.`);
  say('Starting the offline stack ...');

  const stack = await startStack({
    root,
    values: settings.Values,
    hostPort,
    dataDir,
    functionKey: keys.functionKey,
    masterKey: keys.masterKey,
    serveFunctions: !withCoreTools,
    logger: consoleLogger,
  });
  const stopped = stopOnSignal(stack);
  if (withCoreTools) return runCoreTools(stack, hostPort, stopped);

  printSummary(stack, hostPort, keys);
  return stopped;
}

function stopOnSignal(stack: RunningStack): Promise<number> {
  return new Promise((done) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      say('Stopping ...');
      stack.stop().then(
        () => done(0),
        () => done(1),
      );
    };
    // A second Ctrl-C (or the parent's forwarded one) must not end the process mid-stop.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function printSummary(stack: RunningStack, port: number, keys: HostKeys): void {
  const api = `http://localhost:${port}/api`;
  say(
    [
      '',
      'Vaultgate is running offline:',
      `  Functions host      ${api}   (stands for Azure Functions)`,
      `  Key Vault emulator  ${stack.keyVault.vaultUrl}   (Azure Key Vault + Entra ID)`,
      `  Embedded database   PostgreSQL on 127.0.0.1:${new URL(stack.databaseUrl).port}`,
      `  Azurite             ${stack.storage.queueUrl}   (Azure Storage queues)`,
      '',
      'Functions:',
      ...stack.definitions.map((definition) => `  ${describeFunction(definition, api)}`),
      '',
      `Function key (x-functions-key header or ?code=): ${keys.functionKey}`,
      `Master key (for the admin routes under /api/maintenance): ${keys.masterKey}`,
      '',
      'Try:',
      `  curl ${api}/health`,
      `  curl -H 'x-functions-key: ${keys.functionKey}' '${api}/orders?$first=5'`,
      `  curl -H 'x-functions-key: ${keys.masterKey}' '${api}/maintenance/runs'`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

/** One line per function, as Core Tools lists them at start. */
function describeFunction(definition: FunctionDefinition, api: string): string {
  const name = definition.name.padEnd(34);
  switch (definition.trigger) {
    case 'http': {
      const methods = (definition.options.methods ?? ['GET', 'POST']).join(',');
      const auth = definition.options.authLevel ?? 'anonymous';
      return `${name} [${methods}] ${api}/${definition.options.route ?? definition.name} (${auth})`;
    }
    case 'timer':
      return `${name} timer: ${definition.options.schedule}`;
    case 'storageQueue':
      return `${name} queue: ${definition.options.queueName}`;
  }
}

async function runCoreTools(
  stack: RunningStack,
  port: number,
  stopped: Promise<number>,
): Promise<number> {
  say(`Services are up; starting Core Tools (func start) on port ${port} ...`);
  const child = spawn('func', ['start', '--port', String(port)], {
    stdio: 'inherit',
    env: { ...process.env, ...stack.values },
  });
  const exited = new Promise<number>((done) => {
    child.once('error', () => {
      say('Core Tools (func) is not installed here; use npm start, which needs no Core Tools.');
      done(1);
    });
    child.once('exit', (code) => done(code ?? 0));
  });
  const code = await Promise.race([exited, stopped]);
  child.kill('SIGINT');
  await stack.stop();
  return code;
}

function runAgain(caPath: string): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  // Signals go on to the child (which may get a terminal's Ctrl-C twice; it stops once), and
  // this process waits for its answer.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
